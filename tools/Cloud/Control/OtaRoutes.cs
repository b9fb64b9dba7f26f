using System.Text.Json.Nodes;
using AliyunIot.Cloud.Platform;

namespace AliyunIot.Cloud.Control
{
    /// <summary>
    /// The control API's OTA routes: <c>POST /ota</c> (a job from image bytes or from an uploaded firmware's id),
    /// <c>POST /firmware</c> (upload to the library) and <c>GET /firmware</c> (the library). Images come as bytes
    /// (base64) or as a library id, never as a path on this machine.
    /// </summary>
    internal static class OtaRoutes
    {
        /// <summary>Pushes a job to <paramref name="deviceName"/>; returns what was published to it.</summary>
        /// <exception cref="FirmwareNotFoundException">firmwareId names no uploaded image.</exception>
        public static JsonNode Push(LocalCloud cloud, FirmwareLibrary firmware, JsonObject request, string productKey, string deviceName)
        {
            RefusePaths(request, "send the image bytes as imageBase64, or the id of an uploaded firmware as firmwareId");

            // Either the bytes (as before) or an image uploaded once to the library, named by its id.
            FirmwareImage uploaded = null;
            byte[] image;
            if (request["firmwareId"] is JsonNode id)
            {
                if (request.ContainsKey("imageBase64"))
                {
                    throw new ArgumentException("send either imageBase64 or firmwareId, not both");
                }

                uploaded = firmware.Find((string)id) ?? throw new FirmwareNotFoundException((string)id);
                image = firmware.Read(uploaded.Id);
            }
            else
            {
                image = Image(request, "imageBase64 (or firmwareId)");
            }

            string version = (string)request["version"] ?? uploaded?.Version;
            OtaJob job = cloud.PushOta(productKey, deviceName, image, ControlServer.Required(version, "version"),
                (string)request["signMethod"] ?? "SHA256", (bool?)request["corrupt"] ?? false, (string)request["module"]);
            return job.ToPushData();
        }

        /// <summary>Keeps an image in the library; returns its record.</summary>
        public static JsonNode Upload(FirmwareLibrary firmware, JsonObject request)
        {
            RefusePaths(request, "send the image bytes as imageBase64");
            return firmware.Upload(Image(request, "imageBase64"), ControlServer.Required((string)request["version"], "version")).ToJson();
        }

        /// <summary>Every uploaded image, oldest first.</summary>
        public static JsonNode List(FirmwareLibrary firmware) =>
            new JsonArray(firmware.List().Select(f => (JsonNode)f.ToJson()).ToArray());

        private static void RefusePaths(JsonObject request, string instead)
        {
            if (request.ContainsKey("image") || request.ContainsKey("path"))
            {
                throw new ArgumentException("image paths are not accepted: " + instead);
            }
        }

        private static byte[] Image(JsonObject request, string name)
        {
            byte[] image = Convert.FromBase64String(ControlServer.Required((string)request["imageBase64"], name));
            return image.Length > 0 ? image : throw new ArgumentException("the image is empty");
        }
    }
}
