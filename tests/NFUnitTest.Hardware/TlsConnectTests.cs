using System;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Esp32;
using AliyunIot.Ports;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest.Hardware
{
    /// <summary>
    /// A real MQTT-TLS connection from the board to the endpoint in I:\device.json, with the embedded CA bundle, the
    /// native HMAC and the M2Mqtt transport: the whole device-side path to the platform. Skipped (with the reason)
    /// when the board has no device.json or cannot join WiFi.
    /// </summary>
    [TestClass]
    public class TlsConnectTests
    {
        [TestMethod]
        public void Connects_with_tls_and_is_refused_with_a_wrong_password()
        {
            ILog log = new DebugLog(LogLevel.Info);
            string ca;
            DeviceConfig config = OnlineBoard.Prepare(log, true, out ca);

            long now = DateTime.UtcNow.ToUnixTimeSeconds() * 1000;
            MqttConnectRequest request = MqttCredentials.BuildConnectRequest(config, ca, now, new NativeHmacSha256());
            M2MqttTransport transport = new M2MqttTransport();
            RecordingListener listener = new RecordingListener();
            try
            {
                MqttConnectResult result = transport.Connect(request, listener);
                Assert.IsTrue(result.Outcome == MqttConnectOutcome.Accepted, "accepted: " + result.Detail);
                Assert.IsTrue(transport.IsConnected, "connected");
            }
            finally
            {
                transport.Close();
            }

            Assert.IsFalse(transport.IsConnected, "closed");
            Assert.AreEqual(0, listener.Losses, "Close is not reported as a loss");

            request.Password = "0" + request.Password.Substring(1);
            if (request.Password == MqttCredentials.BuildConnectRequest(config, ca, now, new NativeHmacSha256()).Password)
            {
                request.Password = "1" + request.Password.Substring(1);
            }

            M2MqttTransport refused = new M2MqttTransport();
            try
            {
                MqttConnectResult result = refused.Connect(request, new RecordingListener());
                Assert.IsTrue(result.Outcome == MqttConnectOutcome.Refused, "refused: " + result.Detail);
                Assert.AreEqual(config.ProtocolVersion == 5 ? 0x86 : 4, result.ReasonCode, "bad user name or password");
            }
            finally
            {
                refused.Close();
            }
        }
    }
}
