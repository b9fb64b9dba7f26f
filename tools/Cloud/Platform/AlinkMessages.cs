using System.Text;
using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>Builds and reads the Alink JSON the platform exchanges with devices (aliyun-protocol.md §3.1).</summary>
    public static class AlinkMessages
    {
        // The platform writes '&', '<', '+' and non-ASCII text as they are (an OSS URL's query keeps its '&');
        // System.Text.Json's default encoder would write \u0026 and friends.
        private static readonly System.Text.Json.JsonSerializerOptions Wire = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>A reply: <c>{"code":..,"data":..,"id":..,"message":..,"method":..,"version":"1.0"}</c>.</summary>
        public static byte[] Reply(JsonNode id, int code, JsonNode data, string message, string method)
        {
            var reply = new JsonObject
            {
                ["code"] = code,
                ["data"] = data ?? new JsonObject(),
                ["id"] = id?.DeepClone(),
                ["message"] = message,
            };
            if (method != null)
            {
                reply["method"] = method;
            }

            reply["version"] = "1.0";
            return Encoding.UTF8.GetBytes(reply.ToJsonString(Wire));
        }

        /// <summary>A cloud → device request: <c>{"id":"n","version":"1.0","params":..,"method":..}</c>.</summary>
        public static byte[] Request(string id, JsonNode parameters, string method)
        {
            var request = new JsonObject
            {
                ["id"] = id,
                ["version"] = "1.0",
                ["params"] = parameters?.DeepClone() ?? new JsonObject(),
                ["method"] = method,
            };
            return Encoding.UTF8.GetBytes(request.ToJsonString(Wire));
        }

        /// <summary>Parses a payload as a JSON object, or null when it is not one.</summary>
        public static JsonObject TryParse(byte[] payload)
        {
            try
            {
                return JsonNode.Parse(payload) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }

        /// <summary>The id as text, whether sent as a string or a number.</summary>
        public static string IdText(JsonNode id) =>
            id == null ? null : id.GetValueKind() == System.Text.Json.JsonValueKind.String ? id.GetValue<string>() : id.ToJsonString();
    }
}
