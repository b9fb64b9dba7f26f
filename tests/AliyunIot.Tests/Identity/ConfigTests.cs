using System.Collections;
using System.Text.Json.Nodes;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Identity
{
    public class ConfigTests
    {
        private const string Secret = "Zx9SecretValue-ds-123";
        private const string ProductSecret = "Pq7ProductSecret-ps-456";

        private static JsonObject Valid() => new JsonObject
        {
            ["productKey"] = "a1B2c3D4e5F",
            ["deviceName"] = "light-01",
            ["deviceSecret"] = Secret,
            ["endpoint"] = new JsonObject { ["instanceId"] = "iot-06z00abc" },
        };

        private static DeviceConfig Parse(string json, CapturingLog log = null) => new DeviceConfigParser(log).Parse(json);

        private static DeviceConfig Parse(JsonObject json, CapturingLog log = null) => Parse(json.ToJsonString(), log);

        // One row per field error: how to break a valid config, and the exact message the user sees.
        public static IEnumerable<object[]> FieldErrors()
        {
            object[] Row(string name, Action<JsonObject> mutate, string message) => new object[] { name, mutate, message };
            const string RegistrationChoice = "registration: is required with productSecret; allowed: \"https\", \"mqtt\", \"mqtt-nwl\"";

            yield return Row("productKey missing", j => j.Remove("productKey"), "productKey: is required (1-64 letters, digits, - or _)");
            yield return Row("productKey not a string", j => j["productKey"] = 5, "productKey: must be a string");
            yield return Row("productKey bad chars", j => j["productKey"] = "a b", "productKey: must be 1-64 letters, digits, - or _");
            yield return Row("deviceName missing", j => j.Remove("deviceName"), "deviceName: is required (4-32 letters, digits or - _ @ . :)");
            yield return Row("deviceName too short", j => j["deviceName"] = "abc", "deviceName: must be 4-32 letters, digits or - _ @ . :");
            yield return Row("deviceName too long", j => j["deviceName"] = new string('d', 33), "deviceName: must be 4-32 letters, digits or - _ @ . :");
            yield return Row("deviceName bad char", j => j["deviceName"] = "dev/ice", "deviceName: must be 4-32 letters, digits or - _ @ . :");
            yield return Row("no credential", j => j.Remove("deviceSecret"), "deviceSecret: is required (or productSecret with registration \"https\", \"mqtt\" or \"mqtt-nwl\", or deviceToken with clientId)");
            yield return Row("two credentials", j => { j["productSecret"] = ProductSecret; j["registration"] = "https"; }, "deviceSecret: give only one of deviceSecret, or productSecret with registration, or deviceToken with clientId");
            yield return Row("deviceSecret empty", j => j["deviceSecret"] = "", "deviceSecret: must be a string of 1-128 characters");
            yield return Row("deviceSecret number", j => j["deviceSecret"] = 1234, "deviceSecret: must be a string of 1-128 characters");
            yield return Row("productSecret without registration", j => { j.Remove("deviceSecret"); j["productSecret"] = ProductSecret; }, RegistrationChoice);
            yield return Row("registration unknown", j => { j.Remove("deviceSecret"); j["productSecret"] = ProductSecret; j["registration"] = "ftp"; }, "registration: must be \"https\", \"mqtt\" or \"mqtt-nwl\"");
            yield return Row("registration without productSecret", j => j["registration"] = "mqtt", "registration: is only allowed together with productSecret");
            yield return Row("mqtt registration over tcp", j => { j.Remove("deviceSecret"); j["productSecret"] = ProductSecret; j["registration"] = "mqtt"; j["secureMode"] = "tcp"; j["allowPlainTcp"] = true; }, "registration: over MQTT requires secureMode \"tls\" (the platform refuses registration over plain TCP)");
            yield return Row("https registration without url or region", j => { j.Remove("deviceSecret"); j["productSecret"] = ProductSecret; j["registration"] = "https"; }, "registrationUrl: is required for \"https\" registration unless endpoint.region is set");
            yield return Row("registrationUrl not https", j => { j.Remove("deviceSecret"); j["productSecret"] = ProductSecret; j["registration"] = "https"; j["registrationUrl"] = "http://x/auth"; }, "registrationUrl: must be an https:// URL");
            yield return Row("registrationUrl with an ignorable character before https", j => { j.Remove("deviceSecret"); j["productSecret"] = ProductSecret; j["registration"] = "https"; j["registrationUrl"] = "\u0000https://x/auth"; }, "registrationUrl: must be an https:// URL");
            yield return Row("deviceToken without clientId", j => { j.Remove("deviceSecret"); j["deviceToken"] = "tok"; }, "clientId: is required with deviceToken (the clientId returned by registration)");
            yield return Row("endpoint missing", j => j.Remove("endpoint"), "endpoint: is required: {\"instanceId\"}, {\"region\"} or {\"host\", \"port\"}");
            yield return Row("endpoint empty", j => j["endpoint"] = new JsonObject(), "endpoint: is required: {\"instanceId\"}, {\"region\"} or {\"host\", \"port\"}");
            yield return Row("endpoint not object", j => j["endpoint"] = "host", "endpoint: must be an object with instanceId, region or host (and optional port)");
            yield return Row("endpoint host and instance", j => j["endpoint"] = new JsonObject { ["instanceId"] = "iot-1", ["host"] = "h" }, "endpoint: give only one of instanceId, region or host");
            yield return Row("instanceId bad", j => j["endpoint"] = new JsonObject { ["instanceId"] = "iot 1" }, "endpoint.instanceId: must be 1-64 letters, digits, - or _");
            yield return Row("region bad", j => j["endpoint"] = new JsonObject { ["region"] = "cn_shanghai" }, "endpoint.region: must be a region id such as cn-shanghai (letters, digits and -)");
            yield return Row("host bad", j => j["endpoint"] = new JsonObject { ["host"] = "my host" }, "endpoint.host: must be a host name or address (1-253 characters, no spaces)");
            yield return Row("port zero", j => j["endpoint"] = new JsonObject { ["host"] = "h", ["port"] = 0 }, "endpoint.port: must be an integer 1..65535");
            yield return Row("port too big", j => j["endpoint"] = new JsonObject { ["host"] = "h", ["port"] = 65536 }, "endpoint.port: must be an integer 1..65535");
            yield return Row("port string", j => j["endpoint"] = new JsonObject { ["host"] = "h", ["port"] = "8883" }, "endpoint.port: must be an integer 1..65535");
            yield return Row("secureMode unknown", j => j["secureMode"] = "ssl", "secureMode: must be \"tls\" or \"tcp\"");
            yield return Row("tcp not allowed", j => j["secureMode"] = "tcp", "secureMode: \"tcp\" requires \"allowPlainTcp\": true (plain TCP is closed to new devices and sends everything in clear)");
            yield return Row("allowPlainTcp not bool", j => j["allowPlainTcp"] = "yes", "allowPlainTcp: must be true or false");
            yield return Row("signMethod unknown", j => j["signMethod"] = "sha256", "signMethod: must be \"hmacsha256\", \"hmacsha1\" or \"hmacmd5\"");
            yield return Row("signMethod upper case", j => j["signMethod"] = "HMACSHA1", "signMethod: must be \"hmacsha256\", \"hmacsha1\" or \"hmacmd5\"");
            yield return Row("clientId pipe", j => j["clientId"] = "a|b", "clientId: must be 1-64 characters without | , or =");
            yield return Row("clientId comma", j => j["clientId"] = "a,b", "clientId: must be 1-64 characters without | , or =");
            yield return Row("clientId equals", j => j["clientId"] = "a=b", "clientId: must be 1-64 characters without | , or =");
            yield return Row("clientId too long", j => j["clientId"] = new string('c', 65), "clientId: must be 1-64 characters without | , or =");
            yield return Row("clientId empty", j => j["clientId"] = "", "clientId: must be 1-64 characters without | , or =");
            yield return Row("default clientId too long", j => { j["productKey"] = new string('p', 40); j["deviceName"] = new string('d', 30); }, "clientId: the default {productKey}.{deviceName} is longer than 64 characters; set clientId (1-64 characters without | , or =)");
            yield return Row("keepAlive too small", j => j["keepAliveSeconds"] = 29, "keepAliveSeconds: must be an integer 30..1200 (the platform's range)");
            yield return Row("keepAlive too large", j => j["keepAliveSeconds"] = 1201, "keepAliveSeconds: must be an integer 30..1200 (the platform's range)");
            yield return Row("keepAlive fraction", j => j["keepAliveSeconds"] = 60.5, "keepAliveSeconds: must be an integer 30..1200 (the platform's range)");
            yield return Row("mqttVersion unknown", j => j["mqttVersion"] = "3.1", "mqttVersion: must be \"3.1.1\" or \"5\"");
            yield return Row("mqttVersion number", j => j["mqttVersion"] = 5, "mqttVersion: must be \"3.1.1\" or \"5\"");
            yield return Row("cleanSession not bool", j => j["cleanSession"] = 1, "cleanSession: must be true or false");
            yield return Row("wifi not object", j => j["wifi"] = "net", "wifi: must be an object {\"ssid\", \"password\"}");
            yield return Row("wifi ssid missing", j => j["wifi"] = new JsonObject { ["password"] = "p" }, "wifi.ssid: must be 1-32 characters");
            yield return Row("wifi ssid too long", j => j["wifi"] = new JsonObject { ["ssid"] = new string('s', 33) }, "wifi.ssid: must be 1-32 characters");
            yield return Row("wifi password too long", j => j["wifi"] = new JsonObject { ["ssid"] = "s", ["password"] = new string('w', 65) }, "wifi.password: must be a string of 0-64 characters");
            yield return Row("caCertificates not pem", j => j["caCertificates"] = "abc", "caCertificates: must be PEM text containing -----BEGIN CERTIFICATE-----");
            yield return Row("caCertificatesFile empty", j => j["caCertificatesFile"] = " ", "caCertificatesFile: must be a non-empty file path");
            yield return Row("both CA forms", j => { j["caCertificates"] = "-----BEGIN CERTIFICATE-----x"; j["caCertificatesFile"] = "ca.pem"; }, "caCertificates: give only one of caCertificates or caCertificatesFile");
            yield return Row("limits not object", j => j["limits"] = 3, "limits: must be an object");
            yield return Row("maxPayloadBytes too big", j => j["limits"] = new JsonObject { ["maxPayloadBytes"] = 262145 }, "limits.maxPayloadBytes: must be an integer 256..262144 (the platform's limit is 256 KB)");
            yield return Row("maxPayloadBytes too small", j => j["limits"] = new JsonObject { ["maxPayloadBytes"] = 255 }, "limits.maxPayloadBytes: must be an integer 256..262144 (the platform's limit is 256 KB)");
            yield return Row("inFlightWindow zero", j => j["limits"] = new JsonObject { ["inFlightWindow"] = 0 }, "limits.inFlightWindow: must be an integer 1..100");
            yield return Row("offlineQueueLength negative", j => j["limits"] = new JsonObject { ["offlineQueueLength"] = -1 }, "limits.offlineQueueLength: must be an integer 0..10000");
            yield return Row("offlineDropPolicy unknown", j => j["limits"] = new JsonObject { ["offlineDropPolicy"] = "dropNewest" }, "limits.offlineDropPolicy: must be \"dropOldest\" or \"rejectNew\"");
            yield return Row("messagesPerSecond over platform", j => j["limits"] = new JsonObject { ["messagesPerSecond"] = 31 }, "limits.messagesPerSecond: must be an integer 1..30 (the platform drops more than 30 per second)");
            yield return Row("requestTimeoutMs too small", j => j["limits"] = new JsonObject { ["requestTimeoutMs"] = 999 }, "limits.requestTimeoutMs: must be an integer 1000..120000");
            yield return Row("backoffBaseMs too small", j => j["limits"] = new JsonObject { ["backoffBaseMs"] = 99 }, "limits.backoffBaseMs: must be an integer 100..60000");
            yield return Row("backoffCapMs below base", j => j["limits"] = new JsonObject { ["backoffBaseMs"] = 5000, ["backoffCapMs"] = 4000 }, "limits.backoffCapMs: must be an integer 100..3600000, at least limits.backoffBaseMs");
            yield return Row("stableAfterMs too small", j => j["limits"] = new JsonObject { ["stableAfterMs"] = 10 }, "limits.stableAfterMs: must be an integer 1000..3600000");
            yield return Row("sensors not array", j => j["sensors"] = new JsonObject(), "sensors: must be an array");
            yield return Row("ota not object", j => j["ota"] = new JsonArray(), "ota: must be an object");
        }

        [Theory]
        [MemberData(nameof(FieldErrors))]
        public void Each_field_error_has_one_exact_message_and_never_quotes_a_secret(string name, Action<JsonObject> mutate, string message)
        {
            JsonObject json = Valid();
            mutate(json);
            var error = Assert.Throws<ConfigException>(() => Parse(json));
            Assert.Equal(message, error.Message);
            Assert.Equal(message.Substring(0, message.IndexOf(':')), error.Field);
            SecretAssert.NotIn(Secret, error.Message, "the error message");
            SecretAssert.NotIn(ProductSecret, error.Message, "the error message");
            Assert.False(string.IsNullOrEmpty(name));
        }

        [Theory]
        [InlineData("", "device.json: is empty; expected a JSON object with productKey, deviceName, endpoint and a credential")]
        [InlineData("[1]", "device.json: must be a JSON object")]
        [InlineData("{\"deviceSecret\":\"Zx9SecretValue-ds-123\",", "device.json: is not valid JSON (unbalanced brackets or unterminated document)")]
        [InlineData("{\"deviceSecret\":\"Zx9SecretValue-ds-123\" x}", "device.json: is not valid JSON (expected ',' or a closing bracket at byte 40)")]
        public void Malformed_documents_are_refused_without_quoting_them(string text, string message)
        {
            var error = Assert.Throws<ConfigException>(() => Parse(text));
            if (message.EndsWith(")"))
            {
                Assert.StartsWith("device.json: is not valid JSON (", error.Message);
            }
            else
            {
                Assert.Equal(message, error.Message);
            }

            SecretAssert.NotIn(Secret, error.Message, "the error message");
        }

        [Fact]
        public void A_minimal_config_gets_every_default()
        {
            DeviceConfig config = Parse(Valid());
            Assert.Equal("a1B2c3D4e5F", config.ProductKey);
            Assert.Equal("light-01", config.DeviceName);
            Assert.Equal(Secret, config.DeviceSecret);
            Assert.Equal("iot-06z00abc.mqtt.iothub.aliyuncs.com", config.Host);
            Assert.Equal(8883, config.Port);
            Assert.True(config.UseTls);
            Assert.Equal(SignMethod.HmacSha256, config.SignMethod);
            Assert.Equal("a1B2c3D4e5F.light-01", config.ClientId);
            Assert.Equal(120, config.KeepAliveSeconds);
            Assert.Equal(4, config.ProtocolVersion);
            Assert.True(config.CleanSession);
            Assert.Null(config.WifiSsid);
            Assert.Null(config.CaCertificatesPem);
            Assert.False(config.NeedsRegistration);
            Assert.Equal(RegistrationMode.None, config.Registration);
            DeviceLimits limits = config.Limits;
            Assert.Equal(16384, limits.MaxPayloadBytes);
            Assert.Equal(10, limits.InFlightWindow);
            Assert.Equal(100, limits.OfflineQueueLength);
            Assert.Equal(OfflineDropPolicy.DropOldest, limits.OfflineDropPolicy);
            Assert.Equal(20, limits.MessagesPerSecond);
            Assert.Equal(10000, limits.RequestTimeoutMs);
            Assert.Equal(1000, limits.BackoffBaseMs);
            Assert.Equal(60000, limits.BackoffCapMs);
            Assert.Equal(60000, limits.StableAfterMs);
            Assert.Empty(config.Warnings);
        }

        [Fact]
        public void The_documented_full_example_parses_with_every_field_set()
        {
            string example = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "device-config.example.json"));
            DeviceConfig config = Parse(example);
            Assert.Equal("cn-shanghai", config.Region);
            Assert.Equal("iot-06z00abc.mqtt.iothub.aliyuncs.com", config.Host);
            Assert.Equal(8883, config.Port);
            Assert.Equal(SignMethod.HmacSha256, config.SignMethod);
            Assert.Equal("24:0A:C4:12:34:56", config.ClientId);
            Assert.Equal(300, config.KeepAliveSeconds);
            Assert.Equal(4, config.ProtocolVersion);
            Assert.False(config.CleanSession);
            Assert.Equal("workshop", config.WifiSsid);
            Assert.Equal(OfflineDropPolicy.RejectNew, config.Limits.OfflineDropPolicy);
            Assert.Equal(8192, config.Limits.MaxPayloadBytes);
            Assert.Equal(2, config.Sensors.Count);
            Assert.Equal(2, AliyunIot.Sensors.SensorConfigParser.Parse(config.Sensors, config.WifiSsid != null).Length);
            AliyunIot.Ota.OtaSettings ota = AliyunIot.Ota.OtaSettings.Parse(config.Ota);
            Assert.True(ota.CloseMqttDuringDownload);
            Assert.Equal(5, ota.ConfirmWithinBoots);
            Assert.NotNull(config.Ota);
            Assert.Empty(config.Warnings);
        }

        [Fact]
        public void Endpoint_forms_derive_host_and_port()
        {
            JsonObject json = Valid();
            json["endpoint"] = new JsonObject { ["region"] = "cn-shanghai" };
            DeviceConfig legacy = Parse(json);
            Assert.Equal("a1B2c3D4e5F.iot-as-mqtt.cn-shanghai.aliyuncs.com", legacy.Host);
            Assert.Equal(1883, legacy.Port);

            json["endpoint"] = new JsonObject { ["region"] = "cn-shanghai", ["port"] = 443 };
            Assert.Equal(443, Parse(json).Port);

            json["endpoint"] = new JsonObject { ["host"] = "127.0.0.1" };
            Assert.Equal(8883, Parse(json).Port);

            json["endpoint"] = new JsonObject { ["host"] = "broker.local", ["port"] = 18883 };
            DeviceConfig explicitHost = Parse(json);
            Assert.Equal("broker.local", explicitHost.Host);
            Assert.Equal(18883, explicitHost.Port);

            json["endpoint"] = new JsonObject { ["instanceId"] = "iot-1", ["region"] = "cn-shanghai" };
            DeviceConfig both = Parse(json);
            Assert.Equal("iot-1.mqtt.iothub.aliyuncs.com", both.Host);
            Assert.Equal("cn-shanghai", both.Region);
        }

        [Fact]
        public void Plain_tcp_only_when_allowed_and_then_a_warning_is_logged()
        {
            using var log = new CapturingLog();
            log.Secret(Secret);
            JsonObject json = Valid();
            json["endpoint"] = new JsonObject { ["host"] = "127.0.0.1" };
            json["secureMode"] = "tcp";
            json["allowPlainTcp"] = true;
            DeviceConfig config = Parse(json, log);
            Assert.False(config.UseTls);
            Assert.Equal(1883, config.Port);
            Assert.Single(config.Warnings);
            Assert.True(log.Contains("Warning [config] plain TCP"));
        }

        [Fact]
        public void Unknown_fields_are_kept_and_warned_about()
        {
            using var log = new CapturingLog();
            JsonObject json = Valid();
            json["keepAlive"] = 60;
            DeviceConfig config = Parse(json, log);
            Assert.Contains("unknown field \"keepAlive\" ignored", config.Warnings.Cast<string>());
            Assert.True(config.Raw.Contains("keepAlive"));
        }

        [Fact]
        public void Registration_configs_and_token_configs_parse()
        {
            JsonObject json = Valid();
            json.Remove("deviceSecret");
            json["productSecret"] = ProductSecret;
            json["registration"] = "mqtt-nwl";
            DeviceConfig nwl = Parse(json);
            Assert.True(nwl.NeedsRegistration);
            Assert.Equal(RegistrationMode.MqttNoPreRegistration, nwl.Registration);

            json["registration"] = "https";
            json["registrationUrl"] = "https://127.0.0.1:8443/auth/register/device";
            Assert.Equal(RegistrationMode.Https, Parse(json).Registration);

            JsonObject token = Valid();
            token.Remove("deviceSecret");
            token["deviceToken"] = "tok-1";
            token["clientId"] = "cid-from-cloud";
            DeviceConfig tokenConfig = Parse(token);
            Assert.False(tokenConfig.NeedsRegistration);
            var credentials = MqttCredentials.FromConfig(tokenConfig, 1, null);
            Assert.Equal("cid-from-cloud|securemode=-2,authType=connwl,_ss=1,ext=1|", credentials.ClientIdentifier);
        }

        [Fact]
        public void ToString_names_the_credential_kind_but_never_a_secret()
        {
            JsonObject json = Valid();
            json["wifi"] = new JsonObject { ["ssid"] = "net", ["password"] = "WifiPass-789" };
            string text = Parse(json).ToString();
            Assert.Contains("credential=deviceSecret", text);
            SecretAssert.NotIn(Secret, text, "DeviceConfig.ToString()");
            SecretAssert.NotIn("WifiPass-789", text, "DeviceConfig.ToString()");
        }

        [Fact]
        public void Connect_request_is_built_from_the_config()
        {
            JsonObject json = Valid();
            json["endpoint"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 18883 };
            json["keepAliveSeconds"] = 60;
            json["mqttVersion"] = "5";
            json["cleanSession"] = false;
            json["signMethod"] = "hmacsha1";
            MqttConnectRequestAssert(MqttCredentials.BuildConnectRequest(Parse(json), "PEM", 789, null));
        }

        private static void MqttConnectRequestAssert(AliyunIot.Ports.MqttConnectRequest request)
        {
            Assert.Equal("127.0.0.1", request.Host);
            Assert.Equal(18883, request.Port);
            Assert.True(request.UseTls);
            Assert.Equal("PEM", request.CaCertificatesPem);
            Assert.Equal(60, request.KeepAliveSeconds);
            Assert.Equal(5, request.ProtocolVersion);
            Assert.False(request.CleanSession);
            Assert.Equal("a1B2c3D4e5F.light-01|securemode=2,signmethod=hmacsha1,timestamp=789,_ss=1,ext=1,_v=nf-aliyun-1.0|", request.ClientIdentifier);
            Assert.Equal("light-01&a1B2c3D4e5F", request.Username);
            Assert.Equal(Signer.Sign(SignMethod.HmacSha1, Secret, "clientIda1B2c3D4e5F.light-01deviceNamelight-01productKeya1B2c3D4e5Ftimestamp789", null), request.Password);
        }

        [Fact]
        public void Writer_persists_a_registered_secret_and_keeps_every_other_section()
        {
            string example = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "device-config.example.json"));
            JsonObject json = JsonNode.Parse(example)!.AsObject();
            json.Remove("deviceSecret");
            json["productSecret"] = ProductSecret;
            json["registration"] = "https";
            json["futureSection"] = new JsonObject { ["z"] = 1, ["a"] = new JsonArray(1.5, "x", null, true) };
            DeviceConfig before = Parse(json);
            Assert.True(before.NeedsRegistration);

            string written = DeviceConfigWriter.WithDeviceSecret(before, "NewSecret-777");
            DeviceConfig after = Parse(written);
            Assert.Equal("NewSecret-777", after.DeviceSecret);
            Assert.Null(after.ProductSecret);
            Assert.False(after.NeedsRegistration);
            SecretAssert.NotIn(ProductSecret, written, "the written device.json");

            // Everything else survives, including unknown sections and the raw sensor/ota sections.
            JsonNode reparsed = JsonNode.Parse(written)!;
            Assert.True(JsonNode.DeepEquals(json["sensors"], reparsed["sensors"]));
            Assert.True(JsonNode.DeepEquals(json["ota"], reparsed["ota"]));
            Assert.True(JsonNode.DeepEquals(json["futureSection"], reparsed["futureSection"]));
            Assert.True(JsonNode.DeepEquals(json["limits"], reparsed["limits"]));
            Assert.Equal(before.ClientId, after.ClientId);
            Assert.Equal(before.Host, after.Host);

            // Human-editable output: indented, known fields first.
            Assert.StartsWith("{\n  \"productKey\": \"a1B2c3D4e5F\",\n  \"deviceName\": \"light-01\",\n  \"deviceSecret\": \"NewSecret-777\",", written);
        }

        [Fact]
        public void Writer_persists_a_token_with_its_clientId()
        {
            JsonObject json = Valid();
            json.Remove("deviceSecret");
            json["productSecret"] = ProductSecret;
            json["registration"] = "mqtt-nwl";
            string written = DeviceConfigWriter.WithDeviceToken(Parse(json), "cid.from.cloud", "tok-abc");
            DeviceConfig after = Parse(written);
            Assert.Equal("tok-abc", after.DeviceToken);
            Assert.Equal("cid.from.cloud", after.ClientId);
            Assert.Null(after.ProductSecret);
        }

        [Fact]
        public void Writer_round_trips_numbers_strings_and_escapes()
        {
            var root = new Hashtable
            {
                ["productKey"] = "pk",
                ["x"] = new Hashtable { ["d"] = 0.1, ["t"] = 10.0, ["n"] = -3.25, ["big"] = 1234567890123L, ["s"] = "a\"b\\c\n设备" },
                ["e"] = new ArrayList(),
                ["o"] = new Hashtable(),
            };
            string written = DeviceConfigWriter.Write(root);
            JsonNode node = JsonNode.Parse(written)!;
            Assert.Equal(0.1, node["x"]!["d"]!.GetValue<double>());
            Assert.Equal(-3.25, node["x"]!["n"]!.GetValue<double>());
            Assert.Equal(1234567890123L, node["x"]!["big"]!.GetValue<long>());
            Assert.Equal("a\"b\\c\n设备", node["x"]!["s"]!.GetValue<string>());
            Assert.Contains("\"t\": 10.0", written);
            Assert.Contains("\"e\": []", written);
            Assert.Contains("\"o\": {}", written);
        }
    }
}
