using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// An OTA job pushed to one device: what the push said, the progress the device reported and how it ended.
    /// Its mutable state is changed under the owning <see cref="DeviceState"/>'s lock only.
    /// </summary>
    public sealed class OtaJob
    {
        /// <summary>Outcome of a job the device finished with the new version informed.</summary>
        public const string Succeeded = "succeeded";

        /// <summary>Outcome of a job the device ended with a negative step.</summary>
        public const string Failed = "failed";

        /// <summary>
        /// Outcome of a job still unfinished when a newer one was pushed to the same device (the platform's console
        /// lists such a device upgrade as canceled).
        /// </summary>
        public const string Canceled = "canceled";

        /// <summary>Target version.</summary>
        public string Version { get; set; }

        /// <summary>Image size in bytes.</summary>
        public long Size { get; set; }

        /// <summary>HTTPS URL of the image.</summary>
        public string Url { get; set; }

        /// <summary>Digest (hex, lower case).</summary>
        public string Sign { get; set; }

        /// <summary>"MD5" or "SHA256" as sent.</summary>
        public string SignMethod { get; set; }

        /// <summary>MD5 of the image (the legacy <c>md5</c> field).</summary>
        public string Md5 { get; set; }

        /// <summary>OTA module, null for the default module.</summary>
        public string Module { get; set; }

        /// <summary>When the job was pushed (UTC); set by the device's state when the job starts.</summary>
        public DateTime PushedUtc { get; set; }

        /// <summary>When the job got its outcome (UTC), or null while it runs.</summary>
        public DateTime? FinishedUtc { get; set; }

        /// <summary>null while running; <see cref="Succeeded"/>, <see cref="Failed"/> or <see cref="Canceled"/>.</summary>
        public string Outcome { get; set; }

        /// <summary>The negative step that ended a failed job.</summary>
        public int FailureStep { get; set; }

        /// <summary>The device's description of the failure, or why the job was canceled.</summary>
        public string FailureDescription { get; set; }

        /// <summary>Progress reports for this job, oldest first (<c>step</c>, <c>desc</c>).</summary>
        internal List<JsonObject> Steps { get; } = new List<JsonObject>();

        /// <summary>The last step the device reported, or null before its first report.</summary>
        internal int? LastStep => Steps.Count == 0 ? null : (int)Steps[Steps.Count - 1]["step"];

        /// <summary>The furthest progress reported, 0–100 (a negative step is an error code, not progress).</summary>
        internal int Progress => Steps.Select(s => (int)s["step"]).Where(step => step >= 0).DefaultIfEmpty(0).Max();

        /// <summary>The <c>data</c> block of the push and of <c>firmware/get_reply</c>.</summary>
        public JsonObject ToPushData()
        {
            var data = new JsonObject
            {
                ["size"] = Size,
                ["version"] = Version,
                ["url"] = Url,
                ["md5"] = Md5,
                ["sign"] = Sign,
                ["signMethod"] = SignMethod,
            };
            if (Module != null)
            {
                data["module"] = Module;
            }

            return data;
        }

        /// <summary>A snapshot; with <paramref name="withSteps"/> every reported step, else only the last one.</summary>
        internal JsonObject ToJson(bool withSteps)
        {
            var json = new JsonObject
            {
                ["version"] = Version,
                ["module"] = Module,
                ["size"] = Size,
                ["signMethod"] = SignMethod,
                ["pushedUtc"] = PushedUtc.ToString("O"),
                ["finishedUtc"] = FinishedUtc?.ToString("O"),
                ["outcome"] = Outcome,
                ["lastStep"] = LastStep,
                ["progress"] = Progress,
                ["failureStep"] = Outcome == Failed ? FailureStep : null,
                ["failureDescription"] = FailureDescription,
            };
            if (withSteps)
            {
                json["steps"] = new JsonArray(Steps.Select(s => (JsonNode)s.DeepClone()).ToArray());
            }

            return json;
        }
    }
}
