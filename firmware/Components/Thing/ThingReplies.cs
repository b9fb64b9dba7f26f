using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.Thing
{
    /// <summary>
    /// The one way the thing dispatcher's parts answer and refuse: replies go out at QoS 0 only to topics
    /// <see cref="DeviceTopics.IsOwn"/> accepts, refusals and handler failures are counted and logged, and replies
    /// sent on the shared <c>/ext/rrpc/{id}/…</c> topics are remembered so their echo is not taken for a request.
    /// Kept in one place so the router and every handler count, sanitize and address answers the same way.
    /// Not thread-safe: used only on the session's worker thread.
    /// </summary>
    internal sealed class ThingReplies
    {
        /// <summary>Log source of the whole dispatcher.</summary>
        internal const string Source = "thing";

        private const int RecentRepliesKept = 16;

        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly ILog _log;
        private readonly AlinkReplyWriter _writer;
        private readonly string[] _recentReplyTopics = new string[RecentRepliesKept];
        private int _recentNext;

        /// <summary>Creates the reply channel.</summary>
        /// <param name="topics">This device's topics (replies go only to its own).</param>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="log">Log.</param>
        /// <param name="maxPayloadBytes">Largest reply written.</param>
        internal ThingReplies(DeviceTopics topics, IPublisher publisher, ILog log, int maxPayloadBytes)
        {
            _topics = topics;
            _publisher = publisher;
            _log = log;
            _writer = new AlinkReplyWriter(maxPayloadBytes);
        }

        /// <summary>The reused reply writer, for replies with data (Begin, data, Finish, then <see cref="Send"/>).</summary>
        internal AlinkReplyWriter Writer
        {
            get { return _writer; }
        }

        /// <summary>The log, for handlers' own messages.</summary>
        internal ILog Log
        {
            get { return _log; }
        }

        /// <summary>Messages refused (foreign, invalid, malformed, unknown, bad values), since start.</summary>
        internal int RefusedCount { get; private set; }

        /// <summary>Application handler failures (exceptions, refusals), since start.</summary>
        internal int HandlerFailureCount { get; private set; }

        /// <summary>Counts and logs (warning) a refused message.</summary>
        internal void Refuse(string why)
        {
            RefusedCount++;
            _log.Write(LogLevel.Warning, Source, why);
        }

        /// <summary>Counts an application handler failure (the caller logs it at the level it deserves).</summary>
        internal void CountHandlerFailure()
        {
            HandlerFailureCount++;
        }

        /// <summary>Refuses a request whose id is known: counted, logged, answered 460 with <paramref name="message"/>.</summary>
        internal void RefuseRequest(AlinkEnvelope request, string replyTopic, string message)
        {
            Refuse("request " + request.Id + " refused: " + message);
            SendSimple(replyTopic, request.Id, ReplyCodes.ParameterError, message);
        }

        /// <summary>Sends a reply with empty data; a message too long for the payload limit is replaced, never dropped.</summary>
        internal void SendSimple(string topic, string id, int code, string message)
        {
            byte[] reply;
            try
            {
                reply = _writer.Simple(id, code, message);
            }
            catch (System.InvalidOperationException)
            {
                reply = _writer.Simple(id, code, "error message too long");
            }

            Send(topic, reply);
        }

        /// <summary>Publishes a reply (QoS 0) if <paramref name="topic"/> is this device's; otherwise logs and drops it.</summary>
        internal void Send(string topic, byte[] payload)
        {
            if (topic == null || !_topics.IsOwn(topic))
            {
                _log.Write(LogLevel.Error, Source, "reply to a topic that is not this device's was suppressed");
                return;
            }

            RememberReply(topic);
            PublishStatus status = _publisher.Publish(topic, payload, 0);
            if (status != PublishStatus.Sent)
            {
                _log.Write(LogLevel.Warning, Source, "reply on " + Describe(topic) + " not sent (status " + ((int)status).ToString() + ")");
            }
        }

        /// <summary>
        /// True (once) when <paramref name="incoming"/> is the broker handing back a reply we just sent on an
        /// <c>/ext/rrpc/{id}/…</c> topic, which we are subscribed to: it must not be answered again.
        /// </summary>
        internal bool IsRecentReply(IncomingTopic incoming)
        {
            if (incoming.Kind != TopicKind.ExtRrpcService && incoming.Kind != TopicKind.ExtRrpcDownRaw && incoming.Kind != TopicKind.ExtRrpcUser)
            {
                return false;
            }

            for (int i = 0; i < RecentRepliesKept; i++)
            {
                if (_recentReplyTopics[i] == incoming.Topic)
                {
                    _recentReplyTopics[i] = null;
                    return true;
                }
            }

            return false;
        }

        /// <summary>True for the topic kinds whose sender waits for an answer (RRPC), so even a refusal is answered.</summary>
        internal static bool IsRrpc(TopicKind kind)
        {
            return kind == TopicKind.SysRrpc || kind == TopicKind.ExtRrpcService || kind == TopicKind.ExtRrpcDownRaw || kind == TopicKind.ExtRrpcUser;
        }

        /// <summary>Network text made fit for a log line: at most 80 printable ASCII characters, the rest marked.</summary>
        internal static string Describe(string text)
        {
            if (text == null)
            {
                return "(none)";
            }

            int length = text.Length > 80 ? 80 : text.Length;
            StringBuilder sb = new StringBuilder(length + 3);
            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                sb.Append(c < ' ' || c > '~' ? '?' : c);
            }

            if (text.Length > length)
            {
                sb.Append("...");
            }

            return sb.ToString();
        }

        private void RememberReply(string topic)
        {
            // A reply on /ext/rrpc/{id}/… goes to a topic we are subscribed to, so the broker may hand it back.
            if (OrdinalText.StartsWith(topic, "/ext/rrpc/"))
            {
                _recentReplyTopics[_recentNext] = topic;
                _recentNext = (_recentNext + 1) % RecentRepliesKept;
            }
        }
    }
}
