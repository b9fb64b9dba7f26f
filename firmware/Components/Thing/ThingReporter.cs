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
    /// Topics come only from <see cref="DeviceTopics"/>; publishing only through <see cref="IPublisher"/>, and never
    /// while holding a lock (a publish can block on the transport; a sensor thread must not wait behind it).
    /// The work is in <see cref="PropertyPost"/> (staging and writing a property post), <see cref="PostTracker"/>
    /// (publishing, replies, failure counts) and <see cref="OfflineHistory"/> (the buffer and its history posts).
    /// </summary>
    public sealed class ThingReporter
    {
        private const string Source = "thing";
        private const long UnixEpochTicks = 621355968000000000;

        // Guards the model lookups of a post, the request writer, the spare PropertyPost and the offline history.
        private readonly object _gate = new object();
        private readonly ThingModel _model;
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly AlinkIds _ids;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly AlinkRequestWriter _writer;
        private readonly PostTracker _posts;
        private readonly OfflineHistory _history;

        // Reused post after post; taken while in use (so published outside the lock), a concurrent post gets a new one.
        private PropertyPost _sparePost = new PropertyPost();

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
            _posts = new PostTracker(publisher, clock, log, requestTimeoutMs);
            HistoryPostWriter history = new HistoryPostWriter(topics.ProductKey, topics.DeviceName, _writer);
            _history = new OfflineHistory(_gate, bufferCapacity, history, ids, topics, publisher, _posts, log);
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
                    return _history.Online;
                }
            }

            set
            {
                lock (_gate)
                {
                    _history.Online = value;
                }

                if (value)
                {
                    _history.Drain();
                }
            }
        }

        /// <summary>Called for every post that ends (reply, timeout, eviction, cancel). Runs on the completing thread.</summary>
        public RequestCompletedHandler PostCompleted
        {
            get { return _posts.PostCompleted; }
            set { _posts.PostCompleted = value; }
        }

        /// <summary>Requests waiting for replies.</summary>
        public PendingRequests Pending
        {
            get { return _posts.Pending; }
        }

        /// <summary>Readings waiting in the offline buffer.</summary>
        public int BufferedReadings
        {
            get
            {
                lock (_gate)
                {
                    return _history.Count;
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
                    return _history.Dropped;
                }
            }
        }

        /// <summary>Posts answered with a code other than 200, timed out, or refused outright, since start.</summary>
        public int FailedPosts
        {
            get { return _posts.FailedPosts; }
        }

        /// <summary>The code of the last reply received (0 before the first).</summary>
        public int LastReplyCode
        {
            get { return _posts.LastReplyCode; }
        }

        /// <summary>Stores a property's new value and posts it.</summary>
        /// <returns>null when stored (and posted or buffered), otherwise why not (unknown property, bad value, too large).</returns>
        public string ReportProperty(string identifier, object value)
        {
            string problem = _model.SetValue(identifier, value);
            if (problem != null)
            {
                return problem;
            }

            // The one identifier is passed as itself: a sensor reporting every second should not allocate a list.
            return Post(null, identifier);
        }

        /// <summary>Posts the current values of the given properties in one property post (declaration order).</summary>
        /// <returns>null when posted or buffered, otherwise why not.</returns>
        public string PostProperties(string[] identifiers)
        {
            return Post(identifiers, null);
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

            Reading reading;
            string id;
            string method = "thing.event." + eventId + ".post";
            byte[] payload;
            lock (_gate)
            {
                reading = new Reading(definition, normalized, NowMs());
                if (!_history.Online)
                {
                    _history.Keep(reading);
                    return null;
                }

                id = _ids.Next();
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
                    _posts.CountUnwritten();
                    _log.Write(LogLevel.Error, Source, "event post not written: " + e.Message);
                    return "event post not written: " + e.Message;
                }
            }

            string topic = _topics.EventPost(eventId);
            bool keep;
            string result = _posts.Send(topic, topic + "_reply", id, method, payload, out keep);
            if (keep)
            {
                lock (_gate)
                {
                    _history.Keep(reading);
                }
            }

            return result;
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
            _posts.Pending.ExpireDue();
            _history.Drain();
        }

        /// <summary>Hands a reply that arrived on a post-reply topic to the pending table.</summary>
        /// <returns>true when it answered a request of ours.</returns>
        public bool OnReply(string topic, AlinkReply reply)
        {
            return _posts.OnReply(topic, reply);
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

        // One property post: staged and written under the lock, published outside it, its values kept as readings
        // (under the lock again) only if the outbox could not take it now.
        private string Post(string[] identifiers, string single)
        {
            PropertyPost post;
            string id;
            long now;
            byte[] payload;
            lock (_gate)
            {
                if (identifiers != null)
                {
                    for (int i = 0; i < identifiers.Length; i++)
                    {
                        if (_model.FindProperty(identifiers[i]) == null)
                        {
                            return "property " + identifiers[i] + ": unknown";
                        }
                    }
                }

                now = NowMs();
                post = TakePost();
                if (post.Stage(_model, identifiers, single) == 0)
                {
                    GivePost(post);
                    return null;
                }

                if (!_history.Online)
                {
                    post.KeepAsReadings(_history, _model, now);
                    GivePost(post);
                    return null;
                }

                id = _ids.Next();
                try
                {
                    payload = post.Write(_writer, _model, id, now, ClockIsSet());
                }
                catch (Exception e)
                {
                    GivePost(post);
                    _posts.CountUnwritten();
                    _log.Write(LogLevel.Error, Source, "property post not written: " + e.Message);
                    return "property post not written: " + e.Message;
                }
            }

            bool keep;
            string result = _posts.Send(_topics.PropertyPost, _topics.PropertyPostReply, id, PropertyPost.Method, payload, out keep);
            lock (_gate)
            {
                if (keep)
                {
                    post.KeepAsReadings(_history, _model, now);
                }

                GivePost(post);
            }

            return result;
        }

        // Caller holds the gate.
        private PropertyPost TakePost()
        {
            PropertyPost post = _sparePost;
            _sparePost = null;
            return post == null ? new PropertyPost() : post;
        }

        // Caller holds the gate. Clears it first so the spare does not keep posted values alive.
        private void GivePost(PropertyPost post)
        {
            post.Clear();
            _sparePost = post;
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
    }
}
