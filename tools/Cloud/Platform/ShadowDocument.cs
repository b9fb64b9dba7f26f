using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// One device's shadow in the local cloud: reported and desired attributes, their update times (Unix seconds, the
    /// page's <c>metadata</c>) and the version. Not thread-safe: <see cref="ShadowService"/> holds its lock.
    /// </summary>
    internal sealed class ShadowDocument
    {
        public readonly Dictionary<string, JsonNode> Reported = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        public readonly Dictionary<string, long> ReportedTimes = new Dictionary<string, long>(StringComparer.Ordinal);
        public readonly Dictionary<string, JsonNode> Desired = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        public readonly Dictionary<string, long> DesiredTimes = new Dictionary<string, long>(StringComparer.Ordinal);

        public long Version { get; set; }

        public void Clear()
        {
            Reported.Clear();
            ReportedTimes.Clear();
            Desired.Clear();
            DesiredTimes.Clear();
        }

        public JsonObject State()
        {
            var state = new JsonObject();
            if (Reported.Count > 0)
            {
                state["reported"] = Copy(Reported);
            }

            if (Desired.Count > 0)
            {
                state["desired"] = Copy(Desired);
            }

            return state;
        }

        public JsonObject Metadata()
        {
            var metadata = new JsonObject();
            if (Reported.Count > 0)
            {
                metadata["reported"] = Times(ReportedTimes);
            }

            if (Desired.Count > 0)
            {
                metadata["desired"] = Times(DesiredTimes);
            }

            return metadata;
        }

        private static JsonObject Copy(Dictionary<string, JsonNode> values)
        {
            var copy = new JsonObject();
            foreach (var pair in values)
            {
                copy[pair.Key] = pair.Value?.DeepClone();
            }

            return copy;
        }

        private static JsonObject Times(Dictionary<string, long> times)
        {
            var copy = new JsonObject();
            foreach (var pair in times)
            {
                copy[pair.Key] = new JsonObject { ["timestamp"] = pair.Value };
            }

            return copy;
        }
    }
}
