using AliyunIot.Connection;
using AliyunIot.Esp32;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using AliyunIot.Tests.Broker;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.M2Mqtt
{
    /// <summary>
    /// What every <see cref="IMqttTransport"/> must do, whatever library is underneath: the same cases run against
    /// the host transport (libmosquitto, real mosquitto with the platform's authentication) and the device adapter
    /// (M2MqttTransport over the scripted M2Mqtt 5.1.220 stand-in). The session relies on each of them.
    /// </summary>
    public abstract class TransportContractTests : IDisposable
    {
        protected abstract IMqttTransport NewTransport();

        protected abstract MqttConnectRequest GoodRequest();

        protected abstract MqttConnectRequest WrongPasswordRequest();

        /// <summary>A TLS connect whose handshake fails (certificate not trusted).</summary>
        protected abstract MqttConnectRequest UntrustedTlsRequest();

        protected abstract void KillBroker();

        protected abstract void StartBroker();

        public abstract void Dispose();

        [Fact]
        public void AnAcceptedConnectionAcknowledgesAQos1PublishWithReasonZero()
        {
            var listener = new RecordingListener();
            IMqttTransport transport = NewTransport();
            try
            {
                MqttConnectResult result = transport.Connect(GoodRequest(), listener);
                Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);
                Assert.True(transport.IsConnected);
                int id = transport.Publish(Topic, new byte[] { 1, 2, 3 }, 1, false, null);
                Assert.True(id > 0);
                Assert.Equal(MqttPublishReasons.Accepted, listener.WaitForPuback(id));
            }
            finally
            {
                transport.Close();
            }
        }

        [Fact]
        public void AWrongPasswordIsARefusalThatGetsTheLongBackoffNeverANetworkError()
        {
            IMqttTransport transport = NewTransport();
            MqttConnectResult result = transport.Connect(WrongPasswordRequest(), new RecordingListener());
            transport.Close();
            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            ConnectionStatus status = ConnectOutcomeClassifier.Classify(result);
            Assert.True(ConnectOutcomeClassifier.IsRefusal(status), "status " + status + " from " + result.ReasonCode);
            Assert.False(transport.IsConnected);
        }

        [Fact]
        public void AnUntrustedServerCertificateIsATlsError()
        {
            IMqttTransport transport = NewTransport();
            MqttConnectResult result = transport.Connect(UntrustedTlsRequest(), new RecordingListener());
            transport.Close();
            Assert.Equal(MqttConnectOutcome.TlsError, result.Outcome);
            Assert.Equal(ConnectionStatus.TlsFailed, ConnectOutcomeClassifier.Classify(result));
        }

        [Fact]
        public void ABrokerThatIsDownIsANetworkError()
        {
            KillBroker();
            try
            {
                IMqttTransport transport = NewTransport();
                MqttConnectResult result = transport.Connect(GoodRequest(), new RecordingListener());
                transport.Close();
                Assert.Equal(MqttConnectOutcome.NetworkError, result.Outcome);
                Assert.Equal(ConnectionStatus.NetworkDown, ConnectOutcomeClassifier.Classify(result));
            }
            finally
            {
                StartBroker();
            }
        }

        [Fact]
        public void ABrokerThatDiesIsReportedAsALossAndNoPublishIsReportedRefused()
        {
            var listener = new RecordingListener();
            IMqttTransport transport = NewTransport();
            try
            {
                Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(GoodRequest(), listener).Outcome);
                KillBroker();
                listener.WaitForLost();
                Assert.False(transport.IsConnected);
                Assert.DoesNotContain(listener.Published, p => MqttPublishReasons.IsRefusal(p.Reason));
            }
            finally
            {
                transport.Close();
                StartBroker();
            }
        }

        protected const string Topic = "/sys/pkC/devC/thing/event/property/post";
    }

    /// <summary>The contract against libmosquitto and the real mosquitto test broker.</summary>
    public sealed class MosquittoTransportContractTests : TransportContractTests
    {
        private readonly AliyunIot.TestBroker.TestBroker _broker = AliyunIot.TestBroker.TestBroker.Start();
        private readonly AliyunIot.TestBroker.TestCa _otherCa = new AliyunIot.TestBroker.TestCa("Untrusted CA");

        public MosquittoTransportContractTests()
        {
            _broker.AddDevice("pkC", "devC", "secretC");
        }

        protected override IMqttTransport NewTransport() => new MosquittoTransport();

        protected override MqttConnectRequest GoodRequest() => _broker.CreateDeviceConnectRequest("pkC", "devC", "secretC");

        protected override MqttConnectRequest WrongPasswordRequest() => _broker.CreateDeviceConnectRequest("pkC", "devC", "wrong-secret");

        protected override MqttConnectRequest UntrustedTlsRequest()
        {
            MqttConnectRequest r = GoodRequest();
            r.CaCertificatesPem = _otherCa.CertificatePem;
            return r;
        }

        protected override void KillBroker() => _broker.Kill();

        protected override void StartBroker()
        {
            if (!_broker.IsRunning)
            {
                _broker.Restart();
            }
        }

        public override void Dispose()
        {
            _otherCa.Dispose();
            _broker.Dispose();
        }
    }

    /// <summary>The contract against the device adapter over the scripted M2Mqtt 5.1.220.</summary>
    public sealed class M2MqttTransportContractTests : TransportContractTests
    {
        private readonly ScriptedBroker _broker = new ScriptedBroker { Password = "right" };

        protected override IMqttTransport NewTransport() => new M2MqttTransport();

        protected override MqttConnectRequest GoodRequest() => ScriptedRequests.For(_broker, "right", useTls: false);

        protected override MqttConnectRequest WrongPasswordRequest() => ScriptedRequests.For(_broker, "wrong", useTls: false);

        protected override MqttConnectRequest UntrustedTlsRequest()
        {
            _broker.TlsErrorCode = ScriptedRequests.MbedTlsCertVerifyFailed;
            return ScriptedRequests.For(_broker, "right", useTls: true);
        }

        protected override void KillBroker() => _broker.Kill();

        protected override void StartBroker() => _broker.Start();

        public override void Dispose() => _broker.Dispose();
    }

    /// <summary>Connect requests for a <see cref="ScriptedBroker"/>.</summary>
    internal static class ScriptedRequests
    {
        /// <summary>MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, as nanoFramework's SslStream reports it in a SocketException.</summary>
        public const int MbedTlsCertVerifyFailed = -0x2700;

        public static MqttConnectRequest For(ScriptedBroker broker, string password, bool useTls, int protocolVersion = 4) => new MqttConnectRequest
        {
            Host = broker.HostName,
            Port = useTls ? 8883 : 1883,
            UseTls = useTls,
            CaCertificatesPem = useTls ? "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" : null,
            ClientIdentifier = "pkC.devC|securemode=2,signmethod=hmacsha256|",
            Username = "devC&pkC",
            Password = password,
            ProtocolVersion = protocolVersion,
            KeepAliveSeconds = 60,
        };
    }
}
