using System.Collections;
using System.Text.Json.Nodes;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ports;
using AliyunIot.Provisioning;
using AliyunIot.Tests.Broker;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Identity
{
    /// <summary>The core's credentials and registration against the real test broker (mosquitto + platform-style auth).</summary>
    public sealed class BrokerIdentityTests : IClassFixture<BrokerFixture>
    {
        private readonly AliyunIot.TestBroker.TestBroker _broker;

        public BrokerIdentityTests(BrokerFixture fixture) => _broker = fixture.Broker;

        private DeviceConfig Config(string deviceName, string secret, Action<JsonObject> more = null)
        {
            var json = new JsonObject
            {
                ["productKey"] = "pkIdent",
                ["deviceName"] = deviceName,
                ["deviceSecret"] = secret,
                ["endpoint"] = new JsonObject { ["host"] = _broker.Host, ["port"] = _broker.TlsPort },
            };
            more?.Invoke(json);
            return new DeviceConfigParser(null).Parse(json.ToJsonString());
        }

        private MqttConnectResult Connect(DeviceConfig config)
        {
            MqttConnectRequest request = MqttCredentials.BuildConnectRequest(config, _broker.CaCertificatePem, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null);
            request.ConnectTimeoutMs = 10000;
            var transport = new MosquittoTransport();
            try
            {
                return transport.Connect(request, new NullListener());
            }
            finally
            {
                transport.Close();
            }
        }

        public static IEnumerable<object[]> Forms()
        {
            foreach (string method in new[] { "hmacsha256", "hmacsha1", "hmacmd5" })
            {
                foreach (string clientId in new[] { null, "SN1928339", "24:0A:C4:12:34:56", "pkIdent&dev-forms" })
                {
                    foreach (string version in new[] { "3.1.1", "5" })
                    {
                        yield return new object[] { method, clientId, version };
                    }
                }
            }
        }

        [Theory]
        [MemberData(nameof(Forms))]
        public void Connects_with_each_sign_method_clientId_form_and_mqtt_version(string method, string clientId, string version)
        {
            _broker.AddDevice("pkIdent", "dev-forms", "Forms-Secret-1");
            DeviceConfig config = Config("dev-forms", "Forms-Secret-1", j =>
            {
                j["signMethod"] = method;
                j["mqttVersion"] = version;
                if (clientId != null)
                {
                    j["clientId"] = clientId;
                }
            });
            MqttConnectResult result = Connect(config);
            Assert.True(result.Outcome == MqttConnectOutcome.Accepted, result.Outcome + " " + result.ReasonCode + " " + result.Detail);
        }

        [Fact]
        public void Plain_tcp_uses_securemode_3_and_connects_when_allowed()
        {
            _broker.AddDevice("pkIdent", "dev-tcp", "Tcp-Secret-1");
            DeviceConfig config = Config("dev-tcp", "Tcp-Secret-1", j =>
            {
                j["endpoint"] = new JsonObject { ["host"] = _broker.Host, ["port"] = _broker.PlainPort };
                j["secureMode"] = "tcp";
                j["allowPlainTcp"] = true;
            });
            Assert.Contains("|securemode=3,", MqttCredentials.FromConfig(config, 1, null).ClientIdentifier);
            Assert.Equal(MqttConnectOutcome.Accepted, Connect(config).Outcome);
        }

        [Theory]
        [InlineData("3.1.1")]
        [InlineData("5")]
        public void A_wrong_secret_is_refused(string version)
        {
            _broker.AddDevice("pkIdent", "dev-wrong", "Right-Secret-1");
            MqttConnectResult result = Connect(Config("dev-wrong", "Wrong-Secret-1", j => j["mqttVersion"] = version));
            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Contains(result.ReasonCode, new[] { 4, 5, 0x86, 0x87 });
        }

        [Fact]
        public void Mqtt_registration_gets_the_secret_persists_it_and_the_next_boot_connects_without_registering()
        {
            const string ProductSecret = "Reg-Product-Secret-77";
            const string DeviceSecret = "Reg-Device-Secret-88";
            _broker.AddProduct("pkReg", ProductSecret);
            _broker.AddDevice("pkReg", "dev-reg1", DeviceSecret);

            using var temp = new TempFolder("identity-reg");
            using var log = new CapturingLog();
            log.Secret(ProductSecret);
            log.Secret(DeviceSecret);
            var store = new FileConfigStore(Path.Combine(temp.Path, "device.json"));
            store.Write(new JsonObject
            {
                ["productKey"] = "pkReg",
                ["deviceName"] = "dev-reg1",
                ["productSecret"] = ProductSecret,
                ["registration"] = "mqtt",
                ["endpoint"] = new JsonObject { ["host"] = _broker.Host, ["port"] = _broker.TlsPort },
                ["signMethod"] = "hmacsha1",
            }.ToJsonString());

            var registrar = new DynamicRegistration(store, new SystemRandom(), new SystemClock(), log, null, new MosquittoTransportFactory(log), null) { TimeoutMs = 10000 };
            DeviceConfig firstBoot = new DeviceConfigParser(log).Parse(store.Read());
            RegistrationResult result = registrar.EnsureRegistered(firstBoot, _broker.CaCertificatePem);

            Assert.True(result.Outcome == RegistrationOutcome.Registered, result.Outcome + ": " + result.Detail);
            Assert.Equal(DeviceSecret, result.Config.DeviceSecret);
            Assert.Contains(DeviceSecret, store.Read());
            SecretAssert.NotIn(ProductSecret, store.Read(), "the stored device.json");

            // Second boot: read from the store, nothing to register, and the persisted secret connects.
            DeviceConfig secondBoot = new DeviceConfigParser(log).Parse(store.Read());
            RegistrationResult again = registrar.EnsureRegistered(secondBoot, _broker.CaCertificatePem);
            Assert.Equal(RegistrationOutcome.AlreadyProvisioned, again.Outcome);
            Assert.Equal(MqttConnectOutcome.Accepted, Connect(secondBoot).Outcome);
            Assert.Equal(1, log.Count("registering pkReg/dev-reg1"));
        }

        [Fact]
        public void Mqtt_registration_with_a_wrong_product_secret_is_refused_in_both_securemodes()
        {
            _broker.AddProduct("pkReg", "Reg-Product-Secret-77");
            _broker.AddDevice("pkReg", "dev-reg2", "Reg-Device-Secret-99");
            using var temp = new TempFolder("identity-reg");
            using var log = new CapturingLog();
            var store = new FileConfigStore(Path.Combine(temp.Path, "device.json"));
            store.Write(new JsonObject
            {
                ["productKey"] = "pkReg",
                ["deviceName"] = "dev-reg2",
                ["productSecret"] = "Not-The-Product-Secret",
                ["registration"] = "mqtt",
                ["endpoint"] = new JsonObject { ["host"] = _broker.Host, ["port"] = _broker.TlsPort },
            }.ToJsonString());
            string before = store.Read();
            var registrar = new DynamicRegistration(store, new SystemRandom(), new SystemClock(), log, null, new MosquittoTransportFactory(log), null);
            RegistrationResult result = registrar.EnsureRegistered(new DeviceConfigParser(log).Parse(before), _broker.CaCertificatePem);
            Assert.Equal(RegistrationOutcome.Refused, result.Outcome);
            Assert.Equal(before, store.Read());
            Assert.True(log.Contains("trying securemode=-2"));
        }
    }
}
