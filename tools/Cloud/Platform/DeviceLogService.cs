using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Mqtt;
using AliyunIot.Cloud.Registry;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// The platform's device local logs ("Report device logs", https://help.aliyun.com/document_detail/159857.html):
    /// the per-device switch the console sets (<c>mode</c> 0/1, off by default), answered on
    /// <c>thing/config/log/get_reply</c> and pushed on <c>thing/config/log/push</c>; and the lines devices post on
    /// <c>thing/log/post</c> (params: array of utcTime, logLevel, module, code, traceContext, logContent), checked and
    /// kept (the newest <see cref="MaxLinesPerDevice"/> per device). Extension of this local cloud: the switch may
    /// carry <c>logLevel</c> (the lowest level the device posts); the real platform only has mode.
    /// </summary>
    public sealed class DeviceLogService
    {
        /// <summary>Lines kept per device.</summary>
        public const int MaxLinesPerDevice = 500;

        private static readonly string[] Levels = { "FATAL", "ERROR", "WARN", "INFO", "DEBUG" };
        private readonly DeviceRegistry _registry;
        private readonly ICloudBus _bus;
        private readonly ILog _log;
        private readonly ConcurrentDictionary<string, LogSwitchState> _switches = new ConcurrentDictionary<string, LogSwitchState>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, List<JsonObject>> _lines = new ConcurrentDictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        private long _nextId = 5000;

        /// <summary>Creates the service.</summary>
        public DeviceLogService(DeviceRegistry registry, ICloudBus bus, ILog log)
        {
            _registry = registry;
            _bus = bus;
            _log = log;
        }

        /// <summary>Raised after lines of a device were stored.</summary>
        public event Action Changed;

        /// <summary>The lines a device posted (oldest first; each as the device sent it).</summary>
        public IReadOnlyList<JsonObject> Lines(string productKey, string deviceName)
        {
            if (!_lines.TryGetValue(productKey + "/" + deviceName, out List<JsonObject> lines))
            {
                return Array.Empty<JsonObject>();
            }

            lock (lines)
            {
                return lines.Select(l => (JsonObject)l.DeepClone()).ToList();
            }
        }

        /// <summary>The switch of a device: mode and level (null: the device's own).</summary>
        public (int Mode, string Level) Switch(string productKey, string deviceName) =>
            _switches.TryGetValue(productKey + "/" + deviceName, out LogSwitchState s) ? (s.Mode, s.Level) : (0, null);

        /// <summary>
        /// Sets the switch of a device and pushes it (<c>thing.config.log.push</c>, as the console's switch does).
        /// </summary>
        /// <param name="productKey">Product.</param>
        /// <param name="deviceName">Device.</param>
        /// <param name="mode">1 posts, 0 stops.</param>
        /// <param name="level">DEBUG, INFO, WARN or ERROR (this cloud's extension), or null.</param>
        /// <returns>The pushed payload.</returns>
        public string SetSwitch(string productKey, string deviceName, int mode, string level)
        {
            if (_registry.Find(productKey, deviceName) == null)
            {
                throw new ArgumentException($"device {productKey}/{deviceName} is not registered");
            }

            if (mode != 0 && mode != 1)
            {
                throw new ArgumentException("mode is 0 (off) or 1 (on)");
            }

            level = level?.ToUpperInvariant();
            if (level != null && (level == "FATAL" || !Levels.Contains(level)))
            {
                throw new ArgumentException("level is DEBUG, INFO, WARN or ERROR");
            }

            _switches[productKey + "/" + deviceName] = new LogSwitchState(mode, level);
            var request = new JsonObject
            {
                ["id"] = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["version"] = "1.0",
                ["params"] = new JsonObject { ["getType"] = "content", ["content"] = Content(mode, level) },
                ["method"] = "thing.config.log.push",
            };
            string payload = request.ToJsonString();
            _bus.Publish($"/sys/{productKey}/{deviceName}/thing/config/log/push", System.Text.Encoding.UTF8.GetBytes(payload), 1);
            _log.Write(LogLevel.Info, "cloud", $"{productKey}/{deviceName}: device log {(mode == 1 ? "on" : "off")}{(level == null ? string.Empty : " at " + level)}");
            return payload;
        }

        /// <summary>Answers <c>thing/config/log/get</c> and records <c>thing/log/post</c>; true when the message was one.</summary>
        public bool Handle(string topic, byte[] payload)
        {
            string[] parts = topic.Split('/');
            if (parts.Length < 7 || parts[1] != "sys" || parts[4] != "thing")
            {
                return false;
            }

            string rest = string.Join('/', parts.Skip(5));
            if (rest != "log/post" && rest != "config/log/get")
            {
                return false;
            }

            string pk = parts[2];
            string dn = parts[3];
            if (_registry.Find(pk, dn) == null)
            {
                return false;
            }

            JsonObject request = AlinkMessages.TryParse(payload);
            if (rest == "config/log/get")
            {
                (int mode, string level) = Switch(pk, dn);
                var data = new JsonObject { ["getType"] = "content", ["content"] = Content(mode, level) };
                _bus.Publish(topic + "_reply", AlinkMessages.Reply(request?["id"], request == null ? 460 : 200, request == null ? new JsonObject() : data, request == null ? "request parameter error" : "success", "thing.config.log.get"), 0);
                return true;
            }

            string problem = Check(request);
            if (problem == null)
            {
                Store(pk, dn, (JsonArray)request["params"]);
            }
            else
            {
                _log.Write(LogLevel.Warning, "cloud", $"{pk}/{dn} thing.log.post refused: {problem}");
            }

            bool wantsReply = (int?)(request?["sys"]?["ack"] as JsonValue) != 0;
            if (wantsReply)
            {
                _bus.Publish(topic + "_reply", AlinkMessages.Reply(request?["id"], problem == null ? 200 : 460, new JsonObject(), problem ?? "success", "thing.log.post"), 0);
            }

            return true;
        }

        private static JsonObject Content(int mode, string level)
        {
            var content = new JsonObject { ["mode"] = mode };
            if (level != null)
            {
                content["logLevel"] = level;
            }

            return content;
        }

        private static string Check(JsonObject request)
        {
            if (request == null || request["id"] == null)
            {
                return "request parameter error: not an Alink request";
            }

            if (request["params"] is not JsonArray lines || lines.Count == 0)
            {
                return "request parameter error: params must be a non-empty array of log lines";
            }

            foreach (JsonNode line in lines)
            {
                if (line is not JsonObject entry)
                {
                    return "request parameter error: a log line is not an object";
                }

                foreach (string field in new[] { "utcTime", "logLevel", "module", "logContent" })
                {
                    if (entry[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
                    {
                        return $"request parameter error: {field} must be a string";
                    }
                }
            }

            return null;
        }

        private void Store(string pk, string dn, JsonArray lines)
        {
            List<JsonObject> kept = _lines.GetOrAdd(pk + "/" + dn, _ => new List<JsonObject>());
            lock (kept)
            {
                foreach (JsonNode line in lines)
                {
                    kept.Add((JsonObject)line.DeepClone());
                }

                if (kept.Count > MaxLinesPerDevice)
                {
                    kept.RemoveRange(0, kept.Count - MaxLinesPerDevice);
                }
            }

            Changed?.Invoke();
        }

        private sealed record LogSwitchState(int Mode, string Level);
    }
}
