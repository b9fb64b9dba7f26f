using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Everything the device tells the cloud about its thing model: property posts, event posts, history posts of
    /// readings taken while offline (<see cref="HistoryPostWriter"/>), raw up posts and custom-topic publishes. Posts go out with QoS 1 and ask for a
    /// reply (<c>sys.ack</c> 1); each reply (200, 460, 6xxx ...) or its absence is matched in
    /// <see cref="Pending"/> and surfaced through <see cref="PostCompleted"/> and the log. When the device is
    /// offline, or the outbox refuses a post, the readings go into a bounded buffer and are delivered, with the
    /// times they were taken, as history posts once connected (at most <see cref="HistoryPostWriter.MaxReadings"/>
    /// readings and <c>maxPayloadBytes</c> each, QoS 1 through the outbox); readings dropped because that buffer was full are counted
    /// (<see cref="DroppedReadings"/>) and logged. Thread-safe (sensor thread and session worker both post).
    /// Topics come only from <see cref="DeviceTopics"/>; publishing only through <see cref="IPublisher"/>.
    /// </summary>
    public sealed class ThingReporter
    {
        private const string Source = "thing";
        private const long UnixEpochTicks = 621355968000000000;

        private readonly object _gate = new object();
        private readonly ThingModel _model;
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly AlinkIds _ids;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly AlinkRequestWriter _writer;
        private readonly HistoryPostWriter _history;
        private readonly ReadingBuffer _buffer;
        private readonly PendingRequests _pending;
        private readonly RequestCompletedHandler _onOutcome;
        private bool _online = true;

        // ReportProperty's one-item identifier list, reused (guarded by _gate).
        private readonly string[] _single = new string[1];

        // Values of the property post being written (guarded by _gate): index = declaration index in the model.
        private object[] _staged;
        private int _stagedCount;

        /// <summary>Creates the reporter.</summary>
        /// <param name="model">The thing model (values are stored there).</param>
        /// <param name="topics">This device's topics.</param>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="ids">Per-boot message ids (shared with other components that send requests).</param>
        /// <param name="clock">Wall clock for timestamps, monotonic clock for reply timeouts.</param>
        /// <param name="log">Log.</param>
        /// <param name="maxPayloadBytes">Largest message (device.json limits.maxPayloadBytes).</param>
        /// <param name="requestTimeoutMs">How long to wait for a post reply (limits.requestTimeoutMs).</param>
        /// <param name="bufferCapacity">Readings kept while offline (limits.offlineQueueLength is a good value).</param>
        public ThingReporter(ThingModel model, DeviceTopics topics, IPublisher publisher, AlinkIds ids, IClock clock, ILog log, int maxPayloadBytes, int requestTimeoutMs, int bufferCapacity)
        {
            _model = model;
            _topics = topics;
            _publisher = publisher;
            _ids = ids;
            _clock = clock;
            _log = log;
            _writer = new AlinkRequestWriter(maxPayloadBytes);
            _history = new HistoryPostWriter(topics.ProductKey, topics.DeviceName, _writer);
            _buffer = new ReadingBuffer(bufferCapacity);
            _pending = new PendingRequests(clock, 32, requestTimeoutMs);
            _onOutcome = OnOutcome;
        }

        /// <summary>
        /// Whether the device is connected. While false, posts go to the reading buffer instead of the outbox;
        /// setting it true delivers the buffer. Defaults to true (refused publishes are buffered anyway), so wiring
        /// it to the session's status only saves outbox space.
        /// </summary>
        public bool Online
        {
            get
            {
                lock (_gate)
                {
                    return _online;
                }
            }

            set
            {
                lock (_gate)
                {
                    _online = value;
                    if (value)
                    {
                        DrainLocked();
                    }
                }
            }
        }

        /// <summary>Called for every post that ends (reply, timeout, eviction, cancel). Runs on the completing thread.</summary>
        public RequestCompletedHandler PostCompleted { get; set; }

        /// <summary>Requests waiting for replies.</summary>
        public PendingRequests Pending
        {
            get { return _pending; }
        }

        /// <summary>Readings waiting in the offline buffer.</summary>
        public int BufferedReadings
        {
            get
            {
                lock (_gate)
                {
                    return _buffer.Count;
                }
            }
        }

        /// <summary>Readings lost because the offline buffer was full or a reading could never be sent, since start.</summary>
        public int DroppedReadings
        {
            get
            {
                lock (_gate)
                {
                    return _buffer.Dropped;
                }
            }
        }

        /// <summary>Posts answered with a code other than 200, timed out, or refused outright, since start.</summary>
        public int FailedPosts { get; private set; }

        /// <summary>The code of the last reply received (0 before the first).</summary>
        public int LastReplyCode { get; private set; }

        /// <summary>Stores a property's new value and posts it.</summary>
        /// <returns>null when stored (and posted or buffered), otherwise why not (unknown property, bad value, too large).</returns>
        public string ReportProperty(string identifier, object value)
        {
            string problem = _model.SetValue(identifier, value);
            if (problem != null)
            {
                return problem;
            }

            // One reused one-item array (under the gate, which PostProperties takes again): a sensor reporting
            // every second should not allocate for the list of what it posts.
            lock (_gate)
            {
                _single[0] = identifier;
                try
                {
                    return PostProperties(_single);
                }
                finally
                {
                    _single[0] = null;
                }
            }
        }

        /// <summary>Posts the current values of the given properties in one property post (declaration order).</summary>
        /// <returns>null when posted or buffered, otherwise why not.</returns>
        public string PostProperties(string[] identifiers)
        {
            lock (_gate)
            {
                for (int i = 0; i < identifiers.Length; i++)
                {
                    if (_model.FindProperty(identifiers[i]) == null)
                    {
                        return "property " + identifiers[i] + ": unknown";
                    }
                }

                long now = NowMs();
                int staged = StageValues(identifiers);
                if (staged == 0)
                {
                    return null;
                }

                if (!_online)
                {
                    KeepStaged(now);
                    return null;
                }

                // Online, the JSON is written straight from the staged values: no Reading objects, no list. Readings
                // are only built if the outbox refuses the post (KeepStaged), from the very values that were written.
                string id = _ids.Next();
                byte[] payload;
                try
                {
                    _writer.Begin(id, true);
                    JsonWriter json = _writer.Json;
                    json.BeginObject();
                    bool timed = ClockIsSet();
                    for (int i = 0; i < _stagedCount; i++)
                    {
                        object value = _staged[i];
                        if (value == null)
                        {
                            continue;
                        }

                        PropertyDefinition property = _model.GetProperty(i);
                        json.Name(property.Identifier);
                        if (timed)
                        {
                            json.BeginObject();
                            json.Name("value");
                            property.Write(json, value);
                            json.Property("time", now);
                            json.EndObject();
                        }
                        else
                        {
                            property.Write(json, value);
                        }
                    }

                    json.EndObject();
                    payload = _writer.Finish("thing.event.property.post");
                }
                catch (Exception e)
                {
                    ClearStaged();
                    FailedPosts++;
                    _log.Write(LogLevel.Error, Source, "property post not written: " + e.Message);
                    return "property post not written: " + e.Message;
                }

                bool keep;
                string result = Send(_topics.PropertyPost, _topics.PropertyPostReply, id, "thing.event.property.post", payload, out keep);
                if (keep)
                {
                    KeepStaged(now);
                }

                ClearStaged();
                return result;
            }
        }

        /// <summary>Posts an event with its output parameters (<c>params.value</c> + <c>params.time</c>).</summary>
        /// <param name="eventId">Event identifier.</param>
        /// <param name="outputs">Output identifier → value; may be null or empty.</param>
        /// <returns>null when posted or buffered, otherwise why not ("event E: unknown", "event E output X: expected number").</returns>
        public string PostEvent(string eventId, Hashtable outputs)
        {
            EventDefinition definition = _model.FindEvent(eventId);
            if (definition == null)
            {
                return "event " + eventId + ": unknown";
            }

            Hashtable normalized = new Hashtable();
            if (outputs != null)
            {
                string badName;
                string problem = definition.Outputs.Normalize(outputs, normalized, out badName);
                if (problem != null)
                {
                    return "event " + eventId + " output " + badName + ": " + problem;
                }
            }

            lock (_gate)
            {
                Reading reading = new Reading(definition, normalized, NowMs());
                if (!_online)
                {
                    Keep(reading);
                    return null;
                }

                string id = _ids.Next();
                string method = "thing.event." + eventId + ".post";
                byte[] payload;
                try
                {
                    _writer.Begin(id, true);
                    JsonWriter json = _writer.Json;
                    json.BeginObject();
                    json.Name("value");
                    definition.Outputs.WriteObject(json, normalized);
                    json.Property("time", reading.TimeMs);
                    json.EndObject();
                    payload = _writer.Finish(method);
                }
                catch (Exception e)
                {
                    FailedPosts++;
                    _log.Write(LogLevel.Error, Source, "event post not written: " + e.Message);
                    return "event post not written: " + e.Message;
                }

                string topic = _topics.EventPost(eventId);
                bool keep;
                string result = Send(topic, topic + "_reply", id, method, payload, out keep);
                if (keep)
                {
                    Keep(reading);
                }

                return result;
            }
        }

        /// <summary>Publishes raw bytes on <c>thing/model/up_raw</c> (QoS 1); the answer arrives on up_raw_reply.</summary>
        public PublishStatus PostRaw(byte[] payload)
        {
            return _publisher.Publish(_topics.UpRaw, payload, 1);
        }

        /// <summary>Publishes on the custom topic <c>/{pk}/{dn}/user/{subtopic}</c>.</summary>
        /// <param name="subtopic">The part after <c>user/</c>: levels of letters, digits and <c>_</c> separated by <c>/</c>.</param>
        /// <param name="payload">Bytes to send.</param>
        /// <param name="qos">0 or 1.</param>
        /// <exception cref="ArgumentException">Subtopic with wildcards, empty levels or other characters.</exception>
        public PublishStatus PublishUser(string subtopic, byte[] payload, int qos)
        {
            if (!IsSafeSubtopic(subtopic))
            {
                throw new ArgumentException("user subtopic must be levels of letters, digits and '_' separated by '/'");
            }

            return _publisher.Publish(_topics.UserPrefix + subtopic, payload, qos);
        }

        /// <summary>Expires overdue post replies and delivers buffered readings when online. Call periodically.</summary>
        public void Tick()
        {
            _pending.ExpireDue();
            lock (_gate)
            {
                if (_online)
                {
                    DrainLocked();
                }
            }
        }

        /// <summary>Hands a reply that arrived on a post-reply topic to the pending table.</summary>
        /// <returns>true when it answered a request of ours.</returns>
        public bool OnReply(string topic, AlinkReply reply)
        {
            if (_pending.Complete(topic, reply))
            {
                return true;
            }

            _log.Write(LogLevel.Debug, Source, "reply " + reply.Id + " matches no pending request");
            return false;
        }

        /// <summary>True for levels of letters, digits and '_' separated by single '/'.</summary>
        internal static bool IsSafeSubtopic(string subtopic)
        {
            if (subtopic == null || subtopic.Length == 0 || subtopic.Length > 64)
            {
                return false;
            }

            bool levelStart = true;
            for (int i = 0; i < subtopic.Length; i++)
            {
                char c = subtopic[i];
                if (c == '/')
                {
                    if (levelStart)
                    {
                        return false;
                    }

                    levelStart = true;
                    continue;
                }

                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                if (!ok)
                {
                    return false;
                }

                levelStart = false;
            }

            return !levelStart;
        }

        // Publishes a post and tracks its reply. keep is set true when the post was not sent now (outbox full,
        // offline ...) and its readings must go to the buffer; the caller knows what its readings are.
        private string Send(string topic, string replyTopic, string id, string method, byte[] payload, out bool keep)
        {
            keep = false;
            // Registered before publishing: on a fast link the reply can arrive before Publish returns.
            _pending.Add(id, method, replyTopic, _onOutcome);
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

        /// <summary>
        /// Copies the current values of the requested properties into the reused staging array (index = declaration
        /// index, null = not requested or never set). Reused array: allocates only when the model has grown.
        /// </summary>
        /// <returns>How many values were staged.</returns>
        private int StageValues(string[] identifiers)
        {
            int count = _model.PropertyCount;
            if (_staged == null || _staged.Length < count)
            {
                _staged = new object[count];
            }

            _stagedCount = count;
            int staged = 0;
            for (int i = 0; i < count; i++)
            {
                PropertyDefinition property = _model.GetProperty(i);
                object value = Contains(identifiers, property.Identifier) ? _model.GetValue(property.Identifier) : null;
                _staged[i] = value;
                if (value != null)
                {
                    staged++;
                }
            }

            return staged;
        }

        /// <summary>Buffers the staged values as readings taken at <paramref name="timeMs"/>, then forgets them.</summary>
        private void KeepStaged(long timeMs)
        {
            for (int i = 0; i < _stagedCount; i++)
            {
                if (_staged[i] != null)
                {
                    Keep(new Reading(_model.GetProperty(i), _staged[i], timeMs));
                }
            }

            ClearStaged();
        }

        /// <summary>Drops the references to staged values so the array does not keep old values alive.</summary>
        private void ClearStaged()
        {
            for (int i = 0; i < _stagedCount; i++)
            {
                _staged[i] = null;
            }

            _stagedCount = 0;
        }

        private void Keep(Reading reading)
        {
            Reading dropped = _buffer.Add(reading);
            if (dropped != null)
            {
                _log.Write(LogLevel.Warning, Source, "offline buffer full (" + _buffer.Capacity.ToString() + "): oldest reading dropped, " + _buffer.Dropped.ToString() + " dropped so far");
            }
        }

        // Delivers the buffer oldest first as history posts. A post too large for maxPayloadBytes is halved until it
        // fits; a single reading that never fits is dropped (counted). Readings leave the buffer only once the
        // outbox took the post (Sent or Queued: from then on the outbox's at-least-once delivery holds them).
        private void DrainLocked()
        {
            while (_buffer.Count > 0)
            {
                int count = _buffer.Count < HistoryPostWriter.MaxReadings ? _buffer.Count : HistoryPostWriter.MaxReadings;
                string id = _ids.Next();
                byte[] payload = null;
                while (payload == null)
                {
                    try
                    {
                        payload = _history.Write(id, _buffer, count);
                    }
                    catch (InvalidOperationException)
                    {
                        if (count == 1)
                        {
                            _buffer.DropOldest();
                            _log.Write(LogLevel.Error, Source, "a buffered reading does not fit in one message and was dropped");
                            break;
                        }

                        count = count / 2;
                    }
                }

                if (payload == null)
                {
                    continue;
                }

                _pending.Add(id, HistoryPostWriter.Method, _topics.HistoryPostReply, _onOutcome);
                PublishStatus status = _publisher.Publish(_topics.HistoryPost, payload, 1);
                if (status == PublishStatus.Sent || status == PublishStatus.Queued)
                {
                    if (status == PublishStatus.Queued)
                    {
                        _pending.Cancel(id, "queued by the outbox while offline; the reply is not tracked");
                    }

                    _buffer.RemoveOldest(count);
                    _log.Write(LogLevel.Info, Source, "delivered " + count.ToString() + " buffered readings in history post " + id);
                    continue;
                }

                _pending.Cancel(id, "history post not sent now (status " + ((int)status).ToString() + ")");
                return;
            }
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

        private long NowMs()
        {
            return (_clock.UtcNow.Ticks - UnixEpochTicks) / 10000;
        }

        private bool ClockIsSet()
        {
            // Before SNTP the clock starts in 1970/2000; a timestamp then would be wrong, so post bare values.
            return _clock.UtcNow.Year >= 2024;
        }

        private static bool Contains(string[] items, string item)
        {
            for (int i = 0; i < items.Length; i++)
            {
                if (items[i] == item)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
