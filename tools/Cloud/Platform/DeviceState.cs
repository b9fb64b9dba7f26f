using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// What the cloud knows about one device: latest properties with a short history each, recent events, its OTA
    /// jobs (the latest with every step). Thread-safe. Bounded: a device that posts for days costs the same.
    /// </summary>
    public sealed class DeviceState
    {
        private const int MaxEvents = 50;

        /// <summary>Values kept per property (the console's short history).</summary>
        public const int HistoryLength = 10;

        /// <summary>OTA jobs kept per device, newest kept.</summary>
        public const int MaxJobs = 20;

        private readonly object _gate = new object();
        private readonly Dictionary<string, JsonNode> _properties = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTime> _propertyTimes = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        private readonly Dictionary<string, Queue<JsonObject>> _history = new Dictionary<string, Queue<JsonObject>>(StringComparer.Ordinal);
        private readonly List<JsonObject> _events = new List<JsonObject>();
        private readonly List<OtaJob> _jobs = new List<OtaJob>();

        // Device time (UTC ms) of each latest value: the post's "time", else when it arrived. A history reading
        // becomes the latest value only when it is not older than this.
        private readonly Dictionary<string, long> _propertyDeviceMs = new Dictionary<string, long>(StringComparer.Ordinal);
        private readonly List<HistoryPostCheck.Reading> _historyReadings = new List<HistoryPostCheck.Reading>();
        private const int MaxHistory = 2000;

        /// <summary>Creates the state of one device.</summary>
        public DeviceState(string productKey, string deviceName)
        {
            ProductKey = productKey;
            DeviceName = deviceName;
        }

        /// <summary>Signalled whenever anything is recorded (waiters re-check their condition).</summary>
        public event Action Changed;

        /// <summary>ProductKey.</summary>
        public string ProductKey { get; }

        /// <summary>DeviceName.</summary>
        public string DeviceName { get; }

        /// <summary>UTC time of the last message from the device.</summary>
        public DateTime? LastSeenUtc { get; private set; }

        /// <summary>True while the device has a live connection to the broker.</summary>
        public bool Online { get; private set; }

        /// <summary>UTC time the device last connected or disconnected; null when it never connected.</summary>
        public DateTime? ConnectionChangedUtc { get; private set; }

        /// <summary>Messages received from the device.</summary>
        public long MessagesIn { get; private set; }

        /// <summary>Property posts accepted (code 200).</summary>
        public long PostsAccepted { get; private set; }

        /// <summary>Posts refused with a 6xxx code.</summary>
        public long PostsRefused { get; private set; }

        /// <summary>Version last reported on <c>/ota/device/inform</c>.</summary>
        public string FirmwareVersion { get; private set; }

        /// <summary>The latest OTA job pushed to this device, or null.</summary>
        public OtaJob Job { get; private set; }

        /// <summary>Number of OTA jobs kept for this device (at most <see cref="MaxJobs"/>).</summary>
        public int JobCount
        {
            get
            {
                lock (_gate)
                {
                    return _jobs.Count;
                }
            }
        }

        /// <summary>Latest value of a property, or null.</summary>
        public JsonNode Property(string identifier)
        {
            lock (_gate)
            {
                return _properties.GetValueOrDefault(identifier)?.DeepClone();
            }
        }

        /// <summary>Number of events recorded with that identifier.</summary>
        public int EventCount(string identifier)
        {
            lock (_gate)
            {
                return _events.Count(e => (string)e["identifier"] == identifier);
            }
        }

        /// <summary>Progress steps reported for the latest job, oldest first.</summary>
        public IReadOnlyList<int> OtaSteps()
        {
            lock (_gate)
            {
                return Job == null ? Array.Empty<int>() : Job.Steps.Select(s => (int)s["step"]).ToList();
            }
        }

        /// <summary>The last values of a property, oldest first (at most <see cref="HistoryLength"/>).</summary>
        public IReadOnlyList<JsonNode> History(string identifier)
        {
            lock (_gate)
            {
                return _history.TryGetValue(identifier, out Queue<JsonObject> values)
                    ? values.Select(v => v["value"]?.DeepClone()).ToList()
                    : Array.Empty<JsonNode>();
            }
        }

        /// <summary>Records an incoming message.</summary>
        public void Seen()
        {
            lock (_gate)
            {
                LastSeenUtc = DateTime.UtcNow;
                MessagesIn++;
            }
        }

        /// <summary>Why the device's last connection ended (the broker's words), or null when not known.</summary>
        public string OfflineReason { get; private set; }

        /// <summary>Records why the device's last connection ended (read from the broker's log, maybe after the presence).</summary>
        public void RecordOfflineReason(string reason)
        {
            lock (_gate)
            {
                OfflineReason = reason;
            }

            Changed?.Invoke();
        }

        /// <summary>Records that the device's connection started or ended; false when that was known already.</summary>
        /// <param name="online">Connected or not.</param>
        /// <param name="reason">Why the connection ended (keep-alive timeout, DISCONNECT, kicked...), or null.</param>
        public bool RecordPresence(bool online, string reason = null)
        {
            lock (_gate)
            {
                if (Online == online && ConnectionChangedUtc != null)
                {
                    return false;
                }

                Online = online;
                OfflineReason = reason ?? OfflineReason;
                ConnectionChangedUtc = DateTime.UtcNow;
            }

            Changed?.Invoke();
            return true;
        }

        /// <summary>Records accepted property values (bare or {value,time}).</summary>
        public void RecordProperties(JsonObject values)
        {
            lock (_gate)
            {
                PostsAccepted++;
                foreach (var pair in values)
                {
                    JsonNode value = pair.Value is JsonObject wrapped && wrapped.ContainsKey("value") ? wrapped["value"] : pair.Value;
                    long deviceMs = pair.Value is JsonObject timed && timed["time"] is JsonValue time && time.TryGetValue(out long ms)
                        ? ms
                        : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    DateTime now = DateTime.UtcNow;
                    _properties[pair.Key] = value?.DeepClone();
                    _propertyTimes[pair.Key] = now;
                    if (!_history.TryGetValue(pair.Key, out Queue<JsonObject> history))
                    {
                        history = _history[pair.Key] = new Queue<JsonObject>();
                    }

                    history.Enqueue(new JsonObject { ["value"] = value?.DeepClone(), ["timeUtc"] = now.ToString("O") });
                    if (history.Count > HistoryLength)
                    {
                        history.Dequeue();
                    }
                    _propertyDeviceMs[pair.Key] = deviceMs;
                }
            }

            Changed?.Invoke();
        }

        /// <summary>Readings received in history posts since start (all of them, also those no longer kept).</summary>
        public long HistoryReadings { get; private set; }

        /// <summary>The latest history readings (at most 2000), in the order received, with the devices' own times.</summary>
        public IReadOnlyList<HistoryPostCheck.Reading> History()
        {
            lock (_gate)
            {
                return _historyReadings.ToList();
            }
        }

        /// <summary>
        /// Records the readings of an accepted history post. A property reading also becomes the latest value when it
        /// is not older than the one held (readings taken offline before any live post are the latest there is).
        /// </summary>
        public void RecordHistory(IReadOnlyList<HistoryPostCheck.Reading> readings)
        {
            lock (_gate)
            {
                PostsAccepted++;
                HistoryReadings += readings.Count;
                _historyReadings.AddRange(readings);
                foreach (HistoryPostCheck.Reading reading in readings)
                {
                    if (!reading.IsEvent && (!_propertyDeviceMs.TryGetValue(reading.Identifier, out long latestMs) || reading.TimeMs >= latestMs))
                    {
                        _properties[reading.Identifier] = reading.Value.DeepClone();
                        _propertyTimes[reading.Identifier] = DateTime.UtcNow;
                        _propertyDeviceMs[reading.Identifier] = reading.TimeMs;
                    }
                }

                if (_historyReadings.Count > MaxHistory)
                {
                    _historyReadings.RemoveRange(0, _historyReadings.Count - MaxHistory);
                }
            }

            Changed?.Invoke();
        }

        /// <summary>Counts a refused post.</summary>
        public void RecordRefused()
        {
            lock (_gate)
            {
                PostsRefused++;
            }

            Changed?.Invoke();
        }

        /// <summary>Records an accepted event.</summary>
        public void RecordEvent(string identifier, JsonNode parameters)
        {
            lock (_gate)
            {
                _events.Add(new JsonObject
                {
                    ["identifier"] = identifier,
                    ["params"] = parameters?.DeepClone(),
                    ["receivedUtc"] = DateTime.UtcNow.ToString("O"),
                });
                if (_events.Count > MaxEvents)
                {
                    _events.RemoveAt(0);
                }
            }

            Changed?.Invoke();
        }

        /// <summary>Records the version the device informed; completes a job for that version.</summary>
        public void RecordVersion(string version)
        {
            lock (_gate)
            {
                FirmwareVersion = version;
                if (Job != null && Job.Outcome == null && Job.Version == version && Job.Steps.Count > 0)
                {
                    Job.Outcome = OtaJob.Succeeded;
                    Job.FinishedUtc = DateTime.UtcNow;
                }
            }

            Changed?.Invoke();
        }

        /// <summary>
        /// Starts tracking a new job; the previous one stays in the job list, marked canceled if it had not ended
        /// (the device now works on the new one).
        /// </summary>
        public void StartJob(OtaJob job)
        {
            lock (_gate)
            {
                if (Job != null && Job.Outcome == null)
                {
                    Job.Outcome = OtaJob.Canceled;
                    Job.FinishedUtc = DateTime.UtcNow;
                    Job.FailureDescription = "replaced by the job for version " + job.Version;
                }

                job.PushedUtc = DateTime.UtcNow;
                Job = job;
                _jobs.Add(job);
                if (_jobs.Count > MaxJobs)
                {
                    _jobs.RemoveAt(0);
                }
            }

            Changed?.Invoke();
        }

        /// <summary>Records a progress report; a negative step ends the job as failed.</summary>
        public void RecordProgress(int step, string desc)
        {
            lock (_gate)
            {
                if (Job == null)
                {
                    return;
                }

                Job.Steps.Add(new JsonObject { ["step"] = step, ["desc"] = desc });
                if (Job.Outcome == null && step < 0)
                {
                    Job.Outcome = OtaJob.Failed;
                    Job.FinishedUtc = DateTime.UtcNow;
                    Job.FailureStep = step;
                    Job.FailureDescription = desc;
                }
            }

            Changed?.Invoke();
        }

        /// <summary>A JSON snapshot for the CLI and the control API (never contains a secret).</summary>
        public JsonObject ToJson()
        {
            lock (_gate)
            {
                var properties = new JsonObject();
                foreach (var pair in _properties)
                {
                    properties[pair.Key] = new JsonObject
                    {
                        ["value"] = pair.Value?.DeepClone(),
                        ["updatedUtc"] = _propertyTimes[pair.Key].ToString("O"),
                        ["history"] = new JsonArray(_history[pair.Key].Select(v => (JsonNode)v.DeepClone()).ToArray()),
                    };
                }

                return new JsonObject
                {
                    ["productKey"] = ProductKey,
                    ["deviceName"] = DeviceName,
                    ["status"] = Online ? "online" : ConnectionChangedUtc == null ? "never connected" : "offline",
                    ["connectionChangedUtc"] = ConnectionChangedUtc?.ToString("O"),
                    ["offlineReason"] = Online ? null : OfflineReason,
                    ["lastSeenUtc"] = LastSeenUtc?.ToString("O"),
                    ["messagesIn"] = MessagesIn,
                    ["postsAccepted"] = PostsAccepted,
                    ["postsRefused"] = PostsRefused,
                    ["historyReadings"] = HistoryReadings,
                    ["firmwareVersion"] = FirmwareVersion,
                    ["properties"] = properties,
                    ["events"] = new JsonArray(_events.Select(e => (JsonNode)e.DeepClone()).ToArray()),
                    ["ota"] = Job?.ToJson(withSteps: true),
                    ["otaJobs"] = new JsonArray(Enumerable.Reverse(_jobs).Select(j => (JsonNode)j.ToJson(withSteps: false)).ToArray()),
                };
            }
        }
    }
}
