using System.Collections;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Config;
using AliyunIot.Crypto;
using AliyunIot.HostPorts.Http;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ports;
using AliyunIot.Provisioning;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Identity
{
    public sealed class ProvisioningTests : IDisposable
    {
        private const string ProductSecret = "Ps-Registration-Secret-42";
        private const string IssuedSecret = "Ds-Issued-By-Cloud-9f8e7d";

        private readonly TempFolder _temp = new TempFolder("identity-prov");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly FileConfigStore _store;

        public ProvisioningTests()
        {
            _store = new FileConfigStore(Path.Combine(_temp.Path, "device.json"));
            _log.Secret(ProductSecret);
            _log.Secret(IssuedSecret);
        }

        public void Dispose()
        {
            _log.AssertNoSecrets();
            _temp.Dispose();
        }

        private DeviceConfig Boot() => new DeviceConfigParser(_log).Parse(_store.Read());

        private void WriteConfig(string registration, Action<JsonObject> more = null)
        {
            var json = new JsonObject
            {
                ["productKey"] = "pk",
                ["deviceName"] = "device",
                ["productSecret"] = ProductSecret,
                ["registration"] = registration,
                ["endpoint"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 18883 },
                ["sensors"] = new JsonArray(new JsonObject { ["type"] = "adc", ["channel"] = 6 }),
            };
            more?.Invoke(json);
            _store.Write(json.ToJsonString());
        }

        private DynamicRegistration Registrar(IHttpPoster poster = null, IMqttTransportFactory mqtt = null, IRandom random = null) =>
            new DynamicRegistration(_store, random ?? new SystemRandom(), new SystemClock(), _log, poster, mqtt, null) { TimeoutMs = 5000 };

        private sealed class FixedRandom : IRandom
        {
            private readonly string _text;
            private int _i;

            public FixedRandom(string text) => _text = text;

            public int Next(int maxExclusive) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".IndexOf(_text[_i++ % _text.Length]);

            public void NextBytes(byte[] buffer) => throw new NotSupportedException();
        }

        [Fact]
        public void Random_is_fifteen_fresh_alphanumerics()
        {
            var random = new SystemRandom();
            string a = DynamicRegistration.NewRandom(random);
            string b = DynamicRegistration.NewRandom(random);
            Assert.Equal(15, a.Length);
            Assert.All(a, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
            Assert.NotEqual(a, b);
        }

        [Fact]
        public void Https_body_and_url_are_exactly_as_documented()
        {
            string sign = Signer.Sign(SignMethod.HmacSha256, "psecret", "deviceNamedeviceproductKeypkrandom123456", null);
            Assert.Equal(
                "productKey=pk&deviceName=device&random=123456&sign=F6D44D5DA65076F7B284215C358990CABF95E1C01693140B4ACB0F6169E48B0A&signMethod=hmacsha256",
                DynamicRegistration.HttpsBody("pk", "device", "123456", sign, SignMethod.HmacSha256));
            Assert.Equal("productKey=pk&deviceName=dev%40ice%3A1&random=r&sign=S&signMethod=hmacmd5", DynamicRegistration.HttpsBody("pk", "dev@ice:1", "r", "S", SignMethod.HmacMd5));

            var config = new DeviceConfig { Region = "cn-shanghai" };
            Assert.Equal("https://iot-auth.cn-shanghai.aliyuncs.com/auth/register/device", DynamicRegistration.RegistrationUrl(config));
        }

        [Fact]
        public void After_registration_on_flash_no_file_keeps_the_product_secret_and_the_free_space_was_scrubbed()
        {
            using var flashFolder = new TempFolder("aliyuniot-flash");
            var storage = new AliyunIot.HostPorts.Storage.FileFlashStorage(flashFolder.Path, 160 * 1024);
            var flash = new FlashConfigStore(storage, FlashConfigStore.DefaultName);
            using var server = new RegistrationEndpoint((path, body) =>
                (200, "{\"code\":200,\"data\":{\"productKey\":\"pk\",\"deviceName\":\"device\",\"deviceSecret\":\"" + IssuedSecret + "\"},\"message\":\"success\"}"));
            flash.Write(new JsonObject
            {
                ["productKey"] = "pk",
                ["deviceName"] = "device",
                ["productSecret"] = ProductSecret,
                ["registration"] = "https",
                ["registrationUrl"] = server.Url("/auth/register/device"),
                ["endpoint"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 18883 },
            }.ToJsonString());

            var registrar = new DynamicRegistration(flash, new SystemRandom(), new SystemClock(), _log, new HttpPoster(), null, null) { TimeoutMs = 5000 };
            RegistrationResult result = registrar.EnsureRegistered(new DeviceConfigParser(_log).Parse(flash.Read()), server.CaCertificatePem);

            Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
            Assert.Equal(new[] { "device.json" }, Directory.GetFiles(flashFolder.Path).Select(Path.GetFileName));
            SecretAssert.NotIn(ProductSecret, File.ReadAllText(Path.Combine(flashFolder.Path, "device.json")), "device.json after registration");
            Assert.True(_log.Contains("free flash scrubbed (" + (160 * 1024 - FlashScrubber.Reserve) + " bytes)"));
        }

        [Fact]
        public void Https_registration_persists_the_secret_before_use_and_a_second_boot_does_not_register()
        {
            using var server = new RegistrationEndpoint((path, body) =>
                (200, "{\"code\":200,\"data\":{\"productKey\":\"pk\",\"deviceName\":\"device\",\"deviceSecret\":\"" + IssuedSecret + "\"},\"message\":\"success\"}"));
            WriteConfig("https", j => j["registrationUrl"] = server.Url("/auth/register/device"));

            RegistrationResult result = Registrar(new HttpPoster(), random: new FixedRandom("123456")).EnsureRegistered(Boot(), server.CaCertificatePem);

            Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
            Assert.Equal(IssuedSecret, result.Config.DeviceSecret);
            var request = Assert.Single(server.Requests);
            Assert.Equal("/auth/register/device", request.Path);
            Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
            Assert.Equal("productKey=pk&deviceName=device&random=123456123456123&sign="
                + Signer.Sign(SignMethod.HmacSha256, ProductSecret, "deviceNamedeviceproductKeypkrandom123456123456123", null) + "&signMethod=hmacsha256", request.Body);

            // Persisted: the stored file holds the secret, no longer the product secret, and keeps the sensors.
            string stored = _store.Read();
            Assert.Contains(IssuedSecret, stored);
            SecretAssert.NotIn(ProductSecret, stored, "the stored device.json");
            Assert.Single(Boot().Sensors);

            // Second boot: the config has a deviceSecret; nothing is sent.
            RegistrationResult again = Registrar(new HttpPoster()).EnsureRegistered(Boot(), server.CaCertificatePem);
            Assert.Equal(RegistrationOutcome.AlreadyProvisioned, again.Outcome);
            Assert.Single(server.Requests);
            Assert.True(_log.Contains("registered pk/device; deviceSecret persisted"));
        }

        [Fact]
        public void Https_refusal_keeps_the_config_and_reports_the_platform_code()
        {
            using var server = new RegistrationEndpoint((path, body) => (200, "{\"code\":6288,\"message\":\"device not activated\"}"));
            WriteConfig("https", j => j["registrationUrl"] = server.Url("/auth/register/device"));
            string before = _store.Read();

            RegistrationResult result = Registrar(new HttpPoster()).EnsureRegistered(Boot(), server.CaCertificatePem);

            Assert.Equal(RegistrationOutcome.Refused, result.Outcome);
            Assert.Equal(6288, result.Code);
            Assert.Null(result.Config);
            Assert.Equal(before, _store.Read());
            Assert.True(_log.Contains("code 6288 (device not activated)"));
        }

        [Fact]
        public void Https_server_with_an_untrusted_certificate_is_a_network_error_and_nothing_is_persisted()
        {
            using var server = new RegistrationEndpoint((path, body) => (200, "{\"code\":200,\"data\":{\"deviceSecret\":\"" + IssuedSecret + "\"}}"));
            using var other = new RegistrationEndpoint((path, body) => (500, string.Empty), otherCa: true);
            WriteConfig("https", j => j["registrationUrl"] = server.Url("/auth/register/device"));

            RegistrationResult result = Registrar(new HttpPoster()).EnsureRegistered(Boot(), other.CaCertificatePem);

            Assert.Equal(RegistrationOutcome.NetworkError, result.Outcome);
            Assert.Empty(server.Requests);
            Assert.Contains(ProductSecret, _store.Read());
        }

        [Theory]
        [InlineData(500, "{}", RegistrationOutcome.Refused)]
        [InlineData(200, "not json", RegistrationOutcome.MalformedAnswer)]
        [InlineData(200, "{\"code\":200,\"data\":{}}", RegistrationOutcome.MalformedAnswer)]
        [InlineData(200, "{\"code\":200,\"data\":{\"productKey\":\"pk\",\"deviceName\":\"other\",\"deviceSecret\":\"x\"}}", RegistrationOutcome.MalformedAnswer)]
        public void Bad_https_answers_are_refused_without_touching_the_store(int status, string body, RegistrationOutcome outcome)
        {
            using var server = new RegistrationEndpoint((path, b) => (status, body));
            WriteConfig("https", j => j["registrationUrl"] = server.Url("/auth/register/device"));
            string before = _store.Read();
            Assert.Equal(outcome, Registrar(new HttpPoster()).EnsureRegistered(Boot(), server.CaCertificatePem).Outcome);
            Assert.Equal(before, _store.Read());
        }

        /// <summary>
        /// Stands in for an instance that takes only one of the two registration securemodes (the test broker takes
        /// both 2 and -2 over TLS, as the pages allow either): refuses the securemode given, then answers on the
        /// registration topic. Only for the fallback and regnwl paths.
        /// </summary>
        private sealed class ScriptedRegistrationBroker : IMqttTransportFactory
        {
            public string RefuseSecureMode;
            public string AnswerTopic;
            public string AnswerPayload;
            public readonly List<MqttConnectRequest> Connects = new();

            public IMqttTransport Create() => new Transport(this);

            private sealed class Transport : IMqttTransport
            {
                private readonly ScriptedRegistrationBroker _broker;
                private IMqttTransportListener _listener;

                public Transport(ScriptedRegistrationBroker broker) => _broker = broker;

                public bool IsConnected { get; private set; }

                public MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener)
                {
                    _broker.Connects.Add(request);
                    if (request.ClientIdentifier.Contains("securemode=" + _broker.RefuseSecureMode + ","))
                    {
                        return new MqttConnectResult(MqttConnectOutcome.Refused, 4, "refused");
                    }

                    _listener = listener;
                    IsConnected = true;
                    new Thread(() => { Thread.Sleep(20); _listener.OnMessage(_broker.AnswerTopic, Encoding.UTF8.GetBytes(_broker.AnswerPayload)); }).Start();
                    return new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "ok");
                }

                public int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties) => -1;

                public int Subscribe(string[] topics, int[] qos) => 1;

                public void Close() => IsConnected = false;
            }
        }

        [Fact]
        public void Mqtt_register_falls_back_from_securemode_minus_2_to_2_and_persists_the_secret()
        {
            WriteConfig("mqtt", j => j["endpoint"] = new JsonObject { ["instanceId"] = "iot-06z00abc" });
            var broker = new ScriptedRegistrationBroker
            {
                RefuseSecureMode = "-2",
                AnswerTopic = "/ext/register",
                AnswerPayload = "{\"productKey\":\"pk\",\"deviceName\":\"device\",\"deviceSecret\":\"" + IssuedSecret + "\"}",
            };

            RegistrationResult result = Registrar(mqtt: broker, random: new FixedRandom("123456")).EnsureRegistered(Boot(), "PEM");

            Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
            Assert.Equal(2, broker.Connects.Count);
            Assert.Equal("device.pk|random=123456123456123,authType=register,securemode=-2,signmethod=hmacsha256,instanceId=iot-06z00abc|", broker.Connects[0].ClientIdentifier);
            Assert.Equal("device.pk|random=456123456123456,authType=register,securemode=2,signmethod=hmacsha256,instanceId=iot-06z00abc|", broker.Connects[1].ClientIdentifier);
            Assert.Equal("device&pk", broker.Connects[1].Username);
            Assert.Equal(Signer.Sign(SignMethod.HmacSha256, ProductSecret, "deviceNamedeviceproductKeypkrandom456123456123456", null), broker.Connects[1].Password);
            Assert.True(broker.Connects[1].UseTls);
            Assert.Equal("iot-06z00abc.mqtt.iothub.aliyuncs.com", broker.Connects[1].Host);
            Assert.Equal(IssuedSecret, Boot().DeviceSecret);
        }

        [Fact]
        public void Mqtt_regnwl_persists_clientId_and_token_and_the_next_boot_connects_with_connwl()
        {
            const string Token = "Tok-From-Cloud-5544";
            _log.Secret(Token);
            WriteConfig("mqtt-nwl");
            var broker = new ScriptedRegistrationBroker
            {
                RefuseSecureMode = "-2",
                AnswerTopic = "/ext/regnwl",
                AnswerPayload = "{\"clientId\":\"pk.device.x1\",\"productKey\":\"pk\",\"deviceName\":\"device\",\"deviceToken\":\"" + Token + "\"}",
            };

            RegistrationResult result = Registrar(mqtt: broker).EnsureRegistered(Boot(), "PEM");

            Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
            Assert.Single(broker.Connects); // legacy form (no instanceId) starts with securemode=2
            Assert.Contains("authType=regnwl,securemode=2,", broker.Connects[0].ClientIdentifier);
            DeviceConfig next = Boot();
            Assert.Equal(Token, next.DeviceToken);
            Assert.Equal("pk.device.x1", next.ClientId);
            Assert.False(next.NeedsRegistration);
            var credentials = AliyunIot.Connection.MqttCredentials.FromConfig(next, 1, null);
            Assert.Equal("pk.device.x1|securemode=-2,authType=connwl,_ss=1,ext=1|", credentials.ClientIdentifier);
            Assert.Equal(Token, credentials.Password);
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("{\"clientId\":\"pk.device.x1\",\"productKey\":\"pk\",\"deviceName\":\"device\"}")]
        [InlineData("{\"productKey\":\"pk\",\"deviceName\":\"device\",\"deviceToken\":\"Tok-1\"}")]
        [InlineData("{\"clientId\":\"bad|id\",\"productKey\":\"pk\",\"deviceName\":\"device\",\"deviceToken\":\"Tok-1\"}")]
        [InlineData("{\"clientId\":\"pk.other\",\"productKey\":\"pk\",\"deviceName\":\"other\",\"deviceToken\":\"Tok-1\"}")]
        [InlineData("{\"clientId\":\"pk.device.x1\",\"productKey\":\"pk\",\"deviceName\":\"device\",\"deviceToken\":\"\"}")]
        [InlineData("[\"pk.device.x1\",\"Tok-1\"]")]
        public void A_malformed_regnwl_answer_is_refused_and_nothing_is_persisted(string answer)
        {
            WriteConfig("mqtt-nwl");
            string before = _store.Read();
            var broker = new ScriptedRegistrationBroker { RefuseSecureMode = "-2", AnswerTopic = "/ext/regnwl", AnswerPayload = answer };

            RegistrationResult result = Registrar(mqtt: broker).EnsureRegistered(Boot(), "PEM");

            Assert.Equal(RegistrationOutcome.MalformedAnswer, result.Outcome);
            Assert.Null(result.Config);
            Assert.Equal(before, _store.Read());
            Assert.True(Boot().NeedsRegistration);
            Assert.Contains("answer on /ext/regnwl", result.Detail);
        }

        [Fact]
        public void Mqtt_refused_in_both_securemodes_is_reported_and_nothing_persisted()
        {
            WriteConfig("mqtt");
            var refusing = new RefuseAll();
            string before = _store.Read();
            RegistrationResult result = Registrar(mqtt: refusing).EnsureRegistered(Boot(), "PEM");
            Assert.Equal(RegistrationOutcome.Refused, result.Outcome);
            Assert.Equal(2, refusing.Attempts);
            Assert.Equal(before, _store.Read());
        }

        private sealed class RefuseAll : IMqttTransportFactory, IMqttTransport
        {
            public int Attempts;

            public IMqttTransport Create() => this;

            public bool IsConnected => false;

            public MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener)
            {
                Attempts++;
                return new MqttConnectResult(MqttConnectOutcome.Refused, 5, "not authorized");
            }

            public int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties) => -1;

            public int Subscribe(string[] topics, int[] qos) => -1;

            public void Close()
            {
            }
        }

        /// <summary>A store whose writes fail: a flash write error, which cannot be caused for real here.</summary>
        private sealed class FailingStore : IConfigStore
        {
            private readonly string _text;

            public FailingStore(string text) => _text = text;

            public int Writes;

            public string Read() => _text;

            public void Write(string json)
            {
                Writes++;
                throw new IOException("flash write failed");
            }
        }

        [Fact]
        public void A_secret_that_cannot_be_persisted_is_not_used()
        {
            using var server = new RegistrationEndpoint((path, body) => (200, "{\"code\":200,\"data\":{\"deviceSecret\":\"" + IssuedSecret + "\"}}"));
            WriteConfig("https", j => j["registrationUrl"] = server.Url("/auth/register/device"));
            var failing = new FailingStore(_store.Read());
            var registrar = new DynamicRegistration(failing, new SystemRandom(), new SystemClock(), _log, new HttpPoster(), null, null);

            RegistrationResult result = registrar.EnsureRegistered(Boot(), server.CaCertificatePem);

            Assert.Equal(RegistrationOutcome.StoreFailed, result.Outcome);
            Assert.Null(result.Config);
            Assert.Equal(3, failing.Writes);
        }

        [Fact]
        public void File_config_store_replaces_atomically_and_leaves_no_temporary_files()
        {
            Assert.Null(_store.Read());
            _store.Write("{\"a\":1}");
            _store.Write("{\"b\":\"设备\"}");
            Assert.Equal("{\"b\":\"设备\"}", _store.Read());
            Assert.Equal(new[] { "device.json" }, Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
            Assert.False(File.ReadAllBytes(_store.FilePath).Take(3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF })); // no BOM
        }
    }
}
