using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    // Inside the namespace so that "TestBroker" means the class, not the namespace AliyunIot.TestBroker.
    using AliyunIot.TestBroker;

    /// <summary>
    /// The securemode in the ClientIdentifier must match the listener the device came in on, as on the platform
    /// ("Establish MQTT connections": 2 = direct TLS, 3 = direct TCP; "MQTT-based dynamic registration": TLS only):
    /// TLS + 2 and TCP + 3 log in, the crossed pairs, a missing and an unknown securemode are refused with CONNACK 5
    /// (our choice: the pages name no code, and 5 is the only refusal a mosquitto auth plugin can send), and the
    /// broker's log names the mismatch without the password. Plain MQTT CONNECTs with a correct signature (the
    /// securemode is not part of the signed content), so the securemode is the only thing wrong.
    /// </summary>
    public sealed class BrokerSecureModeTests : IClassFixture<BrokerFixture>
    {
        private const string ProductKey = "pkSm";
        private const string DeviceName = "dev-sm";
        private const string Secret = "Secure-Mode-Secret-1";
        private readonly TestBroker _broker;

        public BrokerSecureModeTests(BrokerFixture fixture)
        {
            _broker = fixture.Broker;
            _broker.AddDevice(ProductKey, DeviceName, Secret);
        }

        [Theory]
        [InlineData(true, 4)]
        [InlineData(false, 4)]
        [InlineData(true, 5)]
        [InlineData(false, 5)]
        public void The_listeners_securemode_logs_in(bool tls, int protocolVersion)
        {
            MqttConnectRequest request = Request(tls, tls ? "2" : "3", protocolVersion);
            Assert.Contains("|securemode=" + (tls ? "2," : "3,"), request.ClientIdentifier);

            MqttConnectResult result = Connect(request);

            Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);
            Assert.Equal(0, result.ReasonCode);
        }

        [Theory]
        [InlineData(true, "3", "securemode=3 on the TLS listener (it takes securemode=2)")]
        [InlineData(false, "2", "securemode=2 on the plain TCP listener (it takes securemode=3)")]
        [InlineData(true, "-1", "securemode=-1 on the TLS listener (it takes securemode=2)")]
        [InlineData(false, "7", "securemode=7 on the plain TCP listener (it takes securemode=3)")]
        [InlineData(true, "-2", "securemode=-2 on the TLS listener (it takes securemode=2)")]
        public void A_securemode_that_does_not_match_the_listener_is_refused_with_connack_5(bool tls, string secureMode, string reason)
        {
            MqttConnectResult result = Connect(Request(tls, secureMode, 4));

            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Equal(5, result.ReasonCode);
            AssertLogged(reason);
        }

        [Fact]
        public void A_mismatch_on_mqtt_5_is_refused_with_not_authorized()
        {
            MqttConnectResult result = Connect(Request(false, "2", 5));

            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Equal(135, result.ReasonCode);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_clientidentifier_without_securemode_is_refused(bool tls)
        {
            MqttConnectRequest request = _broker.CreateDeviceConnectRequest(ProductKey, DeviceName, Secret, useTls: tls, clientId: "nosm");
            request.ClientIdentifier = "nosm|signmethod=hmacsha256,timestamp=2524608000000|";

            MqttConnectResult result = Connect(request);

            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Equal(5, result.ReasonCode);
            AssertLogged("no securemode in the ClientIdentifier (2 for TLS, 3 for plain TCP)");
        }

        [Fact]
        public void Dynamic_registration_over_plain_tcp_is_refused_even_when_signed_right()
        {
            _broker.AddProduct("pkSmReg", "Sm-Product-Secret");
            _broker.AddDevice("pkSmReg", "reg-sm", "Sm-Device-Secret");
            string password = AliyunSign.Hex("hmacsha256", "Sm-Product-Secret", "deviceNamereg-smproductKeypkSmRegrandom42");
            var request = new MqttConnectRequest
            {
                Host = _broker.Host,
                Port = _broker.PlainPort,
                UseTls = false,
                ClientIdentifier = "reg-sm.pkSmReg|random=42,authType=register,securemode=2,signmethod=hmacsha256|",
                Username = "reg-sm&pkSmReg",
                Password = password,
                KeepAliveSeconds = 60,
                ConnectTimeoutMs = 10000,
            };

            MqttConnectResult plain = Connect(request);
            request.Port = _broker.TlsPort;
            request.UseTls = true;
            request.CaCertificatesPem = _broker.CaCertificatePem;
            MqttConnectResult tls = Connect(request);

            Assert.Equal(MqttConnectOutcome.Refused, plain.Outcome);
            Assert.Equal(5, plain.ReasonCode);
            AssertLogged("dynamic registration on the plain TCP listener (the platform takes it over TLS only)");
            Assert.Equal(MqttConnectOutcome.Accepted, tls.Outcome);
        }

        [Fact]
        public void One_identity_on_both_ports_keeps_only_the_newer_connection()
        {
            // The plugin runs once per listener; both instances share who is connected, so a login on the plain port
            // closes the same identity's older login on the TLS port (the platform keeps one connection per identity).
            _broker.AddDevice(ProductKey, "dev-both", Secret);
            var tlsListener = new RecordingListener();
            using var overTls = new MosquittoTransport();
            using var overTcp = new MosquittoTransport();
            Assert.Equal(MqttConnectOutcome.Accepted, overTls.Connect(_broker.CreateDeviceConnectRequest(ProductKey, "dev-both", Secret, useTls: true, clientId: "both-tls"), tlsListener).Outcome);

            Assert.Equal(MqttConnectOutcome.Accepted, overTcp.Connect(_broker.CreateDeviceConnectRequest(ProductKey, "dev-both", Secret, useTls: false, clientId: "both-tcp"), new RecordingListener()).Outcome);

            Assert.NotNull(tlsListener.WaitForLost(10000));
            Assert.True(overTcp.IsConnected);
        }

        private MqttConnectRequest Request(bool tls, string secureMode, int protocolVersion)
        {
            MqttConnectRequest request = _broker.CreateDeviceConnectRequest(ProductKey, DeviceName, Secret, protocolVersion: protocolVersion, useTls: tls);
            int start = request.ClientIdentifier.IndexOf("|securemode=", StringComparison.Ordinal) + "|securemode=".Length;
            int end = request.ClientIdentifier.IndexOf(',', start);
            request.ClientIdentifier = request.ClientIdentifier.Substring(0, start) + secureMode + request.ClientIdentifier.Substring(end);
            return request;
        }

        private static MqttConnectResult Connect(MqttConnectRequest request)
        {
            using var transport = new MosquittoTransport();
            return transport.Connect(request, new RecordingListener());
        }

        /// <summary>The refusal's reason is in mosquitto's log (what the local cloud's traffic log reads), without the secret or password.</summary>
        private void AssertLogged(string reason)
        {
            string log = _broker.ReadLog();
            Assert.Contains(": " + reason, log);
            SecretAssert.NotIn(Secret, log, "the broker's log");
        }
    }
}
