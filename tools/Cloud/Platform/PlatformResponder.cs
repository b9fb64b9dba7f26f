using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Mqtt;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// Answers devices the way the platform does: property/event/batch/history posts are checked against the product's
    /// thing model and answered on <c>*_reply</c> (200, or a 6xxx code naming the field), <c>firmware/get</c>
    /// with the pending job, NTP requests with server times; OTA inform/progress are recorded.
    /// </summary>
    public sealed class PlatformResponder
    {
        private readonly DeviceRegistry _registry;
        private readonly ICloudBus _bus;
        private readonly Func<string, string, DeviceState> _state;
        private readonly ILog _log;

        /// <summary>Creates the responder; call <see cref="Handle"/> for every message the bus delivers.</summary>
        public PlatformResponder(DeviceRegistry registry, ICloudBus bus, Func<string, string, DeviceState> state, ILog log)
        {
            _registry = registry;
            _bus = bus;
            _state = state;
            _log = log;
        }

        /// <summary>Topic filters the responder needs.</summary>
        public static readonly string[] Subscriptions = { "/sys/#", "/ota/device/#", "/ext/ntp/#", "/ext/rrpc/#" };

        /// <summary>Handles one message if it is a device's upstream request; returns true if it was.</summary>
        public bool Handle(string topic, byte[] payload)
        {
            string[] parts = topic.Split('/');
            if (parts.Length >= 5 && parts[1] == "ota" && parts[2] == "device")
            {
                // /ota/device/{inform|progress}/{pk}/{dn}
                return parts.Length == 6 && HandleOta(parts[3], parts[4], parts[5], payload);
            }

            if (parts.Length == 6 && parts[1] == "ext" && parts[2] == "ntp" && parts[5] == "request")
            {
                return HandleNtp(parts[3], parts[4], payload);
            }

            if (parts.Length < 6 || parts[1] != "sys")
            {
                return false;
            }

            string pk = parts[2];
            string dn = parts[3];
            string rest = string.Join('/', parts.Skip(4));
            if (rest.EndsWith("_reply", StringComparison.Ordinal) || rest.StartsWith("rrpc/", StringComparison.Ordinal)
                || rest.StartsWith("thing/service/", StringComparison.Ordinal))
            {
                return false; // downlink requests (ours) and the device's replies: for waiters, not for us.
            }

            RegisteredDevice device = _registry.Find(pk, dn);
            if (device == null)
            {
                return false;
            }

            DeviceState state = _state(pk, dn);
            state.Seen();
            JsonObject request = AlinkMessages.TryParse(payload);
            string replyTopic = topic + "_reply";
            if (rest == "thing/ota/firmware/get")
            {
                OtaJob job = state.Job;
                JsonNode data = job != null && job.Outcome == null ? job.ToPushData() : new JsonObject();
                _bus.Publish(replyTopic, AlinkMessages.Reply(request?["id"], 200, data, "success", "thing.ota.firmware.get"), 0);
                return true;
            }

            if (!rest.StartsWith("thing/event/", StringComparison.Ordinal) || !rest.EndsWith("/post", StringComparison.Ordinal))
            {
                return false;
            }

            string method = "thing." + rest.Substring("thing/".Length).Replace('/', '.');
            ThingModelDefinition model = _registry.ModelOf(pk);
            TslViolation violation;
            if (request == null)
            {
                violation = new TslViolation(TslCodes.NotJson, "the Alink data is not JSON");
            }
            else if (request["method"] is not JsonValue methodValue || methodValue.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                violation = new TslViolation(TslCodes.UnknownMethod, "method does not exist: the request has no method");
            }
            else if (request["id"] == null)
            {
                violation = new TslViolation(TslCodes.BadFormat, "The format of result is error!");
            }
            else if (rest == "thing/event/property/post")
            {
                violation = model.CheckPropertyPost(request["params"]);
                if (violation == null)
                {
                    state.RecordProperties((JsonObject)request["params"]);
                }
            }
            else if (rest == "thing/event/property/batch/post")
            {
                violation = CheckBatch(model, state, request["params"]);
            }
            else if (rest == "thing/event/property/history/post")
            {
                violation = HistoryPostCheck.Check(model, pk, dn, request["params"], out List<HistoryPostCheck.Reading> readings);
                if (violation == null)
                {
                    state.RecordHistory(readings);
                }
            }
            else
            {
                string eventId = rest.Substring("thing/event/".Length, rest.Length - "thing/event/".Length - "/post".Length);
                violation = model.CheckEventPost(eventId, request["params"]);
                if (violation == null)
                {
                    state.RecordEvent(eventId, request["params"]);
                }
            }

            if (violation != null)
            {
                state.RecordRefused();
                _log.Write(LogLevel.Warning, "cloud", $"{pk}/{dn} {method} refused: {violation}");
            }

            bool wantsReply = (int?)(request?["sys"]?["ack"] as JsonValue) != 0;
            if (wantsReply)
            {
                _bus.Publish(
                    replyTopic,
                    AlinkMessages.Reply(request?["id"], violation?.Code ?? 200, new JsonObject(), violation?.Message ?? "success", method),
                    0);
            }

            return true;
        }

        private static TslViolation CheckBatch(ThingModelDefinition model, DeviceState state, JsonNode parameters)
        {
            // Batch: {"properties":{"P":[{"value":..,"time":..}]},"events":{"E":[{"value":{..},"time":..}]}}, checked
            // value by value. (History posts have their own layout: HistoryPostCheck.)
            IEnumerable<JsonNode> blocks = new[] { parameters };
            foreach (JsonNode block in blocks)
            {
                if (block is not JsonObject obj)
                {
                    return new TslViolation(TslCodes.BadFormat, "params must be an object");
                }

                foreach (var pair in obj["properties"] as JsonObject ?? new JsonObject())
                {
                    IEnumerable<JsonNode> values = pair.Value is JsonArray list ? list : new[] { pair.Value };
                    foreach (JsonNode value in values)
                    {
                        TslViolation violation = model.CheckPropertyPost(new JsonObject { [pair.Key] = value?.DeepClone() });
                        if (violation != null)
                        {
                            return violation;
                        }

                        state.RecordProperties(new JsonObject { [pair.Key] = value?.DeepClone() });
                    }
                }

                foreach (var pair in obj["events"] as JsonObject ?? new JsonObject())
                {
                    IEnumerable<JsonNode> values = pair.Value is JsonArray list ? list : new[] { pair.Value };
                    foreach (JsonNode value in values)
                    {
                        TslViolation violation = model.CheckEventPost(pair.Key, value);
                        if (violation != null)
                        {
                            return violation;
                        }

                        state.RecordEvent(pair.Key, value);
                    }
                }
            }

            return null;
        }

        private bool HandleOta(string kind, string pk, string dn, byte[] payload)
        {
            if (_registry.Find(pk, dn) == null || (kind != "inform" && kind != "progress"))
            {
                return false;
            }

            DeviceState state = _state(pk, dn);
            state.Seen();
            JsonNode parameters = AlinkMessages.TryParse(payload)?["params"];
            if (kind == "inform")
            {
                string version = (string)(parameters?["version"] as JsonValue);
                if (version != null)
                {
                    state.RecordVersion(version);
                    _log.Write(LogLevel.Info, "cloud", $"{pk}/{dn} runs version {version}");
                }
            }
            else
            {
                JsonNode step = parameters?["step"];
                string text = step == null ? null : AlinkMessages.IdText(step);
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
                {
                    state.RecordProgress(value, (string)(parameters["desc"] as JsonValue));
                }
            }

            return true;
        }

        private bool HandleNtp(string pk, string dn, byte[] payload)
        {
            if (_registry.Find(pk, dn) == null)
            {
                return false;
            }

            string received = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            JsonObject request = AlinkMessages.TryParse(payload);
            var response = new JsonObject
            {
                ["deviceSendTime"] = AlinkMessages.IdText(request?["deviceSendTime"]) ?? "0",
                ["serverRecvTime"] = received,
                ["serverSendTime"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            };
            _bus.Publish($"/ext/ntp/{pk}/{dn}/response", Encoding.UTF8.GetBytes(response.ToJsonString()), 0);
            return true;
        }
    }
}
