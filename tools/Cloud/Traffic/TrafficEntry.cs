using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Traffic
{
    /// <summary>One thing seen on the local cloud: a message either way, a connect or disconnect, a refusal.</summary>
    public sealed class TrafficEntry
    {
        /// <summary>A message from a device.</summary>
        public const string Up = "up";

        /// <summary>A message from the cloud to a device.</summary>
        public const string Down = "down";

        /// <summary>A device connected.</summary>
        public const string Connect = "connect";

        /// <summary>A device's connection ended.</summary>
        public const string Disconnect = "disconnect";

        /// <summary>The broker refused a login.</summary>
        public const string LoginRefused = "login refused";

        /// <summary>The broker denied a publish or subscribe (ACL or platform rule).</summary>
        public const string Denied = "denied";

        /// <summary>Increasing number, for "what came after".</summary>
        public long Sequence { get; init; }

        /// <summary>When the cloud saw it (UTC).</summary>
        public DateTime TimeUtc { get; init; }

        /// <summary>One of the constants above.</summary>
        public string Kind { get; init; }

        /// <summary>ProductKey, when known.</summary>
        public string ProductKey { get; init; }

        /// <summary>DeviceName, when known.</summary>
        public string DeviceName { get; init; }

        /// <summary>Topic of a message or of a denied request, or null.</summary>
        public string Topic { get; init; }

        /// <summary>Payload size in bytes (messages).</summary>
        public int Size { get; init; }

        /// <summary>The payload as text, secrets masked, cut to a readable length; or null.</summary>
        public string Payload { get; init; }

        /// <summary>Why (refusals, denials: the rule that refused), or null.</summary>
        public string Detail { get; init; }

        /// <summary>JSON form (control API, log file).</summary>
        public JsonObject ToJson() => new JsonObject
        {
            ["seq"] = Sequence,
            ["timeUtc"] = TimeUtc.ToString("O"),
            ["kind"] = Kind,
            ["productKey"] = ProductKey,
            ["deviceName"] = DeviceName,
            ["topic"] = Topic,
            ["size"] = Size,
            ["payload"] = Payload,
            ["detail"] = Detail,
        };

        /// <summary>One line for a terminal.</summary>
        public static string Describe(JsonNode entry)
        {
            string time = ((string)entry["timeUtc"])?.Length >= 23 ? ((string)entry["timeUtc"]).Substring(11, 12) : (string)entry["timeUtc"];
            string device = entry["deviceName"] != null ? entry["productKey"] + "/" + entry["deviceName"] : "-";
            string kind = (string)entry["kind"];
            string arrow = kind == Up ? "→ cloud" : kind == Down ? "→ device" : kind;
            string text = $"{time} {device} {arrow}";
            if (entry["topic"] != null)
            {
                text += " " + entry["topic"] + (kind is Up or Down ? $" ({entry["size"]} B)" : string.Empty);
            }

            if (entry["payload"] != null)
            {
                text += " " + entry["payload"];
            }

            if (entry["detail"] != null)
            {
                text += " — " + entry["detail"];
            }

            return text;
        }
    }
}
