using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Publishes the reporter's posts (QoS 1) and follows each to its end: the reply (200, 460, 6xxx ...), its
    /// timeout, or the outbox's refusal. Failures are counted and logged here once, whichever post they belong to,
    /// and every end is surfaced through <see cref="PostCompleted"/>. Thread-safe (<see cref="PendingRequests"/>
    /// locks itself; the counters are written by the completing thread only). Holds no lock while publishing.
    /// </summary>
    internal sealed class PostTracker
    {
        private const string Source = "thing";

        private readonly IPublisher _publisher;
        private readonly ILog _log;
        private readonly PendingRequests _pending;
        private readonly RequestCompletedHandler _onOutcome;

        /// <summary>Creates the tracker.</summary>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="clock">Monotonic clock for reply timeouts.</param>
        /// <param name="log">Log.</param>
        /// <param name="requestTimeoutMs">How long to wait for a post reply.</param>
        internal PostTracker(IPublisher publisher, IClock clock, ILog log, int requestTimeoutMs)
        {
            _publisher = publisher;
            _log = log;
            _pending = new PendingRequests(clock, 32, requestTimeoutMs);
            _onOutcome = OnOutcome;
        }

        /// <summary>See <see cref="ThingReporter.PostCompleted"/>.</summary>
        internal RequestCompletedHandler PostCompleted { get; set; }

        /// <summary>Posts waiting for replies.</summary>
        internal PendingRequests Pending
        {
            get { return _pending; }
        }

        /// <summary>See <see cref="ThingReporter.FailedPosts"/>.</summary>
        internal int FailedPosts { get; private set; }

        /// <summary>See <see cref="ThingReporter.LastReplyCode"/>.</summary>
        internal int LastReplyCode { get; private set; }

        /// <summary>Counts a post that failed before it could be published (not written).</summary>
        internal void CountUnwritten()
        {
            FailedPosts++;
        }

        /// <summary>Publishes a post and tracks its reply.</summary>
        /// <param name="topic">Where the post goes.</param>
        /// <param name="replyTopic">Where its reply arrives.</param>
        /// <param name="id">Its message id.</param>
        /// <param name="method">Its Alink method (named in logs and outcomes).</param>
        /// <param name="payload">Its bytes.</param>
        /// <param name="keep">Set true when the post was not sent now (outbox full, offline ...) and its readings
        /// must go to the offline buffer; the caller knows what its readings are.</param>
        /// <returns>null when sent, queued or to be kept; otherwise why the outbox refused it for good.</returns>
        internal string Send(string topic, string replyTopic, string id, string method, byte[] payload, out bool keep)
        {
            keep = false;
            // Registered before publishing: on a fast link the reply can arrive before Publish returns.
            Track(id, method, replyTopic);
            PublishStatus status = _publisher.Publish(topic, payload, 1);
            switch (status)
            {
                case PublishStatus.Sent:
                    return null;
                case PublishStatus.Queued:
                    _pending.Cancel(id, "queued by the outbox while offline; the reply is not tracked");
                    return null;
                case PublishStatus.TooLarge:
                case PublishStatus.ForeignTopic:
                    _pending.Cancel(id, "refused by the outbox: " + ((int)status).ToString());
                    _log.Write(LogLevel.Error, Source, method + " " + id + " refused by the outbox (status " + ((int)status).ToString() + ")");
                    return method + " refused by the outbox (status " + ((int)status).ToString() + ")";
                default:
                    _pending.Cancel(id, "not sent now (status " + ((int)status).ToString() + "); readings kept for a history post");
                    keep = true;
                    return null;
            }
        }

        /// <summary>Starts waiting for the reply to a post about to be published by the caller.</summary>
        internal void Track(string id, string method, string replyTopic)
        {
            _pending.Add(id, method, replyTopic, _onOutcome);
        }

        /// <summary>Hands a reply that arrived on a post-reply topic to the pending table.</summary>
        /// <returns>true when it answered a post of ours.</returns>
        internal bool OnReply(string topic, AlinkReply reply)
        {
            if (_pending.Complete(topic, reply))
            {
                return true;
            }

            _log.Write(LogLevel.Debug, Source, "reply " + reply.Id + " matches no pending request");
            return false;
        }

        private void OnOutcome(RequestOutcome outcome)
        {
            if (outcome.Status == RequestStatus.Replied)
            {
                LastReplyCode = outcome.Code;
            }

            if (!outcome.Succeeded && outcome.Status != RequestStatus.Cancelled)
            {
                FailedPosts++;
                if (outcome.Status == RequestStatus.Replied)
                {
                    _log.Write(LogLevel.Warning, Source, outcome.Method + " " + outcome.Id + " refused by the cloud: " + outcome.Code.ToString() + " " + ReplyCodes.Describe(outcome.Code) + (outcome.Message == null ? string.Empty : " (" + outcome.Message + ")"));
                }
                else
                {
                    _log.Write(LogLevel.Warning, Source, outcome.Method + " " + outcome.Id + ": " + outcome.Message);
                }
            }

            RequestCompletedHandler handler = PostCompleted;
            if (handler != null)
            {
                handler(outcome);
            }
        }
    }
}
