using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>An OTA job pushed to one device: what the push said and how it ended.</summary>
    public sealed class OtaJob
    {
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

        /// <summary>null while running; "succeeded" (device informed the version) or "failed" (negative step).</summary>
        public string Outcome { get; set; }

        /// <summary>The negative step that ended a failed job.</summary>
        public int FailureStep { get; set; }

        /// <summary>The device's description of the failure.</summary>
        public string FailureDescription { get; set; }

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

        /// <summary>A snapshot with the reported steps.</summary>
        public JsonObject ToJson(JsonArray steps) => new JsonObject
        {
            ["version"] = Version,
            ["size"] = Size,
            ["signMethod"] = SignMethod,
            ["outcome"] = Outcome,
            ["failureStep"] = Outcome == "failed" ? FailureStep : null,
            ["failureDescription"] = FailureDescription,
            ["steps"] = steps,
        };
    }
}
