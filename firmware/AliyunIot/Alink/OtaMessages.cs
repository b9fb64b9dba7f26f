using System.Collections;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Alink
{
    /// <summary>
    /// Writes the two OTA messages every firmware sends, with or without the OTA component: <c>inform</c>
    /// <c>{"id":"n","params":{"version":"v"[,"module":"m"]}}</c> on <see cref="DeviceTopics.OtaInform"/> and
    /// <c>progress</c> <c>{"id":"n","params":{"step":"s","desc":"d"[,"module":"m"]}}</c> on
    /// <see cref="DeviceTopics.OtaProgress"/> (the platform's OTA protocol; step and id are strings), and reads the
    /// <c>data</c> object of what the platform sends (<see cref="ReadData"/>). The
    /// <c>module</c> field is written only for a module other than <see cref="DefaultModule"/>, as the platform
    /// expects. Used by <c>AliyunIot.Ota.OtaReporter</c> and by <see cref="FirmwareVersionReporter"/>; the caller owns
    /// the writer (not thread-safe: one caller at a time).
    /// </summary>
    public static class OtaMessages
    {
        private const int MaxPayloadBytes = 8192;

        /// <summary>The platform's name of the whole-firmware module (never written into a message).</summary>
        public const string DefaultModule = "default";

        /// <summary>Progress step of a job the device refuses or cannot apply ("upgrade failed").</summary>
        public const int StepUpgradeFailed = -1;

        /// <summary>The inform message: the running version.</summary>
        /// <param name="json">Writer to use (reset first); the message is copied out.</param>
        /// <param name="id">Message id.</param>
        /// <param name="version">Version of the running firmware.</param>
        /// <param name="module">OTA module, or null/<see cref="DefaultModule"/> for the whole firmware.</param>
        public static byte[] Inform(JsonWriter json, string id, string version, string module)
        {
            BeginParams(json, id);
            json.Property("version", version);
            return End(json, module);
        }

        /// <summary>The progress message: where a job stands.</summary>
        /// <param name="json">Writer to use (reset first); the message is copied out.</param>
        /// <param name="id">Message id.</param>
        /// <param name="step">0..100, or -1..-4 for failures.</param>
        /// <param name="desc">Free text the console shows.</param>
        /// <param name="module">OTA module, or null/<see cref="DefaultModule"/> for the whole firmware.</param>
        public static byte[] Progress(JsonWriter json, string id, int step, string desc, string module)
        {
            BeginParams(json, id);
            json.Property("step", step.ToString());
            json.Property("desc", desc);
            return End(json, module);
        }

        /// <summary>The module a push's <c>data</c> object is for (<see cref="DefaultModule"/> when absent or empty).</summary>
        public static string ModuleOf(Hashtable data)
        {
            string module = JsonValues.Get(data, "module") as string;
            return module == null || module.Length == 0 ? DefaultModule : module;
        }

        /// <summary>
        /// The <c>data</c> object of an upgrade push or a <c>firmware/get_reply</c>: an empty table when the message
        /// has none (no pending job); null, with the reason logged, when the message is malformed (it is ignored).
        /// </summary>
        public static Hashtable ReadData(byte[] payload, ILog log)
        {
            string refusal = JsonGuard.Check(payload, 0, payload == null ? 0 : payload.Length, MaxPayloadBytes, 8);
            if (refusal != null)
            {
                log.Write(LogLevel.Warning, "ota", "OTA message ignored: " + refusal);
                return null;
            }

            string problem;
            Hashtable root = JsonTree.Parse(payload, 0, payload.Length, 8, out problem) as Hashtable;
            object data = root == null ? null : JsonValues.Get(root, "data");
            if (root == null || (data != null && !(data is Hashtable)))
            {
                log.Write(LogLevel.Warning, "ota", "OTA message ignored: " + (problem != null ? problem : root == null ? "expected a JSON object" : "field data: expected object"));
                return null;
            }

            return data == null ? new Hashtable() : (Hashtable)data;
        }

        private static void BeginParams(JsonWriter json, string id)
        {
            json.Reset();
            json.BeginObject();
            json.Property("id", id);
            json.Name("params");
            json.BeginObject();
        }

        private static byte[] End(JsonWriter json, string module)
        {
            if (module != null && module != DefaultModule)
            {
                json.Property("module", module);
            }

            json.EndObject();
            json.EndObject();
            return json.ToArray();
        }
    }
}
