using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.DeviceInfo
{
    /// <summary>
    /// Device tags (Link SDK 4.x <c>components/devinfo</c>; aliyun-protocol.md §3.16; the platform's page
    /// "Device tags", https://help.aliyun.com/document_detail/89304.html). Update:
    /// <c>{"id":"1","version":"1.0","params":[{"attrKey":"k","attrValue":"v"}],"method":"thing.deviceinfo.update"}</c>
    /// on <c>/sys/{pk}/{dn}/thing/deviceinfo/update</c>; delete:
    /// <c>{"id":"2","version":"1.0","params":[{"attrKey":"k"}],"method":"thing.deviceinfo.delete"}</c> on
    /// <c>…/deviceinfo/delete</c>; the cloud answers on <c>…_reply</c> (200, 460 request parameter error, 6100 device
    /// not found), matched by id and topic in <see cref="Pending"/> and surfaced through <see cref="Completed"/>.
    /// Keys and values are checked against <see cref="TagRules"/> before anything is sent. Thread-safe.
    /// </summary>
    public sealed class DeviceTags : IMessageHandler
    {
        private const string Source = "tags";
        private const string UpdateMethod = "thing.deviceinfo.update";
        private const string DeleteMethod = "thing.deviceinfo.delete";

        private readonly object _gate = new object();
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly AlinkIds _ids;
        private readonly ILog _log;
        private readonly AlinkRequestWriter _writer;
        private readonly PendingRequests _pending;
        private readonly RequestCompletedHandler _onOutcome;

        /// <summary>Creates the component; add it to the session with <c>AddHandler</c>.</summary>
        /// <param name="topics">This device's topics.</param>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="ids">Per-boot message ids (shared with the other components that send requests).</param>
        /// <param name="clock">Monotonic clock for reply timeouts.</param>
        /// <param name="log">Log.</param>
        /// <param name="maxPayloadBytes">Largest message (device.json limits.maxPayloadBytes).</param>
        /// <param name="requestTimeoutMs">How long to wait for a reply (limits.requestTimeoutMs).</param>
        public DeviceTags(DeviceTopics topics, IPublisher publisher, AlinkIds ids, IClock clock, ILog log, int maxPayloadBytes, int requestTimeoutMs)
        {
            if (topics == null || publisher == null || ids == null || clock == null || log == null)
            {
                throw new ArgumentNullException("topics, publisher, ids, clock and log are required");
            }

            _topics = topics;
            _publisher = publisher;
            _ids = ids;
            _log = log;
            _writer = new AlinkRequestWriter(maxPayloadBytes);
            _pending = new PendingRequests(clock, 8, requestTimeoutMs);
            _onOutcome = OnOutcome;
        }

        /// <summary>Called when a request ends (reply, timeout, eviction, cancel).</summary>
        public RequestCompletedHandler Completed { get; set; }

        /// <summary>Requests waiting for their reply.</summary>
        public PendingRequests Pending
        {
            get { return _pending; }
        }

        /// <summary>Sets tags (QoS 1); an existing key gets the new value.</summary>
        /// <param name="keys">Tag keys (<see cref="TagRules"/>).</param>
        /// <param name="values">Their values, same order.</param>
        /// <returns>null when sent or queued; otherwise why nothing was sent (a key or value the platform refuses, a full outbox ...).</returns>
        public string Update(string[] keys, string[] values)
        {
            string problem = CheckKeys(keys);
            if (problem == null && (values == null || values.Length != keys.Length))
            {
                problem = "one value per tag key is required";
            }

            for (int i = 0; problem == null && i < keys.Length; i++)
            {
                problem = TagRules.CheckValue(keys[i], values[i]);
            }

            return problem != null ? Refuse(problem) : Send(UpdateMethod, _topics.DeviceInfoUpdate, _topics.DeviceInfoUpdateReply, keys, values);
        }

        /// <summary>Deletes tags (QoS 1).</summary>
        /// <returns>null when sent or queued; otherwise why nothing was sent.</returns>
        public string Delete(string[] keys)
        {
            string problem = CheckKeys(keys);
            return problem != null ? Refuse(problem) : Send(DeleteMethod, _topics.DeviceInfoDelete, _topics.DeviceInfoDeleteReply, keys, null);
        }

        /// <summary>Ends requests whose reply is overdue (call now and then; every message handled also does).</summary>
        public void Tick()
        {
            _pending.ExpireDue();
        }

        /// <inheritdoc />
        public void AddSubscriptions(ArrayList topics)
        {
            topics.Add(_topics.DeviceInfoUpdateReply);
            topics.Add(_topics.DeviceInfoDeleteReply);
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            if (topic != _topics.DeviceInfoUpdateReply && topic != _topics.DeviceInfoDeleteReply)
            {
                return false;
            }

            string problem;
            AlinkReply reply = AlinkReply.Read(payload, out problem);
            if (reply == null)
            {
                _log.Write(LogLevel.Warning, Source, "tag reply refused: " + problem);
            }
            else if (!_pending.Complete(topic, reply))
            {
                _log.Write(LogLevel.Debug, Source, "tag reply " + reply.Id + " matches no pending request");
            }

            _pending.ExpireDue();
            return true;
        }

        private static string CheckKeys(string[] keys)
        {
            if (keys == null || keys.Length == 0)
            {
                return "no tag given";
            }

            if (keys.Length > TagRules.MaxTagsPerRequest)
            {
                return keys.Length.ToString() + " tags in one request, the platform takes at most " + TagRules.MaxTagsPerRequest.ToString();
            }

            for (int i = 0; i < keys.Length; i++)
            {
                string problem = TagRules.CheckKey(keys[i]);
                if (problem != null)
                {
                    return problem;
                }

                for (int j = 0; j < i; j++)
                {
                    if (keys[j] == keys[i])
                    {
                        return "tag key " + keys[i] + " appears twice";
                    }
                }
            }

            return null;
        }

        private string Refuse(string problem)
        {
            _log.Write(LogLevel.Warning, Source, "not sent: " + problem);
            return problem;
        }

        private string Send(string method, string topic, string replyTopic, string[] keys, string[] values)
        {
            string id = _ids.Next();
            byte[] payload;
            lock (_gate)
            {
                try
                {
                    _writer.Begin(id, false);
                    _writer.Json.BeginArray();
                    for (int i = 0; i < keys.Length; i++)
                    {
                        _writer.Json.BeginObject();
                        _writer.Json.Property("attrKey", keys[i]);
                        if (values != null)
                        {
                            _writer.Json.Property("attrValue", values[i]);
                        }

                        _writer.Json.EndObject();
                    }

                    _writer.Json.EndArray();
                    payload = _writer.Finish(method);
                }
                catch (InvalidOperationException)
                {
                    return Refuse("the request exceeds limits.maxPayloadBytes");
                }
            }

            // Registered before publishing: on a fast link the reply can arrive before Publish returns.
            _pending.Add(id, method, replyTopic, _onOutcome);
            PublishStatus status = _publisher.Publish(topic, payload, 1);
            if (status == PublishStatus.Sent)
            {
                return null;
            }

            if (status == PublishStatus.Queued)
            {
                _pending.Cancel(id, "queued by the outbox while offline; the reply is not tracked");
                return null;
            }

            string why = "the outbox refused the request (" + PublishStatusText(status) + ")";
            _pending.Cancel(id, why);
            return Refuse(why);
        }

        private void OnOutcome(RequestOutcome outcome)
        {
            if (!outcome.Succeeded && outcome.Status == RequestStatus.Replied)
            {
                _log.Write(LogLevel.Warning, Source, outcome.Method + " refused by the cloud: " + outcome.Code.ToString() + " " + (outcome.Message == null ? ReplyCodes.Describe(outcome.Code) : outcome.Message));
            }

            RequestCompletedHandler handler = Completed;
            if (handler != null)
            {
                handler(outcome);
            }
        }

        private static string PublishStatusText(PublishStatus status)
        {
            switch (status)
            {
                case PublishStatus.NotConnected: return "not connected";
                case PublishStatus.InFlightFull: return "in-flight window full";
                case PublishStatus.QueueFull: return "offline queue full";
                case PublishStatus.TooLarge: return "too large";
                case PublishStatus.RateLimited: return "rate limited";
                case PublishStatus.ForeignTopic: return "foreign topic";
            }

            return "status " + ((int)status).ToString();
        }
    }
}
