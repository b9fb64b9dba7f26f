using System;
using System.Collections;
using AliyunIot.Config;
using AliyunIot.Crypto;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// device.json validation on the nanoCLR. The validator is fed the tree the core's JSON parser (JsonTree) builds
    /// (JsonReaderTests covers that parser on the same runtime); the rules and field names are the host tests' table.
    /// </summary>
    [TestClass]
    public class DeviceConfigTests
    {
        private const string Secret = "oLyaKqVxtRvjH284LdhqVgVUx1UPy6zq";

        [TestMethod]
        public void Minimal_config_gets_the_documented_defaults()
        {
            DeviceConfig config = Parse(Minimal());
            Assert.AreEqual("a1B2c3D4e5F", config.ProductKey, "productKey");
            Assert.AreEqual("sensor-001", config.DeviceName, "deviceName");
            Assert.AreEqual("iot-06z00abc.mqtt.iothub.aliyuncs.com", config.Host, "host from instanceId");
            Assert.AreEqual(8883, config.Port, "TLS port");
            Assert.IsTrue(config.UseTls, "TLS by default");
            Assert.AreEqual("a1B2c3D4e5F.sensor-001", config.ClientId, "clientId {pk}.{dn}");
            Assert.AreEqual(120, config.KeepAliveSeconds, "keep-alive");
            Assert.IsTrue(config.SignMethod == SignMethod.HmacSha256, "hmacsha256 by default");
            Assert.AreEqual(4, config.ProtocolVersion, "MQTT 3.1.1");
            Assert.AreEqual(16384, config.Limits.MaxPayloadBytes, "maxPayloadBytes");
            Assert.AreEqual(10, config.Limits.InFlightWindow, "inFlightWindow");
            Assert.AreEqual(100, config.Limits.OfflineQueueLength, "offlineQueueLength");
        }

        [TestMethod]
        public void Legacy_region_endpoint()
        {
            Hashtable root = Minimal();
            Hashtable endpoint = new Hashtable();
            endpoint["region"] = "cn-shanghai";
            root["endpoint"] = endpoint;
            DeviceConfig config = Parse(root);
            Assert.AreEqual("a1B2c3D4e5F.iot-as-mqtt.cn-shanghai.aliyuncs.com", config.Host, "legacy host");
        }

        [TestMethod]
        public void The_secret_never_appears_in_ToString()
        {
            DeviceConfig config = Parse(Minimal());
            Assert.DoesNotContains(Secret, config.ToString(), "ToString");
        }

        [TestMethod]
        public void Each_bad_field_is_named()
        {
            ExpectField("productKey", "productKey", null);
            ExpectField("productKey", "productKey", "a b");
            ExpectField("deviceName", "deviceName", "abc");
            ExpectField("deviceSecret", "deviceSecret", null);
            ExpectField("endpoint", "endpoint", null);
            ExpectField("keepAliveSeconds", "keepAliveSeconds", 29);
            ExpectField("keepAliveSeconds", "keepAliveSeconds", 1201);
            ExpectField("clientId", "clientId", "a|b");
            ExpectField("clientId", "clientId", "a,b");
            ExpectField("clientId", "clientId", "a=b");
            ExpectField("mqttVersion", "mqttVersion", "4");
            ExpectField("signMethod", "signMethod", "sha256");
            ExpectField("secureMode", "secureMode", "tcp");
        }

        [TestMethod]
        public void Bad_limits_are_named_with_their_path()
        {
            Hashtable root = Minimal();
            Hashtable limits = new Hashtable();
            limits["messagesPerSecond"] = 31;
            root["limits"] = limits;
            Assert.AreEqual("limits.messagesPerSecond", FieldOf(root), "more than the platform's 30/s");

            limits.Remove("messagesPerSecond");
            limits["maxPayloadBytes"] = 262145;
            Assert.AreEqual("limits.maxPayloadBytes", FieldOf(root), "more than 256 KB");
        }

        [TestMethod]
        public void A_bad_secret_is_never_quoted()
        {
            Hashtable root = Minimal();
            root["deviceSecret"] = 12345;
            string message = MessageOf(root);
            Assert.DoesNotContains("12345", message, "message");
        }

        private static Hashtable Minimal()
        {
            Hashtable root = new Hashtable();
            root["productKey"] = "a1B2c3D4e5F";
            root["deviceName"] = "sensor-001";
            root["deviceSecret"] = Secret;
            Hashtable endpoint = new Hashtable();
            endpoint["instanceId"] = "iot-06z00abc";
            root["endpoint"] = endpoint;
            return root;
        }

        private static DeviceConfig Parse(Hashtable root)
        {
            return new DeviceConfigParser(null).Parse(root);
        }

        [TestMethod]
        public void Board_profile_defaults_and_budgets_hold_on_the_device()
        {
            Hashtable root = Minimal();
            root["profile"] = "esp32-wroom";
            DeviceConfig config = Parse(root);
            Assert.AreEqual("esp32-wroom", config.Profile.Name, "profile");
            Assert.AreEqual(4096, config.Limits.MaxPayloadBytes, "profile default payload");
            Assert.AreEqual(8192, config.Limits.InboundQueueBytes, "profile default inbound bytes");
            Assert.IsTrue(config.Ota["closeMqttDuringDownload"] is bool && (bool)config.Ota["closeMqttDuringDownload"], "one TLS session: MQTT closes during a download");

            Hashtable limits = new Hashtable();
            limits["maxPayloadBytes"] = 65536;
            root["limits"] = limits;
            Assert.AreEqual("limits.maxPayloadBytes: is 65536 B; the esp32-wroom profile allows at most 8192 B", MessageOf(root), "payload beyond the board");

            limits.Remove("maxPayloadBytes");
            limits["offlineQueueBytes"] = 65536;
            Assert.AreEqual("limits", FieldOf(root), "buffers beyond the budget");

            root.Remove("limits");
            Hashtable ota = new Hashtable();
            ota["closeMqttDuringDownload"] = false;
            root["ota"] = ota;
            Assert.AreEqual("ota.closeMqttDuringDownload", FieldOf(root), "two TLS sessions on a board that fits one");

            root["profile"] = "esp32-wrover";
            Assert.AreEqual("(accepted)", FieldOf(root), "two TLS sessions fit with PSRAM");
            root["profile"] = "esp8266";
            Assert.AreEqual("profile", FieldOf(root), "unknown profile");
        }

        private static void ExpectField(string expectedField, string key, object value)
        {
            Hashtable root = Minimal();
            if (value == null)
            {
                root.Remove(key);
            }
            else
            {
                root[key] = value;
            }

            Assert.AreEqual(expectedField, FieldOf(root), key + " = " + (value == null ? "(missing)" : value.ToString()));
        }

        private static string FieldOf(Hashtable root)
        {
            try
            {
                Parse(root);
            }
            catch (ConfigException e)
            {
                return e.Field;
            }

            return "(accepted)";
        }

        private static string MessageOf(Hashtable root)
        {
            try
            {
                Parse(root);
            }
            catch (ConfigException e)
            {
                return e.Message;
            }

            throw new Exception("The config was accepted.");
        }
    }
}
