using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Connection;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// Dynamic registration against the local cloud (issue 16, item 6): a simulated device whose device.json holds
    /// only the ProductSecret registers with the firmware's own DynamicRegistration through the real broker —
    /// without pre-registration (regnwl → clientId + deviceToken, then connwl) when the product allows it, or the
    /// pre-registered way (register → deviceSecret) — persists the credential, connects and is answered by the
    /// cloud; refusals leave the config as it was and record nothing.
    /// </summary>
    public sealed class CloudRegistrationTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
        private readonly TempFolder _temp = new TempFolder("cloud-registration");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly LocalCloud _cloud;
        private readonly string _productSecret;

        public CloudRegistrationTests()
        {
            _cloud = CloudHosting.Start(Path.Combine(_temp.Path, "cloud"), _log);
            _productSecret = _cloud.Registry.Products.Single(p => p.ProductKey == DeviceRegistry.DemoProductKey).ProductSecret;
            _log.Secret(_productSecret);
        }

        public void Dispose()
        {
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        private string Config(string deviceName, string productSecret, string registration)
        {
            string path = Path.Combine(_temp.Path, deviceName + ".json");
            File.WriteAllText(path, new JsonObject
            {
                ["productKey"] = DeviceRegistry.DemoProductKey,
                ["deviceName"] = deviceName,
                ["productSecret"] = productSecret,
                ["registration"] = registration,
                ["endpoint"] = new JsonObject { ["host"] = _cloud.Broker.Host, ["port"] = _cloud.Broker.TlsPort },
                ["secureMode"] = "tls",
                ["signMethod"] = "hmacsha256",
                ["keepAliveSeconds"] = 60,
                ["caCertificatesFile"] = _cloud.CaCertificatePath,
            }.ToJsonString());
            return path;
        }

        private SimulatedDevice Device(string deviceName, string config, StringWriter output) => new SimulatedDevice(
            new SimulatorOptions { FlashDirectory = Path.Combine(_temp.Path, "flash-" + deviceName), ConfigFile = config, SamplePeriodMs = 0, LogWriter = output },
            _cloud.Registry.ModelOf(DeviceRegistry.DemoProductKey));

        [Fact]
        public void A_device_with_only_the_product_secret_registers_without_pre_registration_and_is_answered()
        {
            _cloud.AllowRegistrationWithoutPreRegistration(DeviceRegistry.DemoProductKey, true);
            Assert.Null(_cloud.Registry.Find(DeviceRegistry.DemoProductKey, "nwl-sim-01"));
            var output = new StringWriter();
            using SimulatedDevice device = Device("nwl-sim-01", Config("nwl-sim-01", _productSecret, "mqtt-nwl"), output);
            device.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => device.Status == ConnectionStatus.Connected, Wait), output.ToString());

            // Persisted before use: the flash holds clientId + deviceToken and no longer the ProductSecret.
            string token = device.Config.DeviceToken;
            Assert.NotNull(token);
            Assert.Matches("^[0-9a-f]{64}$", token);
            string stored = File.ReadAllText(device.Flash.ConfigPath);
            Assert.Contains("\"deviceToken\": \"" + token + "\"", stored);
            SecretAssert.NotIn(_productSecret, stored, "the persisted device.json");
            Assert.Contains("|securemode=-2,authType=connwl,", MqttCredentials.FromConfig(device.Config, 0, null).ClientIdentifier);

            // The cloud recorded the device (token, no secret) and answers its posts.
            RegisteredDevice registered = _cloud.Registry.Find(DeviceRegistry.DemoProductKey, "nwl-sim-01");
            Assert.NotNull(registered);
            Assert.Equal(token, registered.DeviceToken);
            Assert.Equal(device.Config.ClientId, registered.ClientId);
            Assert.Null(registered.DeviceSecret);
            DeviceState state = _cloud.State(DeviceRegistry.DemoProductKey, "nwl-sim-01");
            Assert.Null(device.SampleNow());
            Assert.True(_cloud.WaitUntil(() => state.PostsAccepted > 0, Wait), output.ToString());
            Assert.True(SimulatedDevice.WaitUntil(() => device.Reporter.LastReplyCode == 200, Wait), "post_reply " + device.Reporter.LastReplyCode);

            // A broker restart (its credentials come from the cloud's registry) and a reboot: the token still logs
            // in, and the device never registers again.
            _cloud.Broker.Restart();
            Assert.True(SimulatedDevice.WaitUntil(() => device.Status != ConnectionStatus.Connected, Wait));
            Assert.True(SimulatedDevice.WaitUntil(() => device.Status == ConnectionStatus.Connected, Wait), output.ToString());
            device.Restart("test");
            Assert.True(SimulatedDevice.WaitUntil(() => device.BootCount == 2 && device.Status == ConnectionStatus.Connected, Wait), output.ToString());
            Assert.Equal(token, device.Config.DeviceToken);
            Assert.Equal(1, CountOf(output.ToString(), "registering a1SimLamp01/nwl-sim-01"));
            SecretAssert.NotIn(_productSecret, output.ToString(), "the simulator output");
            SecretAssert.NotIn(token, output.ToString(), "the simulator output");
            SecretAssert.NotIn(token, File.ReadAllText(_cloud.Broker.LogPath), "the broker log");
        }

        [Theory]
        [InlineData(false, true)]
        [InlineData(true, false)]
        public void Registration_with_the_switch_off_or_a_wrong_product_secret_is_refused_and_changes_nothing(bool allowed, bool rightSecret)
        {
            _cloud.AllowRegistrationWithoutPreRegistration(DeviceRegistry.DemoProductKey, allowed);
            string config = Config("nwl-sim-02", rightSecret ? _productSecret : "Not-The-Product-Secret", "mqtt-nwl");
            var output = new StringWriter();
            using SimulatedDevice device = Device("nwl-sim-02", config, output);
            string before = File.ReadAllText(config);

            var refused = Assert.Throws<InvalidOperationException>(() => device.PowerOn());
            Assert.Contains("dynamic registration failed (Refused", refused.Message);
            Assert.Equal(before, File.ReadAllText(device.Flash.ConfigPath));
            Assert.Null(_cloud.Registry.Find(DeviceRegistry.DemoProductKey, "nwl-sim-02"));
            Assert.Contains(allowed ? "refused registration nwl-sim-02&a1SimLamp01: sign mismatch" : "refused registration nwl-sim-02&a1SimLamp01: registration without pre-registration is off", File.ReadAllText(_cloud.Broker.LogPath));
            SecretAssert.NotIn(_productSecret, refused.Message + output, "the error and the output");
        }

        [Fact]
        public void The_pre_registered_variant_still_gets_its_device_secret_and_connects()
        {
            RegisteredDevice registered = _cloud.Register(DeviceRegistry.DemoProductKey, "pre-sim-01");
            _log.Secret(registered.DeviceSecret);
            var output = new StringWriter();
            using SimulatedDevice device = Device("pre-sim-01", Config("pre-sim-01", _productSecret, "mqtt"), output);
            device.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => device.Status == ConnectionStatus.Connected, Wait), output.ToString());
            Assert.Equal(registered.DeviceSecret, device.Config.DeviceSecret);
            Assert.Null(device.Config.DeviceToken);
            SecretAssert.NotIn(registered.DeviceSecret, output.ToString(), "the simulator output");
        }

        [Fact]
        public void The_clouds_registration_config_lets_the_simulator_provision_itself_without_pre_registration()
        {
            // What `cloud product registration --without-pre-registration on` and `cloud register --self mqtt-nwl` do.
            _cloud.AllowRegistrationWithoutPreRegistration(DeviceRegistry.DemoProductKey, true);
            string config = _cloud.WriteRegistrationConfig(null, "nwl-cli-01", "mqtt-nwl");
            string written = File.ReadAllText(config);
            Assert.Contains("\"registration\": \"mqtt-nwl\"", written);
            Assert.DoesNotContain("deviceSecret", written);
            Assert.Null(_cloud.Registry.Find(DeviceRegistry.DemoProductKey, "nwl-cli-01"));
            Assert.Throws<ArgumentException>(() => _cloud.WriteRegistrationConfig(null, "nwl-cli-02", "https"));

            var output = new StringWriter();
            using SimulatedDevice device = Device("nwl-cli-01", config, output);
            device.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => device.Status == ConnectionStatus.Connected, Wait), output.ToString());
            Assert.True(_cloud.WaitUntil(() => _cloud.State(DeviceRegistry.DemoProductKey, "nwl-cli-01").Online, Wait));
            Assert.Equal(device.Config.DeviceToken, _cloud.Registry.Find(DeviceRegistry.DemoProductKey, "nwl-cli-01").DeviceToken);
        }

        private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
    }
}
