using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.LogPost
{
    /// <summary>
    /// Log post (Link SDK 4.x <c>components/logpost</c>): asks <c>thing.config.log.get</c> after every connect and
    /// follows <c>thing/config/log/push</c> (<c>content.mode</c> 1 posts, 0 stops; off until the cloud says on, as
    /// LOGPOST_DEFAULT_LOG_ONOFF). Lines offered through <see cref="CloudLog"/> at or above the level are scrubbed
    /// (<see cref="LogScrubber"/>), cut to <see cref="LogPostSettings.MaxLineChars"/> and kept in a bounded buffer;
    /// a full buffer drops the newest line and counts it (a following post says how many). <see cref="Tick"/> (the
    /// application's main loop) sends at most ONE <c>thing.log.post</c> of at most
    /// <see cref="LogPostSettings.MaxBytesPerInterval"/> bytes per <see cref="LogPostSettings.IntervalMs"/>, at QoS 0
    /// (as the Link SDK), only while connected and only when the outbox has no QoS 1 message waiting: property posts
    /// always go first and logging takes a bounded share of the platform's rate. A post that cannot be sent is
    /// dropped and counted, never queued.
    /// </summary>
    public sealed class LogPoster : IMessageHandler
    {
        private const int MaxPayloadBytes = 1024;
        private const int MaxModuleChars = 32;
        private const string LogSource = "logpost";

        private readonly object _gate = new object();
        private readonly LogPostTopics _topics;
        private readonly IPublisher _publisher;
        private readonly AlinkIds _ids;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly LogPostSettings _settings;
        private readonly LogScrubber _scrubber = new LogScrubber();
        private readonly LogLineBuffer _buffer;
        private readonly AlinkRequestWriter _writer;
        private bool _enabled;
        private int _level;
        private bool _cloudLevel;
        private long _lastPostMs = long.MinValue;
        private long _dropped;
        private long _droppedReported;
        private long _posted;
        private long _posts;
        private long _failed;

        /// <summary>Creates the poster; attach it to a <see cref="CloudLog"/> and add it to the session.</summary>
        /// <param name="topics">The device's topics.</param>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="ids">The device's Alink id counter.</param>
        /// <param name="clock">UTC for the lines' time, monotonic time for the interval.</param>
        /// <param name="log">Where the poster's own diagnostics go: the INNER log (never posted).</param>
        /// <param name="settings">The <c>logPost</c> section, or null for defaults.</param>
        public LogPoster(DeviceTopics topics, IPublisher publisher, AlinkIds ids, IClock clock, ILog log, LogPostSettings settings)
        {
            if (topics == null || publisher == null || ids == null || clock == null || log == null)
            {
                throw new ArgumentNullException("topics, publisher, ids, clock and log are required");
            }

            _topics = new LogPostTopics(topics);
            _publisher = publisher;
            _ids = ids;
            _clock = clock;
            _log = log;
            _settings = settings == null ? new LogPostSettings() : settings;
            _level = (int)_settings.Level;
            _buffer = new LogLineBuffer(_settings.MaxLines, _settings.BufferBytes);
            _writer = new AlinkRequestWriter(_settings.MaxBytesPerInterval + 64);
        }

        /// <summary>This component's topics.</summary>
        public LogPostTopics Topics
        {
            get { return _topics; }
        }

        /// <summary>Optional: the session's outbox; posts wait while it has QoS 1 messages pending or is detached.</summary>
        public Outbox Outbox { get; set; }

        /// <summary>Masks secrets in posted lines (see <see cref="LogScrubber"/>).</summary>
        public LogScrubber Scrubber
        {
            get { return _scrubber; }
        }

        /// <summary>True while the cloud has log posting switched on.</summary>
        public bool Enabled
        {
            get { lock (_gate) { return _enabled; } }
        }

        /// <summary>Lowest level posted.</summary>
        public LogLevel Level
        {
            get { lock (_gate) { return (LogLevel)_level; } }
        }

        /// <summary>Lines waiting in the buffer.</summary>
        public int Pending
        {
            get { lock (_gate) { return _buffer.Count; } }
        }

        /// <summary>Lines dropped because the buffer was full (offline, or faster than the budget).</summary>
        public long Dropped
        {
            get { lock (_gate) { return _dropped; } }
        }

        /// <summary>Lines handed to the transport.</summary>
        public long Posted
        {
            get { lock (_gate) { return _posted; } }
        }

        /// <summary>thing.log.post messages handed to the transport.</summary>
        public long Posts
        {
            get { lock (_gate) { return _posts; } }
        }

        /// <summary>Lines lost because their post could not be sent (disconnected, rate limited).</summary>
        public long Failed
        {
            get { lock (_gate) { return _failed; } }
        }

        /// <summary>Offers one log line (called by <see cref="CloudLog"/> on the writer's thread; never publishes).</summary>
        public void Capture(LogLevel level, string source, string message)
        {
            lock (_gate)
            {
                if (!_enabled || (int)level < _level)
                {
                    return;
                }
            }

            string content = Cut(_scrubber.Clean(message), _settings.MaxLineChars);
            string module = Cut(source == null ? string.Empty : source, MaxModuleChars);
            int size = LogPostWriter.LineOverhead + LogPostWriter.JsonSize(module) + LogPostWriter.JsonSize(content);
            long ticks = _clock.UtcNow.Ticks;
            lock (_gate)
            {
                if (!_buffer.Add((int)level, module, content, ticks, size))
                {
                    _dropped++;
                }
            }
        }

        /// <summary>
        /// Posts what the budget allows when due (call it from the main loop, e.g. every second).
        /// </summary>
        /// <returns>Lines posted by this call.</returns>
        public int Tick()
        {
            long now = _clock.MonotonicMs;
            Outbox outbox = Outbox;
            byte[] payload;
            int lines;
            lock (_gate)
            {
                if (!_enabled || _buffer.Count == 0 && _dropped == _droppedReported)
                {
                    return 0;
                }

                if (_lastPostMs != long.MinValue && now - _lastPostMs < _settings.IntervalMs)
                {
                    return 0;
                }

                if (outbox != null && (!outbox.IsAttached || outbox.PendingCount > 0))
                {
                    return 0;
                }

                payload = Build(out lines);
                _lastPostMs = now;
            }

            PublishStatus status = _publisher.Publish(_topics.Post, payload, 0);
            lock (_gate)
            {
                if (status == PublishStatus.Sent)
                {
                    _posted += lines;
                    _posts++;
                }
                else
                {
                    _failed += lines;
                }
            }

            if (status != PublishStatus.Sent)
            {
                _log.Write(LogLevel.Debug, LogSource, lines.ToString() + " log line(s) not posted: " + status.ToString());
                return 0;
            }

            return lines;
        }

        /// <summary>Call after every connect: asks whether to post (<c>thing.config.log.get</c>).</summary>
        /// <remarks>Link SDK's _logpost_get_config, with the method the documentation adds:
        /// <c>{"id":"3","version":"1.0","params":{"getType":"content","configScope":"device"},"method":"thing.config.log.get"}</c>.</remarks>
        public PublishStatus OnConnected()
        {
            byte[] payload;
            lock (_gate)
            {
                _writer.Begin(_ids.Next(), false);
                JsonWriter json = _writer.Json;
                json.BeginObject();
                json.Property("getType", "content");
                json.Property("configScope", "device");
                json.EndObject();
                payload = _writer.Finish("thing.config.log.get");
            }

            return _publisher.Publish(_topics.ConfigGet, payload, 0);
        }

        /// <inheritdoc />
        public void AddSubscriptions(ArrayList topics)
        {
            topics.Add(_topics.ConfigPush);
            topics.Add(_topics.ConfigGetReply);
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            bool push = topic == _topics.ConfigPush;
            if (!push && topic != _topics.ConfigGetReply)
            {
                return false;
            }

            bool enabled;
            int level;
            string problem = LogSwitch.Read(payload, push, MaxPayloadBytes, out enabled, out level);
            if (problem != null)
            {
                // The switch stays as it was; the platform defines no reply to a log config message.
                _log.Write(LogLevel.Warning, LogSource, "log config ignored (" + (push ? "push" : "get_reply") + "): " + problem);
                return true;
            }

            Apply(enabled, level);
            return true;
        }

        /// <summary>Applies a switch read from the cloud (also for tests and local control).</summary>
        /// <param name="enabled">Post (mode 1) or not (mode 0).</param>
        /// <param name="level">Level the cloud set, or -1 to keep device.json's.</param>
        public void Apply(bool enabled, int level)
        {
            lock (_gate)
            {
                _enabled = enabled;
                _cloudLevel = level >= 0;
                _level = level >= 0 ? level : (int)_settings.Level;
                if (!enabled)
                {
                    _buffer.Clear();
                }
            }

            _log.Write(LogLevel.Info, LogSource, enabled ? "posting log lines at " + LogLevelNames.Of((LogLevel)Level) + " and above" + (_cloudLevel ? " (level from the cloud)" : string.Empty) : "log posting switched off by the cloud");
        }

        // Under _gate: the oldest lines that fit the budget, and a note of dropped lines first.
        private byte[] Build(out int lines)
        {
            _writer.Begin(_ids.Next(), false);
            JsonWriter json = _writer.Json;
            json.BeginArray();
            int budget = _settings.MaxBytesPerInterval - LogPostWriter.EnvelopeOverhead;
            long newlyDropped = _dropped - _droppedReported;
            if (newlyDropped > 0)
            {
                LogPostWriter.Line(json, _clock.UtcNow.Ticks, "WARN", LogSource, newlyDropped.ToString() + " log line(s) dropped: buffer full");
                _droppedReported = _dropped;
                budget -= LogPostWriter.LineOverhead + 64;
            }

            lines = 0;
            while (lines < _buffer.Count && _buffer.Size(lines) <= budget)
            {
                budget -= _buffer.Size(lines);
                LogPostWriter.Line(json, _buffer.Ticks(lines), LogLevelNames.Of((LogLevel)_buffer.Level(lines)), _buffer.Source(lines), _buffer.Message(lines));
                lines++;
            }

            _buffer.RemoveFirst(lines);
            json.EndArray();
            return _writer.Finish("thing.log.post");
        }

        private static string Cut(string text, int max)
        {
            return text.Length <= max ? text : text.Substring(0, max - 1) + "\u2026";
        }
    }
}
