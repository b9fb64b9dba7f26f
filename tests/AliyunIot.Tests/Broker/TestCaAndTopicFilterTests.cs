using System.Security.Cryptography.X509Certificates;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    using AliyunIot.TestBroker;

    /// <summary>The throwaway CA issues usable server certificates; topic filters match by MQTT rules.</summary>
    public sealed class TestCaAndTopicFilterTests
    {
        [Fact]
        public void Issued_server_certificate_has_key_names_and_chains_to_the_ca()
        {
            using var ca = new TestCa();
            using X509Certificate2 cert = ca.IssueServerCertificate("127.0.0.1", "localhost", "iot-auth.example");

            Assert.True(cert.HasPrivateKey);
            Assert.Equal("CN=127.0.0.1", cert.Subject);
            string san = cert.Extensions["2.5.29.17"].Format(false);
            Assert.Contains("127.0.0.1", san, StringComparison.Ordinal);
            Assert.Contains("localhost", san, StringComparison.Ordinal);
            Assert.Contains("iot-auth.example", san, StringComparison.Ordinal);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(ca.CertificatePem));
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(cert), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", ca.CertificatePem, StringComparison.Ordinal);
        }

        [Fact]
        public void Issuing_without_names_is_refused()
        {
            using var ca = new TestCa();

            Assert.Throws<ArgumentException>(() => ca.IssueServerCertificate());
        }

        [Fact]
        public void Broker_certificate_is_valid_for_localhost_too()
        {
            using TestBroker broker = TestBroker.Start();
            broker.AddDevice("pkL", "dev", "secret");
            MqttConnectRequest request = broker.CreateDeviceConnectRequest("pkL", "dev", "secret");
            request.Host = "localhost";
            using var transport = new MosquittoTransport();

            Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(request, new RecordingListener()).Outcome);
        }

        [Theory]
        [InlineData("/sys/pk/dn/#", "/sys/pk/dn/thing/event/property/post", true)]
        [InlineData("/sys/pk/dn/#", "/sys/pk/dn", true)]
        [InlineData("/sys/pk/dn/thing/service/+", "/sys/pk/dn/thing/service/reboot", true)]
        [InlineData("/sys/pk/dn/thing/service/+", "/sys/pk/dn/thing/service/a/b", false)]
        [InlineData("/ext/rrpc/+/sys/pk/dn/#", "/ext/rrpc/123/sys/pk/dn/x", true)]
        [InlineData("/sys/pk/dn/a", "/sys/pk/dn/b", false)]
        [InlineData("#", "/anything/at/all", true)]
        [InlineData("/a/+", "/a", false)]
        public void Topic_filters_match_by_mqtt_rules(string filter, string topic, bool expected)
        {
            Assert.Equal(expected, TopicFilter.Matches(filter, topic));
        }
    }
}
