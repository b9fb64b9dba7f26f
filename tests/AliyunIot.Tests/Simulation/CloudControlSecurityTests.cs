using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// The local cloud's control API cannot be turned against the user running it (issue 17, deliverable 4): it
    /// needs the token from a 0600 file, takes image bytes rather than paths, writes only inside its own folder and
    /// never through a symbolic link, accepts only the documented config sections and bounded bodies; its secret
    /// files are 0600 in 0700 folders.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class CloudControlSecurityTests : IDisposable
    {
        private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;
        private readonly TempFolder _temp = new TempFolder("cloud-control");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly string _state;
        private readonly string _outside;
        private readonly LocalCloud _cloud;
        private readonly ControlServer _control;
        private readonly HttpClient _http;

        public CloudControlSecurityTests()
        {
            _state = Path.Combine(_temp.Path, "state");
            _outside = _temp.Sub("outside");
            _cloud = CloudHosting.Start(_state, _log);
            _control = new ControlServer(_cloud, _log);
            _log.Secret(_control.Token);
            _http = new HttpClient { BaseAddress = new Uri(_control.Url) };
        }

        public void Dispose()
        {
            _http.Dispose();
            _control.Dispose();
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        [Theory]
        [InlineData(null)]
        [InlineData("Bearer 0000000000000000000000000000000000000000000000000000000000000000")]
        [InlineData("Basic dXNlcjpwYXNz")]
        public void Without_the_token_nothing_is_done_or_shown(string authorization)
        {
            (HttpStatusCode register, string why) = Post("/register", "{\"deviceName\":\"intruder-01\"}", authorization);
            (HttpStatusCode shutdown, _) = Post("/shutdown", "{}", authorization);
            using var list = new HttpRequestMessage(HttpMethod.Get, "/devices");
            if (authorization != null)
            {
                list.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using HttpResponseMessage devices = _http.Send(list);

            Assert.Equal(HttpStatusCode.Unauthorized, register);
            Assert.Contains("control token", why);
            Assert.Equal(HttpStatusCode.Unauthorized, shutdown);
            Assert.Equal(HttpStatusCode.Unauthorized, devices.StatusCode);
            Assert.Null(_cloud.Registry.Find(DeviceRegistry.DemoProductKey, "intruder-01"));
            Assert.False(_control.ShutdownRequested.WaitOne(0));
        }

        [Fact]
        public void The_token_is_in_a_0600_file_the_cli_reads_and_is_gone_after_stop()
        {
            string tokenFile = Path.Combine(_state, ControlServer.TokenFile);
            Assert.Equal(_control.Token, File.ReadAllText(tokenFile));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(tokenFile));
            File.WriteAllText(Path.Combine(_state, ControlClient.CloudInfoFile), new JsonObject { ["control"] = _control.Url }.ToJsonString());

            using (var client = new ControlClient(_state))
            {
                Assert.Equal("cli-0001", (string)client.Send("POST", "/register", new JsonObject { ["deviceName"] = "cli-0001" })["deviceName"]);
            }

            _control.Dispose();
            Assert.False(File.Exists(tokenFile));
        }

        [Fact]
        public void An_ota_push_naming_a_file_is_refused_and_image_bytes_are_taken()
        {
            _cloud.Register(null, "ota-00001");
            string secretFile = Path.Combine(_outside, "private.key");
            File.WriteAllText(secretFile, "not for the network");

            (HttpStatusCode byPath, string why) = Post("/ota", new JsonObject { ["deviceName"] = "ota-00001", ["image"] = secretFile, ["version"] = "9.9.9" }.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, byPath);
            Assert.Contains("image paths are not accepted", why);
            Assert.Null(_cloud.State(DeviceRegistry.DemoProductKey, "ota-00001").Job);

            byte[] image = Encoding.ASCII.GetBytes("an image of 27 bytes, say..");
            (HttpStatusCode byBytes, string job) = Post("/ota", new JsonObject { ["deviceName"] = "ota-00001", ["imageBase64"] = Convert.ToBase64String(image), ["version"] = "1.1.0" }.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, byBytes);
            Assert.Equal(27, (int)JsonNode.Parse(job)["size"]);
        }

        [Fact]
        public void Register_refuses_a_directory_chosen_by_the_caller()
        {
            (HttpStatusCode status, string why) = Post("/register", new JsonObject { ["deviceName"] = "elsewhere-01", ["configDirectory"] = _outside }.ToJsonString());

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("configDirectory is not accepted", why);
            Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
            Assert.Null(_cloud.Registry.Find(DeviceRegistry.DemoProductKey, "elsewhere-01"));
        }

        [Theory]
        [InlineData("deviceSecret", "\"chosen\"")]
        [InlineData("endpoint", "{\"host\":\"attacker.example\",\"port\":8883}")]
        [InlineData("caCertificatesFile", "\"/etc/shadow\"")]
        [InlineData("productKey", "\"a1Other0001\"")]
        public void Register_takes_only_the_documented_sections(string section, string value)
        {
            (HttpStatusCode refused, string why) = Post("/register", "{\"deviceName\":\"sections-01\",\"sections\":{\"" + section + "\":" + value + "}}");
            Assert.Equal(HttpStatusCode.BadRequest, refused);
            Assert.Contains("section '" + section + "'", why);
            Assert.Null(_cloud.Registry.Find(DeviceRegistry.DemoProductKey, "sections-01"));

            (HttpStatusCode accepted, _) = Post("/register", "{\"deviceName\":\"sections-02\",\"sections\":{\"limits\":{\"messagesPerSecond\":5}}}");
            Assert.Equal(HttpStatusCode.OK, accepted);
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_state, "devices", DeviceRegistry.DemoProductKey, "sections-02", "device.json")));
            Assert.Equal(5, (int)config["limits"]["messagesPerSecond"]);
        }

        [Fact]
        public void Register_refuses_a_device_folder_that_is_a_symbolic_link()
        {
            string productFolder = Path.Combine(_state, "devices", DeviceRegistry.DemoProductKey);
            Directory.CreateDirectory(productFolder);
            Directory.CreateSymbolicLink(Path.Combine(productFolder, "victim-01"), _outside);

            (HttpStatusCode status, string why) = Post("/register", "{\"deviceName\":\"victim-01\"}");

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("symbolic link", why);
            Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
            Assert.Null(_cloud.Registry.Find(DeviceRegistry.DemoProductKey, "victim-01"));
        }

        [Fact]
        public void A_device_json_that_is_a_symbolic_link_is_replaced_not_written_through()
        {
            string folder = Path.Combine(_state, "devices", DeviceRegistry.DemoProductKey, "victim-02");
            Directory.CreateDirectory(folder);
            string target = Path.Combine(_outside, "target.txt");
            File.WriteAllText(target, "original");
            File.CreateSymbolicLink(Path.Combine(folder, "device.json"), target);

            (HttpStatusCode status, _) = Post("/register", "{\"deviceName\":\"victim-02\"}");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("original", File.ReadAllText(target));
            var written = new FileInfo(Path.Combine(folder, "device.json"));
            Assert.Null(written.LinkTarget);
            Assert.Equal(OwnerReadWrite, written.UnixFileMode);
        }

        [Fact]
        public void A_body_announced_over_the_limit_is_refused_with_413_before_it_is_read()
        {
            // Raw HTTP: the headers announce one byte more than the limit and no body follows, so the answer can
            // only come from the announced length.
            var url = new Uri(_control.Url);
            using var tcp = new System.Net.Sockets.TcpClient(url.Host, url.Port);
            using var stream = tcp.GetStream();
            string head = "POST /register HTTP/1.1\r\nHost: " + url.Authority + "\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + _control.Token + "\r\nContent-Length: " + (ControlServer.MaxBodyBytes + 1) + "\r\n\r\n";
            stream.Write(Encoding.ASCII.GetBytes(head));
            using var reader = new StreamReader(stream, Encoding.ASCII);

            string status = reader.ReadLine();

            Assert.StartsWith("HTTP/1.1 413", status);
        }

        [Fact]
        public void A_body_over_the_limit_without_a_length_is_refused_once_the_limit_is_passed()
        {
            string huge = "{\"deviceName\":\"big-00001\",\"pad\":\"" + new string('x', ControlServer.MaxBodyBytes) + "\"}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/register") { Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(huge))) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
            request.Headers.Add("Authorization", "Bearer " + _control.Token);

            HttpStatusCode? status = null;
            try
            {
                using HttpResponseMessage response = _http.Send(request);
                status = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // The server answered 413 and closed while the rest was still being sent: refused either way.
            }

            Assert.True(status == null || status == HttpStatusCode.RequestEntityTooLarge, "status " + status);
            Assert.Null(_cloud.Registry.Find(DeviceRegistry.DemoProductKey, "big-00001"));
        }

        [Fact]
        public void Every_file_with_a_secret_is_0600_in_0700_folders()
        {
            RegisteredDevice device = _cloud.Register(null, "modes-001");
            _log.Secret(device.DeviceSecret);
            string deviceFolder = Path.Combine(_state, "devices", DeviceRegistry.DemoProductKey, "modes-001");

            Assert.Equal(OwnerAll, File.GetUnixFileMode(_state));
            Assert.Equal(OwnerAll, File.GetUnixFileMode(Path.Combine(_state, "devices")));
            Assert.Equal(OwnerAll, File.GetUnixFileMode(Path.GetDirectoryName(deviceFolder)));
            Assert.Equal(OwnerAll, File.GetUnixFileMode(deviceFolder));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(deviceFolder, "device.json")));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(_state, "registry.json")));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(_state, ControlServer.TokenFile)));
        }

        private (HttpStatusCode Status, string Body) Post(string path, string json, string authorization = "token")
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            if (authorization != null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization == "token" ? "Bearer " + _control.Token : authorization);
            }

            using HttpResponseMessage response = _http.Send(request);
            string body = response.Content.ReadAsStringAsync().Result;
            return (response.StatusCode, JsonNode.Parse(body) is JsonObject answer && answer["error"] is JsonNode error ? (string)error : body);
        }
    }
}
