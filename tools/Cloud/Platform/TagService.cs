using System.Text.Json;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Mqtt;
using AliyunIot.Cloud.Registry;
using AliyunIot.DeviceInfo;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// Device tags as the platform keeps them ("Device tags", https://help.aliyun.com/document_detail/89304.html;
    /// aliyun-protocol.md §3.16): <c>thing.deviceinfo.update</c> and <c>thing.deviceinfo.delete</c> on
    /// <c>/sys/{pk}/{dn}/thing/deviceinfo/{update|delete}</c>, answered on <c>…_reply</c> with
    /// <c>{"code":200,"data":{},"id":…,"message":"success","method":…,"version":"1.0"}</c>, or 460 "request parameter
    /// error" (the page's code) for params that are not an array of tags, a key or value outside <see cref="TagRules"/>,
    /// more than 100 tags on the device (SaveDeviceProp's limit), or — the local cloud's choice, the page names no code
    /// for it — a delete of a key the device does not have. A refused request changes nothing.
    /// </summary>
    public sealed class TagService
    {
        /// <summary>Most tags a device holds (SaveDeviceProp, https://www.alibabacloud.com/help/doc-detail/69618.htm).</summary>
        public const int MaxTagsPerDevice = 100;

        /// <summary>The page's code for bad parameters.</summary>
        public const int ParameterError = 460;

        private readonly object _gate = new object();
        private readonly Dictionary<string, SortedDictionary<string, string>> _tags = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        private readonly DeviceRegistry _registry;
        private readonly ICloudBus _bus;
        private readonly ILog _log;

        /// <summary>Creates the service; <see cref="Handle"/> takes the device's upstream system messages.</summary>
        public TagService(DeviceRegistry registry, ICloudBus bus, ILog log)
        {
            _registry = registry;
            _bus = bus;
            _log = log;
        }

        /// <summary>Raised after every request handled.</summary>
        public event Action Changed;

        /// <summary>Requests refused, since start.</summary>
        public long Refused { get; private set; }

        /// <summary>Handles <c>/sys/{pk}/{dn}/thing/deviceinfo/{update|delete}</c>; false for any other topic.</summary>
        public bool Handle(string topic, byte[] payload)
        {
            string[] parts = topic.Split('/');
            if (parts.Length != 7 || parts[1] != "sys" || parts[4] != "thing" || parts[5] != "deviceinfo" || (parts[6] != "update" && parts[6] != "delete"))
            {
                return false;
            }

            string pk = parts[2];
            string dn = parts[3];
            if (_registry.Find(pk, dn) == null)
            {
                return false;
            }

            bool update = parts[6] == "update";
            string method = update ? "thing.deviceinfo.update" : "thing.deviceinfo.delete";
            JsonObject request = AlinkMessages.TryParse(payload);
            string problem;
            lock (_gate)
            {
                problem = request == null ? "the request is not a JSON object" : Apply(TagsOf(pk, dn), request["params"], update);
            }

            if (problem != null)
            {
                Refused++;
                _log.Write(LogLevel.Warning, "cloud", $"{pk}/{dn} {method} refused: {problem}");
            }

            bool wantsReply = (int?)(request?["sys"]?["ack"] as JsonValue) != 0;
            if (wantsReply)
            {
                _bus.Publish(topic + "_reply", AlinkMessages.Reply(request?["id"], problem == null ? 200 : ParameterError, new JsonObject(), problem == null ? "success" : "request parameter error", method), 0);
            }

            Changed?.Invoke();
            return true;
        }

        /// <summary>The device's tags, key → value, in key order.</summary>
        public JsonObject ToJson(string productKey, string deviceName)
        {
            lock (_gate)
            {
                var tags = new JsonObject();
                foreach (var pair in TagsOf(productKey, deviceName))
                {
                    tags[pair.Key] = pair.Value;
                }

                return tags;
            }
        }

        /// <summary>One tag's value, or null.</summary>
        public string Value(string productKey, string deviceName, string key)
        {
            lock (_gate)
            {
                return TagsOf(productKey, deviceName).GetValueOrDefault(key);
            }
        }

        private SortedDictionary<string, string> TagsOf(string productKey, string deviceName)
        {
            string key = productKey + "/" + deviceName;
            if (!_tags.TryGetValue(key, out var tags))
            {
                tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
                _tags[key] = tags;
            }

            return tags;
        }

        // Checks the whole request first and applies it only when all of it is valid (nothing half-done).
        private static string Apply(SortedDictionary<string, string> tags, JsonNode parameters, bool update)
        {
            if (parameters is not JsonArray items || items.Count == 0)
            {
                return "params must be a non-empty array of tags";
            }

            var keys = new List<string>();
            var values = new List<string>();
            foreach (JsonNode item in items)
            {
                if (item is not JsonObject tag || Text(tag["attrKey"]) is not string key)
                {
                    return "every tag needs an attrKey string";
                }

                string problem = TagRules.CheckKey(key);
                if (problem != null)
                {
                    return problem;
                }

                string value = null;
                if (update)
                {
                    value = Text(tag["attrValue"]);
                    problem = TagRules.CheckValue(key, value);
                    if (problem != null)
                    {
                        return problem;
                    }
                }
                else if (!tags.ContainsKey(key))
                {
                    return $"tag key {key} is not set on this device";
                }

                keys.Add(key);
                values.Add(value);
            }

            if (update && tags.Keys.Union(keys, StringComparer.Ordinal).Count() > MaxTagsPerDevice)
            {
                return $"a device holds at most {MaxTagsPerDevice} tags";
            }

            for (int i = 0; i < keys.Count; i++)
            {
                if (update)
                {
                    tags[keys[i]] = values[i];
                }
                else
                {
                    tags.Remove(keys[i]);
                }
            }

            return null;
        }

        private static string Text(JsonNode node) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }
}
