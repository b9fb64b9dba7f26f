using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Mqtt;
using AliyunIot.Cloud.Registry;
using AliyunIot.Ports;
using AliyunIot.Shadow;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// The device shadow as the platform keeps it ("Device shadow data stream", https://help.aliyun.com/document_detail/53964.html;
    /// aliyun-protocol.md §3.14): per device a reported and a desired state with per-attribute timestamps
    /// (<c>metadata</c>) and a version. Devices publish on <c>/shadow/update/{pk}/{dn}</c> (<c>update</c>, <c>get</c>,
    /// <c>delete</c>); every answer goes to <c>/shadow/get/{pk}/{dn}</c>:
    /// <c>{"method":"reply","payload":{"status":"success","version":N},"timestamp":S}</c> after an update or delete,
    /// the whole document for a get, and <c>{"method":"reply","payload":{"status":"error","content":{"errorcode":"409","errormessage":"…"}},"timestamp":S}</c>
    /// for a refused request (codes 400–409 and 500 of the page's table, <see cref="ShadowErrorCodes"/>). A request
    /// is applied only when its version is newer than the shadow's; version -1 clears the shadow and sets its
    /// version to 0 (the page's rule for <c>version</c>). The application side (UpdateDeviceShadow,
    /// https://www.alibabacloud.com/help/doc-detail/69954.htm) sets the desired state through
    /// <see cref="SetDesired"/>, which pushes <c>{"method":"control","payload":{"status":"success","state":…,"metadata":…},"version":N,"timestamp":S}</c>.
    /// Timestamps are Unix seconds, as in the page's examples.
    /// </summary>
    public sealed class ShadowService
    {
        /// <summary>Topic filter the service needs.</summary>
        public const string UpdateFilter = "/shadow/update/#";

        private readonly object _gate = new object();
        private readonly Dictionary<string, ShadowDocument> _shadows = new Dictionary<string, ShadowDocument>(StringComparer.Ordinal);
        private readonly DeviceRegistry _registry;
        private readonly ICloudBus _bus;
        private readonly ILog _log;

        /// <summary>Creates the service; <see cref="Handle"/> takes every message on <see cref="UpdateFilter"/>.</summary>
        public ShadowService(DeviceRegistry registry, ICloudBus bus, ILog log)
        {
            _registry = registry;
            _bus = bus;
            _log = log;
        }

        /// <summary>Raised after every change of a shadow.</summary>
        public event Action Changed;

        /// <summary>Requests refused with an error reply, since start.</summary>
        public long Refused { get; private set; }

        /// <summary>Handles a device's shadow request; false when the topic is not <c>/shadow/update/{pk}/{dn}</c> of a registered device.</summary>
        public bool Handle(string topic, byte[] payload)
        {
            string[] parts = topic.Split('/');
            if (parts.Length != 5 || parts[1] != "shadow" || parts[2] != "update" || _registry.Find(parts[3], parts[4]) == null)
            {
                return false;
            }

            string pk = parts[3];
            string dn = parts[4];
            byte[] answer;
            lock (_gate)
            {
                answer = Apply(ShadowDocumentOf(pk, dn), payload, out int error);
                if (error != 0)
                {
                    Refused++;
                    _log.Write(LogLevel.Warning, "cloud", $"{pk}/{dn} shadow request refused: {error} {ShadowErrorCodes.Describe(error)}");
                }
            }

            _bus.Publish(GetTopic(pk, dn), answer, 1);
            Changed?.Invoke();
            return true;
        }

        /// <summary>
        /// Sets desired attributes as the UpdateDeviceShadow API does and pushes them to the device (<c>control</c>).
        /// </summary>
        /// <param name="productKey">Product.</param>
        /// <param name="deviceName">Device.</param>
        /// <param name="desired">Desired attributes (merged into the desired state).</param>
        /// <param name="version">The new version, which must be newer than the shadow's; null takes the next one.</param>
        /// <returns>200 and the new version, or <see cref="ShadowErrorCodes.VersionConflict"/> and the shadow's version (nothing pushed).</returns>
        /// <exception cref="ArgumentException">An unknown device or no desired attribute.</exception>
        public (int Code, long Version) SetDesired(string productKey, string deviceName, JsonObject desired, long? version)
        {
            if (_registry.Find(productKey, deviceName) == null)
            {
                throw new ArgumentException($"device {productKey}/{deviceName} is not registered");
            }

            if (desired == null || desired.Count == 0)
            {
                throw new ArgumentException("desired must hold at least one attribute");
            }

            byte[] push;
            long now = Now();
            lock (_gate)
            {
                ShadowDocument shadow = ShadowDocumentOf(productKey, deviceName);
                long next = version ?? shadow.Version + 1;
                if (next <= shadow.Version)
                {
                    return (ShadowErrorCodes.VersionConflict, shadow.Version);
                }

                foreach (var pair in desired)
                {
                    shadow.Desired[pair.Key] = pair.Value?.DeepClone();
                    shadow.DesiredTimes[pair.Key] = now;
                }

                shadow.Version = next;
                var message = new JsonObject
                {
                    ["method"] = "control",
                    ["payload"] = new JsonObject
                    {
                        ["status"] = "success",
                        ["state"] = shadow.State(),
                        ["metadata"] = shadow.Metadata(),
                    },
                    ["version"] = shadow.Version,
                    ["timestamp"] = now,
                };
                push = Encoding.UTF8.GetBytes(message.ToJsonString());
                version = shadow.Version;
            }

            _bus.Publish(GetTopic(productKey, deviceName), push, 1);
            _log.Write(LogLevel.Info, "cloud", $"{productKey}/{deviceName} shadow desired set, version {version}");
            Changed?.Invoke();
            return (200, version.Value);
        }

        /// <summary>The shadow as GetDeviceShadow returns it: <c>{"state":…,"metadata":…,"timestamp":S,"version":N}</c>.</summary>
        public JsonObject ToJson(string productKey, string deviceName)
        {
            lock (_gate)
            {
                ShadowDocument shadow = ShadowDocumentOf(productKey, deviceName);
                return new JsonObject
                {
                    ["state"] = shadow.State(),
                    ["metadata"] = shadow.Metadata(),
                    ["timestamp"] = Now(),
                    ["version"] = shadow.Version,
                };
            }
        }

        /// <summary>The shadow's version.</summary>
        public long VersionOf(string productKey, string deviceName)
        {
            lock (_gate)
            {
                return ShadowDocumentOf(productKey, deviceName).Version;
            }
        }

        /// <summary>A reported attribute, or null.</summary>
        public JsonNode Reported(string productKey, string deviceName, string key)
        {
            lock (_gate)
            {
                return ShadowDocumentOf(productKey, deviceName).Reported.GetValueOrDefault(key)?.DeepClone();
            }
        }

        /// <summary>Number of desired attributes pending.</summary>
        public int DesiredCount(string productKey, string deviceName)
        {
            lock (_gate)
            {
                return ShadowDocumentOf(productKey, deviceName).Desired.Count;
            }
        }

        private static string GetTopic(string productKey, string deviceName) => $"/shadow/get/{productKey}/{deviceName}";

        private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        private ShadowDocument ShadowDocumentOf(string productKey, string deviceName)
        {
            string key = productKey + "/" + deviceName;
            if (!_shadows.TryGetValue(key, out ShadowDocument shadow))
            {
                shadow = new ShadowDocument();
                _shadows[key] = shadow;
            }

            return shadow;
        }

        // Applies one request; returns the answer and the error code (0: none).
        private static byte[] Apply(ShadowDocument shadow, byte[] payload, out int error)
        {
            error = Check(shadow, payload, out JsonObject request, out string method, out long version);
            if (error != 0)
            {
                return ErrorReply(error);
            }

            if (method == "get")
            {
                var whole = new JsonObject
                {
                    ["method"] = "reply",
                    ["payload"] = new JsonObject
                    {
                        ["status"] = "success",
                        ["state"] = shadow.State(),
                        ["metadata"] = shadow.Metadata(),
                    },
                    ["version"] = shadow.Version,
                    ["timestamp"] = Now(),
                };
                return Encoding.UTF8.GetBytes(whole.ToJsonString());
            }

            long now = Now();
            if (version == -1)
            {
                shadow.Clear();
                version = 0;
            }

            JsonObject state = (JsonObject)request["state"];
            if (method == "update")
            {
                if (state["reported"] is JsonObject reported)
                {
                    foreach (var pair in reported)
                    {
                        shadow.Reported[pair.Key] = pair.Value?.DeepClone();
                        shadow.ReportedTimes[pair.Key] = now;
                    }
                }

                if (IsNullText(state["desired"]))
                {
                    shadow.Desired.Clear();
                    shadow.DesiredTimes.Clear();
                }
                else if (state["desired"] is JsonObject desired)
                {
                    foreach (var pair in desired)
                    {
                        shadow.Desired[pair.Key] = pair.Value?.DeepClone();
                        shadow.DesiredTimes[pair.Key] = now;
                    }
                }
            }
            else if (IsNullText(state["reported"]))
            {
                shadow.Reported.Clear();
                shadow.ReportedTimes.Clear();
            }
            else
            {
                foreach (var pair in (JsonObject)state["reported"])
                {
                    shadow.Reported.Remove(pair.Key);
                    shadow.ReportedTimes.Remove(pair.Key);
                }
            }

            shadow.Version = version;
            var success = new JsonObject
            {
                ["method"] = "reply",
                ["payload"] = new JsonObject { ["status"] = "success", ["version"] = shadow.Version },
                ["timestamp"] = now,
            };
            return Encoding.UTF8.GetBytes(success.ToJsonString());
        }

        // The page's error table, checked in its order.
        private static int Check(ShadowDocument shadow, byte[] payload, out JsonObject request, out string method, out long version)
        {
            request = null;
            method = null;
            version = 0;
            if (payload == null || payload.Length == 0)
            {
                return ShadowErrorCodes.EmptyContent;
            }

            try
            {
                request = JsonNode.Parse(payload) as JsonObject;
            }
            catch (JsonException)
            {
                request = null;
            }

            if (request == null)
            {
                return ShadowErrorCodes.InvalidJson;
            }

            if (request.Count == 0)
            {
                return ShadowErrorCodes.EmptyContent;
            }

            if (request["method"] is not JsonValue methodValue || methodValue.GetValueKind() != JsonValueKind.String)
            {
                return ShadowErrorCodes.MissingMethod;
            }

            method = methodValue.GetValue<string>();
            if (method != "update" && method != "get" && method != "delete")
            {
                return ShadowErrorCodes.InvalidMethod;
            }

            if (method == "get")
            {
                return 0;
            }

            if (request["state"] is not JsonObject state)
            {
                return ShadowErrorCodes.MissingState;
            }

            if (request["version"] is not JsonValue versionValue || versionValue.GetValueKind() != JsonValueKind.Number || !versionValue.TryGetValue(out version))
            {
                return ShadowErrorCodes.VersionNotNumber;
            }

            JsonNode reported = state["reported"];
            if (method == "delete" || !state.ContainsKey("desired"))
            {
                if (reported == null)
                {
                    return ShadowErrorCodes.MissingReported;
                }

                if (!IsNullText(reported) && (reported is not JsonObject fields || fields.Count == 0))
                {
                    return ShadowErrorCodes.EmptyReported;
                }
            }

            if (state["desired"] is JsonNode desired && !IsNullText(desired) && desired is not JsonObject)
            {
                return ShadowErrorCodes.MissingState;
            }

            if (reported is JsonObject attributes && method == "update" && CountAfter(shadow, attributes) > ShadowErrorCodes.MaxReportedAttributes)
            {
                return ShadowErrorCodes.TooManyAttributes;
            }

            if (version != -1 && version <= shadow.Version)
            {
                return ShadowErrorCodes.VersionConflict;
            }

            return 0;
        }

        private static int CountAfter(ShadowDocument shadow, JsonObject reported) =>
            shadow.Reported.Count + reported.Count(pair => !shadow.Reported.ContainsKey(pair.Key));

        private static bool IsNullText(JsonNode node) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == "null";

        private static byte[] ErrorReply(int code)
        {
            var reply = new JsonObject
            {
                ["method"] = "reply",
                ["payload"] = new JsonObject
                {
                    ["status"] = "error",
                    ["content"] = new JsonObject
                    {
                        ["errorcode"] = code.ToString(CultureInfo.InvariantCulture),
                        ["errormessage"] = ShadowErrorCodes.Describe(code),
                    },
                },
                ["timestamp"] = Now(),
            };
            return Encoding.UTF8.GetBytes(reply.ToJsonString());
        }
    }
}
