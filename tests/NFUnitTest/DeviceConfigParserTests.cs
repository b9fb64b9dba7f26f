using AliyunIot.Config;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// device.json as text through the config parser on the nanoCLR (the port parses, the core checks): every
    /// limit named with its path and one exact message, the endpoint forms, plain TCP only when allowed, unknown
    /// fields kept with a warning, malformed documents refused without quoting them.
    /// </summary>
    [TestClass]
    public class DeviceConfigParserTests
    {
        private const string Secret = "Zx9SecretValue-ds-123";
        private const string Head = "{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"light-01\",\"deviceSecret\":\"" + Secret + "\"";
        private const string Valid = Head + ",\"endpoint\":{\"instanceId\":\"iot-06z00abc\"}}";

        [TestMethod]
        public void A_minimal_document_gets_the_documented_limits()
        {
            DeviceConfig config = Parse(Valid);
            DeviceLimits limits = config.Limits;
            Assert.AreEqual("iot-06z00abc.mqtt.iothub.aliyuncs.com", config.Host, "host");
            Assert.IsTrue(config.CleanSession, "clean session");
            Assert.IsTrue(limits.OfflineDropPolicy == OfflineDropPolicy.DropOldest, "drop oldest");
            Assert.AreEqual(20, limits.MessagesPerSecond, "messagesPerSecond");
            Assert.AreEqual(10000, limits.RequestTimeoutMs, "requestTimeoutMs");
            Assert.AreEqual(1000, limits.BackoffBaseMs, "backoffBaseMs");
            Assert.AreEqual(60000, limits.BackoffCapMs, "backoffCapMs");
            Assert.AreEqual(60000, limits.StableAfterMs, "stableAfterMs");
            Assert.AreEqual(0, config.Warnings.Count, "no warnings");
        }

        [TestMethod]
        public void Limits_are_read_from_the_limits_section()
        {
            DeviceConfig config = Parse(Head + ",\"endpoint\":{\"instanceId\":\"iot-1\"},\"limits\":{\"maxPayloadBytes\":8192,\"inFlightWindow\":4,\"offlineQueueLength\":7,\"offlineDropPolicy\":\"rejectNew\",\"messagesPerSecond\":5}}");
            Assert.AreEqual(8192, config.Limits.MaxPayloadBytes, "maxPayloadBytes");
            Assert.AreEqual(4, config.Limits.InFlightWindow, "inFlightWindow");
            Assert.AreEqual(7, config.Limits.OfflineQueueLength, "offlineQueueLength");
            Assert.IsTrue(config.Limits.OfflineDropPolicy == OfflineDropPolicy.RejectNew, "rejectNew");
            Assert.AreEqual(5, config.Limits.MessagesPerSecond, "messagesPerSecond");
        }

        [TestMethod]
        public void Each_bad_limit_has_one_exact_message()
        {
            ExpectError("\"limits\":{\"maxPayloadBytes\":255}", "limits.maxPayloadBytes: must be an integer 256..262144 (the platform's limit is 256 KB)");
            ExpectError("\"limits\":{\"inFlightWindow\":0}", "limits.inFlightWindow: must be an integer 1..100");
            ExpectError("\"limits\":{\"offlineQueueLength\":-1}", "limits.offlineQueueLength: must be an integer 0..10000");
            ExpectError("\"limits\":{\"offlineDropPolicy\":\"dropNewest\"}", "limits.offlineDropPolicy: must be \"dropOldest\" or \"rejectNew\"");
            ExpectError("\"limits\":{\"messagesPerSecond\":31}", "limits.messagesPerSecond: must be an integer 1..30 (the platform drops more than 30 per second)");
            ExpectError("\"limits\":{\"requestTimeoutMs\":999}", "limits.requestTimeoutMs: must be an integer 1000..120000");
            ExpectError("\"limits\":{\"backoffBaseMs\":5000,\"backoffCapMs\":4000}", "limits.backoffCapMs: must be an integer 100..3600000, at least limits.backoffBaseMs");
            ExpectError("\"limits\":3", "limits: must be an object");
        }

        [TestMethod]
        public void Each_bad_connection_field_has_one_exact_message()
        {
            ExpectError("\"keepAliveSeconds\":60.5", "keepAliveSeconds: must be an integer 30..1200 (the platform's range)");
            ExpectError("\"mqttVersion\":5", "mqttVersion: must be \"3.1.1\" or \"5\"");
            ExpectError("\"cleanSession\":1", "cleanSession: must be true or false");
            ExpectError("\"signMethod\":\"HMACSHA1\"", "signMethod: must be \"hmacsha256\", \"hmacsha1\" or \"hmacmd5\"");
            ExpectError("\"secureMode\":\"tcp\"", "secureMode: \"tcp\" requires \"allowPlainTcp\": true (plain TCP is closed to new devices and sends everything in clear)");
            ExpectError("\"wifi\":{\"ssid\":\"" + new string('s', 33) + "\"}", "wifi.ssid: must be 1-32 characters");
            ExpectError("\"caCertificates\":\"abc\"", "caCertificates: must be PEM text containing -----BEGIN CERTIFICATE-----");
            ExpectError("\"sensors\":{}", "sensors: must be an array");
        }

        [TestMethod]
        public void Endpoint_forms_derive_host_and_port()
        {
            DeviceConfig legacy = Parse(Head + ",\"endpoint\":{\"region\":\"cn-shanghai\"}}");
            Assert.AreEqual("a1B2c3D4e5F.iot-as-mqtt.cn-shanghai.aliyuncs.com", legacy.Host, "legacy host");
            Assert.AreEqual(1883, legacy.Port, "legacy port");
            DeviceConfig explicitHost = Parse(Head + ",\"endpoint\":{\"host\":\"broker.local\",\"port\":18883}}");
            Assert.AreEqual("broker.local", explicitHost.Host, "host");
            Assert.AreEqual(18883, explicitHost.Port, "port");
            Assert.AreEqual(8883, Parse(Head + ",\"endpoint\":{\"host\":\"127.0.0.1\"}}").Port, "TLS port by default");
            ExpectErrorIn(Head + ",\"endpoint\":{\"host\":\"h\",\"port\":65536}}", "endpoint.port: must be an integer 1..65535");
        }

        [TestMethod]
        public void Plain_tcp_only_when_allowed_and_then_warned()
        {
            RecordingLog log = new RecordingLog();
            DeviceConfig config = new DeviceConfigParser(log).Parse(Head + ",\"endpoint\":{\"host\":\"127.0.0.1\"},\"secureMode\":\"tcp\",\"allowPlainTcp\":true}");
            Assert.IsFalse(config.UseTls, "plain TCP");
            Assert.AreEqual(1883, config.Port, "port 1883");
            Assert.AreEqual(1, config.Warnings.Count, "one warning");
            Assert.IsTrue(log.Contains("plain TCP"), "logged");
            Assert.DoesNotContains(Secret, log.All(), "the secret is not logged");
        }

        [TestMethod]
        public void Unknown_fields_are_kept_and_warned_about()
        {
            DeviceConfig config = Parse(Head + ",\"endpoint\":{\"instanceId\":\"iot-1\"},\"keepAlive\":60}");
            Assert.AreEqual("unknown field \"keepAlive\" ignored", (string)config.Warnings[0], "warning");
            Assert.IsTrue(config.Raw.Contains("keepAlive"), "kept in Raw");
        }

        [TestMethod]
        public void Malformed_documents_are_refused_without_quoting_them()
        {
            ExpectErrorIn("", "device.json: is empty; expected a JSON object with productKey, deviceName, endpoint and a credential");
            ExpectErrorIn("[1]", "device.json: must be a JSON object");
            ExpectErrorIn("{\"deviceSecret\":\"" + Secret + "\" x}", "device.json: is not valid JSON (expected ',' or a closing bracket at byte 40)");
            string message = MessageOf("{\"deviceSecret\":\"" + Secret + "\",");
            Assert.StartsWith("device.json: is not valid JSON (", message, "truncated");
            Assert.DoesNotContains(Secret, message, "the secret is not quoted");
        }

        private static DeviceConfig Parse(string json)
        {
            return new DeviceConfigParser(null).Parse(json);
        }

        private static void ExpectError(string member, string message)
        {
            ExpectErrorIn(Head + ",\"endpoint\":{\"instanceId\":\"iot-1\"}," + member + "}", message);
        }

        private static void ExpectErrorIn(string json, string message)
        {
            string actual = MessageOf(json);
            Assert.AreEqual(message, actual, json);
            Assert.DoesNotContains(Secret, actual, "the secret is not quoted");
        }

        private static string MessageOf(string json)
        {
            try
            {
                Parse(json);
                return "(accepted)";
            }
            catch (ConfigException e)
            {
                Assert.StartsWith(e.Field + ": ", e.Message, "the message starts with the field");
                return e.Message;
            }
        }
    }
}
