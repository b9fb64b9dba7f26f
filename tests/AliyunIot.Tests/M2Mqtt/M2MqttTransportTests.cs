using AliyunIot.Connection;
using AliyunIot.Esp32;
using AliyunIot.Ports;
using AliyunIot.Tests.Broker;
using nanoFramework.M2Mqtt.Messages;
using Xunit;

namespace AliyunIot.Tests.M2Mqtt
{
    /// <summary>
    /// The device adapter over M2Mqtt 5.1.220's behaviours that the host library does not have: a publish the client
    /// gives up on, a refusal that surfaces as an exception, TLS errors inside a socket exception, DNS in the
    /// constructor.
    /// </summary>
    public sealed class M2MqttTransportTests : IDisposable
    {
        private readonly ScriptedBroker _broker = new ScriptedBroker { Password = "right" };

        public void Dispose() => _broker.Dispose();

        [Fact]
        public void APublishNotAcknowledgedAfterThreeAttemptsOneSecondApartIsNotAcknowledgedNeverRefused()
        {
            var listener = new RecordingListener();
            var transport = new M2MqttTransport();
            Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(ScriptedRequests.For(_broker, "right", false), listener).Outcome);
            _broker.Mode = PubackMode.Hold;
            int id = transport.Publish("/sys/pkC/devC/thing/event/property/post", new byte[] { 7 }, 1, false, null);

            _broker.Advance(999);
            Assert.Single(_broker.Received);
            _broker.Advance(1);
            _broker.Advance(1000);
            Assert.Equal(new[] { false, true, true }, _broker.Received.Select(r => r.Dup).ToArray());
            _broker.Advance(1000);

            Assert.Equal(MqttPublishReasons.NotAcknowledged, listener.WaitForPuback(id));
            Assert.Equal(3, _broker.Received.Length);
            transport.Close();
        }

        [Theory]
        [InlineData(4, 4, ConnectionStatus.BadCredentials)]
        [InlineData(4, 5, ConnectionStatus.NotAuthorized)]
        [InlineData(5, 0x86, ConnectionStatus.BadCredentials)]
        [InlineData(5, 0x87, ConnectionStatus.NotAuthorized)]
        public void ARefusedConnackFollowedByTheBrokersCloseKeepsItsReturnCode(int protocolVersion, int code, ConnectionStatus expected)
        {
            _broker.ConnackCode = (MqttReasonCode)code;
            var transport = new M2MqttTransport();
            MqttConnectResult result = transport.Connect(ScriptedRequests.For(_broker, "right", false, protocolVersion), new RecordingListener());
            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Equal(code, result.ReasonCode);
            Assert.Equal(expected, ConnectOutcomeClassifier.Classify(result));
        }

        [Fact]
        public void ARefusalReturnedNormallyIsStillARefusal()
        {
            _broker.CloseAfterRefusal = false;
            var transport = new M2MqttTransport();
            MqttConnectResult result = transport.Connect(ScriptedRequests.For(_broker, "wrong", false), new RecordingListener());
            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Equal(4, result.ReasonCode);
        }

        [Fact]
        public void ATlsHandshakeFailureIsATlsErrorNamingTheMbedTlsCode()
        {
            _broker.TlsErrorCode = ScriptedRequests.MbedTlsCertVerifyFailed;
            var transport = new M2MqttTransport();
            MqttConnectResult result = transport.Connect(ScriptedRequests.For(_broker, "right", true), new RecordingListener());
            Assert.Equal(MqttConnectOutcome.TlsError, result.Outcome);
            Assert.Contains("-0x2700", result.Detail, StringComparison.Ordinal);
        }

        [Fact]
        public void ARefusedTcpConnectOnATlsPortIsStillANetworkError()
        {
            _broker.Kill();
            var transport = new M2MqttTransport();
            MqttConnectResult result = transport.Connect(ScriptedRequests.For(_broker, "right", true), new RecordingListener());
            Assert.Equal(MqttConnectOutcome.NetworkError, result.Outcome);
        }

        [Fact]
        public void AnUnknownHostFailsInTheClientConstructorAsANetworkError()
        {
            var request = ScriptedRequests.For(_broker, "right", false);
            request.Host = "no-such-broker.scripted.test";
            MqttConnectResult result = new M2MqttTransport().Connect(request, new RecordingListener());
            Assert.Equal(MqttConnectOutcome.NetworkError, result.Outcome);
            Assert.Contains("DNS", result.Detail, StringComparison.Ordinal);
        }
    }
}
