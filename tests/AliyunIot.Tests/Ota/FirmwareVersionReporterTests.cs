using System.Text.Json.Nodes;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.HostPorts.Platform;
using AliyunIot.TestBroker;
using AliyunIot.TestBroker.Https;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// The OTA side of the esp32-wroom build, which leaves the OTA component out (docs/board.md, "Update tiers per
    /// profile"), end to end like <see cref="OtaTrustTests"/>: a real broker with the platform's auth, the cloud as a
    /// CloudClient, a real HTTPS server holding the image, and the device session wired as DeviceApplication.Ota.cs
    /// wires it without ALIYUN_OTA (the core's <see cref="FirmwareVersionReporter"/>, called on every connect). The
    /// console sees the running version after each connect, and every job ends with one step -1 report naming why,
    /// before anything is downloaded.
    /// </summary>
    public sealed class FirmwareVersionReporterTests : IDisposable
    {
        private const string ProductKey = "a1WroomProd";
        private const string DeviceName = "wroom-dev-1";
        private const string DeviceSecret = "wroomSecretValue0123456789abcdef";
        private const string RunningVersion = "1.4.2";
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

        private readonly AliyunIot.TestBroker.TestBroker _broker;
        private readonly HttpsTestServer _server;
        private readonly CloudClient _cloud;
        private readonly CapturingLog _log = new();
        private readonly DeviceTopics _topics = new(ProductKey, DeviceName);
        private AliyunDevice _device;

        public FirmwareVersionReporterTests()
        {
            _broker = AliyunIot.TestBroker.TestBroker.Start();
            _broker.AddDevice(ProductKey, DeviceName, DeviceSecret);
            _server = HttpsTestServer.Start(OtaTestCa.Shared.ServerCertificate);
            _log.Secret(DeviceSecret);
            _cloud = new CloudClient(_broker);
            _cloud.Connect();
            _cloud.Subscribe("/ota/device/+/" + ProductKey + "/" + DeviceName);
        }

        public void Dispose()
        {
            try
            {
                _device?.Stop();
            }
            finally
            {
                _cloud.Dispose();
                _server.Dispose();
                _broker.Dispose();
                _log.Dispose();
            }
        }

        [Fact]
        public void After_every_connect_the_cloud_sees_the_running_version_on_inform()
        {
            Start(null);
            Assert.Equal("{\"id\":\"1\",\"params\":{\"version\":\"1.4.2\"}}", _cloud.WaitForMessage(_topics.OtaInform, Wait).PayloadText);

            // A reconnect (the session closed and opened again, as after a lost connection) reports it again: a new
            // inform (id 2), not only the first one re-sent because its PUBACK had not arrived before the close.
            _device.Session.Stop();
            _device.Session.Start();
            string second = "{\"id\":\"2\",\"params\":{\"version\":\"1.4.2\"}}";
            Assert.Equal(second, _cloud.WaitForMessage(m => m.Topic == _topics.OtaInform && m.PayloadText == second, Wait).PayloadText);
        }

        [Fact]
        public void A_pushed_job_gets_exactly_one_step_minus_one_with_the_reason_and_nothing_is_downloaded()
        {
            Start(null);
            _cloud.WaitForMessage(_topics.OtaInform, Wait);
            byte[] image = new byte[4096];
            string url = _server.AddFile("/ota/app.img", image);

            Push(OtaRig.Job("2.0.0", url, image));

            JsonNode refusal = JsonNode.Parse(_cloud.WaitForMessage(_topics.OtaProgress, Wait).PayloadText)!;
            Assert.Equal("-1", (string)refusal["params"]!["step"]);
            Assert.Equal(
                "refused before download: this firmware was built without code OTA (AliyunIot.Ota left out, e.g. BoardProfile esp32-wroom);"
                + " code changes need flash.ps1, behaviour changes come through remote config",
                (string)refusal["params"]!["desc"]);

            // The device answers its messages in order: the inform for a push of the running version comes after
            // anything the first push caused, so no second report is still on its way.
            Push(new JsonObject { ["version"] = RunningVersion, ["url"] = url, ["size"] = image.Length });
            _cloud.WaitForMessage(_topics.OtaInform, Wait);
            Assert.Single(_cloud.Received, m => m.Topic == _topics.OtaProgress);
            Assert.Empty(_server.Requests);
            Assert.True(_log.Contains("OTA job for version 2.0.0 refused before download"), string.Join(Environment.NewLine, _log.Lines));
        }

        [Fact]
        public void Malformed_pushes_are_ignored_and_the_device_keeps_answering()
        {
            Start(null);
            _cloud.WaitForMessage(_topics.OtaInform, Wait);

            _cloud.Publish(_topics.OtaUpgrade, "{not json");
            _cloud.Publish(_topics.OtaUpgrade, "[1,2,3]");
            _cloud.Publish(_topics.OtaUpgrade, "{\"code\":\"1000\",\"data\":\"2.0.0\"}");
            _cloud.Publish(_topics.OtaUpgrade, "{\"code\":\"1000\",\"data\":{}}");
            Push(new JsonObject { ["version"] = RunningVersion });

            // The inform answers the last push: the four before it were handled (in order) without a report.
            _cloud.WaitForMessage(_topics.OtaInform, Wait);
            Assert.DoesNotContain(_cloud.Received, m => m.Topic == _topics.OtaProgress);
            Assert.Equal(3, _log.Count("OTA message ignored"));
            Assert.Equal(ConnectionStatus.Connected, _device.Status);

            // Still answering jobs.
            Push(OtaRig.Job("2.0.1", _server.BaseUrl + "/ota/app.img", new byte[16]));
            Assert.Equal("-1", (string)JsonNode.Parse(_cloud.WaitForMessage(_topics.OtaProgress, Wait).PayloadText)!["params"]!["step"]);
            Assert.Empty(_server.Requests);
        }

        [Fact]
        public void A_device_for_another_module_names_it_and_leaves_jobs_of_other_modules_alone()
        {
            Start("mcu");
            Assert.Equal("{\"id\":\"1\",\"params\":{\"version\":\"1.4.2\",\"module\":\"mcu\"}}", _cloud.WaitForMessage(_topics.OtaInform, Wait).PayloadText);

            Push(OtaRig.Job("2.0.0", _server.BaseUrl + "/ota/app.img", new byte[16]));
            var mcuJob = OtaRig.Job("2.0.0", _server.BaseUrl + "/ota/mcu.img", new byte[16]);
            mcuJob["module"] = "mcu";
            Push(mcuJob);

            JsonNode refusal = JsonNode.Parse(_cloud.WaitForMessage(_topics.OtaProgress, Wait).PayloadText)!;
            Assert.Equal("mcu", (string)refusal["params"]!["module"]);
            Assert.Single(_cloud.Received, m => m.Topic == _topics.OtaProgress);
        }

        private void Start(string module)
        {
            string config = new JsonObject
            {
                ["productKey"] = ProductKey,
                ["deviceName"] = DeviceName,
                ["deviceSecret"] = DeviceSecret,
                ["endpoint"] = new JsonObject { ["host"] = _broker.Host, ["port"] = _broker.TlsPort },
            }.ToJsonString();
            var parsed = new DeviceConfigParser(_log).Parse(config);
            _device = new AliyunDevice(parsed, _broker.CaCertificatePem, new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), _log, null);
            var reporter = new FirmwareVersionReporter(_device.Topics, _device.Publisher, _log, RunningVersion, module);
            _device.AddHandler(reporter);
            _device.StatusChanged += (status, reason) =>
            {
                if (status == ConnectionStatus.Connected)
                {
                    reporter.OnConnected();
                }
            };
            _device.Start();
        }

        // A job push as the platform sends it on /ota/device/upgrade.
        private void Push(JsonObject data)
        {
            var message = new JsonObject { ["code"] = "1000", ["id"] = 1626969597470, ["message"] = "success", ["data"] = data };
            _cloud.Publish(_topics.OtaUpgrade, message.ToJsonString());
        }
    }
}
