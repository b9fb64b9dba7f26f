using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.OtaPack;
using AliyunIot.Simulator.Device;
using AliyunIot.Simulator.Tour;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// The local cloud's firmware library (issue 15, deliverable 5: push OTA "by upload or picker"): an image is
    /// uploaded once through the control API, kept 0600 under the cloud's folder by a name the cloud chose, listed,
    /// and pushed by id to several simulated devices over the real broker; an unknown id is refused with a code.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class CloudFirmwareLibraryTests : IDisposable
    {
        private static readonly TimeSpan OtaWait = TimeSpan.FromSeconds(60);
        private readonly ControlApiRig _rig = new ControlApiRig("cloud-firmware");

        public void Dispose() => _rig.Dispose();

        [Fact]
        public void An_image_uploaded_once_is_listed_and_pushed_by_id_to_two_devices_which_both_update()
        {
            PackedImage packed = ImageBuilder.Build(_rig.Temp.Sub("image"), "1.1.0", AliyunIot.Tests.Ota.OtaTestKey.Private());
            byte[] image = File.ReadAllBytes(Path.Combine(_rig.Temp.Path, "image", "image-1.1.0.bin"));
            string sha256 = Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant();

            (HttpStatusCode uploadStatus, JsonNode uploaded) = Send(HttpMethod.Post, "/firmware", new JsonObject { ["imageBase64"] = Convert.ToBase64String(image), ["version"] = "1.1.0" });
            Assert.Equal(HttpStatusCode.OK, uploadStatus);
            string id = (string)uploaded["id"];

            // Listed with what the platform's console shows of an uploaded firmware.
            (HttpStatusCode listStatus, JsonNode list) = Send(HttpMethod.Get, "/firmware", null);
            Assert.Equal(HttpStatusCode.OK, listStatus);
            JsonObject entry = Assert.Single(list.AsArray()).AsObject();
            Assert.Equal(id, (string)entry["id"]);
            Assert.Equal("1.1.0", (string)entry["version"]);
            Assert.Equal(image.Length, (long)entry["size"]);
            Assert.Equal(sha256, (string)entry["sha256"]);
            Assert.Equal(packed.Sha256Hex.ToLowerInvariant(), (string)entry["sha256"]);
            Assert.True(DateTime.TryParse((string)entry["uploadedUtc"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out DateTime when));
            Assert.InRange(when, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));

            // Kept under the cloud's own folder, 0600, named by the cloud.
            string[] kept = Directory.GetFiles(_rig.StatePath, "*.bin", SearchOption.AllDirectories);
            string stored = Assert.Single(kept);
            Assert.Equal(Path.Combine(_rig.StatePath, "firmware"), Path.GetDirectoryName(stored));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stored));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(stored)));
            Assert.Equal(image, File.ReadAllBytes(stored));

            using SimulatedDevice first = PowerOn("library-0001");
            using SimulatedDevice second = PowerOn("library-0002");
            foreach (string name in new[] { "library-0001", "library-0002" })
            {
                // No bytes and no version in the request: the id names both.
                (HttpStatusCode pushStatus, JsonNode job) = Send(HttpMethod.Post, "/ota", new JsonObject { ["deviceName"] = name, ["firmwareId"] = id });
                Assert.Equal(HttpStatusCode.OK, pushStatus);
                Assert.Equal("1.1.0", (string)job["version"]);
                Assert.Equal(image.Length, (long)job["size"]);
                Assert.Equal(sha256, (string)job["sign"]);
            }

            Assert.True(_rig.Cloud.WaitUntil(() => first.RunningVersion == "1.1.0" && second.RunningVersion == "1.1.0", OtaWait), $"devices run {first.RunningVersion} and {second.RunningVersion}");
            foreach (string name in new[] { "library-0001", "library-0002" })
            {
                Assert.True(_rig.Cloud.WaitUntil(() => _rig.Cloud.State(DeviceRegistry.DemoProductKey, name).Job?.Outcome == OtaJob.Succeeded, OtaWait), name + "'s job did not succeed");
            }
        }

        [Fact]
        public void An_unknown_or_malformed_id_is_refused_with_a_code_and_nothing_is_pushed()
        {
            _rig.Log.Secret(_rig.Cloud.Register(null, "library-0003").DeviceSecret);
            foreach (string id in new[] { "fw0123456789abcdef", "../cloud.json", "fw../../ca.pem" })
            {
                (HttpStatusCode status, JsonNode answer) = Send(HttpMethod.Post, "/ota", new JsonObject { ["deviceName"] = "library-0003", ["firmwareId"] = id, ["version"] = "9.9.9" });
                Assert.Equal(HttpStatusCode.NotFound, status);
                Assert.Equal(FirmwareNotFoundException.Code, (string)answer["code"]);
                Assert.Contains("no uploaded firmware has the id", (string)answer["error"]);
            }

            Assert.Null(_rig.Cloud.State(DeviceRegistry.DemoProductKey, "library-0003").Job);
        }

        [Fact]
        public void An_upload_without_bytes_or_naming_a_path_is_refused_and_nothing_is_kept()
        {
            (HttpStatusCode byPath, JsonNode why) = Send(HttpMethod.Post, "/firmware", new JsonObject { ["image"] = "/etc/passwd", ["version"] = "1.0.1" });
            Assert.Equal(HttpStatusCode.BadRequest, byPath);
            Assert.Contains("image paths are not accepted", (string)why["error"]);

            (HttpStatusCode empty, JsonNode emptyWhy) = Send(HttpMethod.Post, "/firmware", new JsonObject { ["imageBase64"] = string.Empty, ["version"] = "1.0.1" });
            Assert.Equal(HttpStatusCode.BadRequest, empty);
            Assert.Contains("imageBase64 is required", (string)emptyWhy["error"]);

            (_, JsonNode list) = Send(HttpMethod.Get, "/firmware", null);
            Assert.Empty(list.AsArray());
            Assert.False(Directory.Exists(Path.Combine(_rig.StatePath, "firmware")));
        }

        [Fact]
        public void An_image_larger_than_the_limit_is_refused()
        {
            var library = new FirmwareLibrary(_rig.StatePath);
            var error = Assert.Throws<ArgumentException>(() => library.Upload(new byte[FirmwareLibrary.MaxImageBytes + 1], "1.0.2"));
            Assert.Contains("at most 12 MiB", error.Message);
            Assert.Empty(library.List());
        }

        private SimulatedDevice PowerOn(string deviceName)
        {
            SimulatedDevice device = TestKeyDevice.PowerOn(_rig.Cloud, _rig.Log, _rig.Temp.Sub("flash-" + deviceName), deviceName, out RegisteredDevice registered);
            Assert.True(_rig.Cloud.WaitUntil(() => _rig.Cloud.State(registered.ProductKey, deviceName).Online, OtaWait), deviceName + " did not come online");
            return device;
        }

        private (HttpStatusCode, JsonNode) Send(HttpMethod method, string path, JsonObject body)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body != null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using HttpResponseMessage response = _rig.Http.Send(request);
            string text = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
            return (response.StatusCode, JsonNode.Parse(text));
        }
    }
}
