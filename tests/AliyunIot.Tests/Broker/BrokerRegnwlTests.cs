using System.Text.RegularExpressions;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    /// <summary>
    /// Dynamic registration without pre-registration on the wire (aliyun-protocol.md §2.1/§2.3; Link SDK 4.x
    /// components/dynreg-mqtt): a regnwl CONNECT signed with the ProductSecret gets clientId + deviceToken on
    /// /ext/regnwl without a SUBSCRIBE, and that pair then logs in with authType=connwl. Every string is literal.
    /// </summary>
    public sealed class BrokerRegnwlTests : IClassFixture<BrokerFixture>
    {
        // hex HMAC-SHA256("Nwl-Product-Secret-1", "deviceNamenwl-dev1productKeypkNwlrandom123456")
        private const string Sha256Password = "72f11aa47926d078edb2213eb0fdb5a4e9139f7923e1444141fe9a41abbe9b15";

        // hex HMAC-SHA1 of the same content with the same key
        private const string Sha1Password = "ee4dd46a176faf58aea3387aa365857d4141c250";

        private readonly AliyunIot.TestBroker.TestBroker _broker;

        public BrokerRegnwlTests(BrokerFixture fixture)
        {
            _broker = fixture.Broker;
            _broker.AddProduct("pkNwl", "Nwl-Product-Secret-1", withoutPreRegistration: true);
            _broker.AddProduct("pkPre", "Nwl-Product-Secret-1");
        }

        private MqttConnectRequest Request(string clientIdentifier, string username, string password) => new MqttConnectRequest
        {
            Host = _broker.Host,
            Port = _broker.TlsPort,
            UseTls = true,
            CaCertificatesPem = _broker.CaCertificatePem,
            ClientIdentifier = clientIdentifier,
            Username = username,
            Password = password,
            KeepAliveSeconds = 60,
            ConnectTimeoutMs = 10000,
        };

        // Connects, waits for the /ext/regnwl answer when accepted, closes: (outcome, answer or null, listener).
        private (MqttConnectOutcome Outcome, string Answer, RecordingListener Listener) Connect(MqttConnectRequest request, bool waitForAnswer = false)
        {
            var listener = new RecordingListener();
            using var transport = new MosquittoTransport();
            MqttConnectOutcome outcome = transport.Connect(request, listener).Outcome;
            string answer = outcome == MqttConnectOutcome.Accepted && waitForAnswer ? listener.WaitForMessage("/ext/regnwl").PayloadText : null;
            transport.Close();
            return (outcome, answer, listener);
        }

        [Theory]
        [InlineData("hmacsha256", Sha256Password)]
        [InlineData("hmacsha1", Sha1Password)]
        public void Regnwl_pushes_clientId_and_deviceToken_and_connwl_then_logs_in(string method, string password)
        {
            var register = Request("nwl-dev1.pkNwl|random=123456,authType=regnwl,securemode=2,signmethod=" + method + "|", "nwl-dev1&pkNwl", password);
            var listener = new RecordingListener();
            using (var transport = new MosquittoTransport())
            {
                Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(register, listener).Outcome);
                string answer = listener.WaitForMessage("/ext/regnwl").PayloadText;
                Match m = Regex.Match(answer, "^\\{\"clientId\":\"([0-9a-f]{32})\",\"productKey\":\"pkNwl\",\"deviceName\":\"nwl-dev1\",\"deviceToken\":\"([0-9a-f]{64})\"\\}$");
                Assert.True(m.Success, answer);
                string clientId = m.Groups[1].Value;
                string token = m.Groups[2].Value;
                transport.Close();

                // The follow-up login as the docs give it: {clientId}|securemode=-2,authType=connwl|, password = token.
                var login = Request(clientId + "|securemode=-2,authType=connwl,_ss=1,ext=1|", "nwl-dev1&pkNwl", token);
                using var device = new MosquittoTransport();
                var deviceListener = new RecordingListener();
                Assert.Equal(MqttConnectOutcome.Accepted, device.Connect(login, deviceListener).Outcome);

                // It is a device like any other: confined to its own topics.
                int own = device.Publish("/sys/pkNwl/nwl-dev1/thing/event/property/post", new byte[] { (byte)'{', (byte)'}' }, 1, false, null);
                Assert.Equal(0, deviceListener.WaitForPuback(own));

                // The token is its credential: a wrong one, or the right one under another clientId, is refused.
                Assert.Equal(MqttConnectOutcome.Refused, Connect(Request(clientId + "|securemode=-2,authType=connwl|", "nwl-dev1&pkNwl", new string('0', 64))).Outcome);
                Assert.Equal(MqttConnectOutcome.Refused, Connect(Request("other|securemode=-2,authType=connwl|", "nwl-dev1&pkNwl", token)).Outcome);
            }
        }

        [Fact]
        public void A_second_regnwl_replaces_the_token()
        {
            var register = Request("nwl-dev2.pkNwl|random=1,authType=regnwl,securemode=2,signmethod=hmacsha256|", "nwl-dev2&pkNwl", Hex("Nwl-Product-Secret-1", "deviceNamenwl-dev2productKeypkNwlrandom1"));
            string first = Connect(register, waitForAnswer: true).Answer;
            string second = Connect(register, waitForAnswer: true).Answer;
            var a = Regex.Match(first, "\"clientId\":\"(\\w+)\".*\"deviceToken\":\"(\\w+)\"");
            var b = Regex.Match(second, "\"clientId\":\"(\\w+)\".*\"deviceToken\":\"(\\w+)\"");
            Assert.NotEqual(a.Groups[2].Value, b.Groups[2].Value);
            Assert.Equal(MqttConnectOutcome.Refused, Connect(Request(a.Groups[1].Value + "|securemode=-2,authType=connwl|", "nwl-dev2&pkNwl", a.Groups[2].Value)).Outcome);
            Assert.Equal(MqttConnectOutcome.Accepted, Connect(Request(b.Groups[1].Value + "|securemode=-2,authType=connwl|", "nwl-dev2&pkNwl", b.Groups[2].Value)).Outcome);
        }

        [Theory]
        [InlineData("pkNwl", "nwl-dev3", "Not-The-Product-Secret", "sign mismatch")]
        [InlineData("pkNope", "nwl-dev3", "Nwl-Product-Secret-1", "unknown product")]
        [InlineData("pkPre", "nwl-dev3", "Nwl-Product-Secret-1", "without pre-registration is off")]
        [InlineData("pkNwl", "x/y", "Nwl-Product-Secret-1", "naming rule")]
        public void A_bad_regnwl_is_refused_and_nothing_is_published(string pk, string dn, string secret, string logged)
        {
            var request = Request(dn + "." + pk + "|random=42,authType=regnwl,securemode=2,signmethod=hmacsha256|", dn + "&" + pk, Hex(secret, "deviceName" + dn + "productKey" + pk + "random42"));
            var (outcome, _, listener) = Connect(request);
            Assert.Equal(MqttConnectOutcome.Refused, outcome);
            Assert.Empty(listener.Messages);
            Assert.Contains("refused registration " + dn + "&" + pk + ": ", _broker.ReadLog());
            Assert.Contains(logged, _broker.ReadLog());
            Assert.DoesNotContain(secret, _broker.ReadLog());
        }

        [Fact]
        public void The_keep_alive_of_a_registration_connection_is_not_checked_but_that_of_the_login_is()
        {
            // "During dynamic registration, IoT Platform does not verify the keep-alive time" (doc-detail/132111).
            var register = Request("nwl-dev4.pkNwl|random=7,authType=regnwl,securemode=2,signmethod=hmacsha256|", "nwl-dev4&pkNwl", Hex("Nwl-Product-Secret-1", "deviceNamenwl-dev4productKeypkNwlrandom7"));
            register.KeepAliveSeconds = 10;
            var (outcome, answer, _) = Connect(register, waitForAnswer: true);
            Assert.Equal(MqttConnectOutcome.Accepted, outcome);
            var m = Regex.Match(answer, "\"clientId\":\"(\\w+)\".*\"deviceToken\":\"(\\w+)\"");
            var login = Request(m.Groups[1].Value + "|securemode=-2,authType=connwl|", "nwl-dev4&pkNwl", m.Groups[2].Value);
            login.KeepAliveSeconds = 10;
            Assert.Equal(MqttConnectOutcome.Refused, Connect(login).Outcome);
            login.KeepAliveSeconds = 30;
            Assert.Equal(MqttConnectOutcome.Accepted, Connect(login).Outcome);
        }

        [Fact]
        public void Connwl_without_a_token_issued_is_refused()
        {
            var request = Request("c0ffee|securemode=-2,authType=connwl|", "nwl-never&pkNwl", "0123456789abcdef");
            Assert.Equal(MqttConnectOutcome.Refused, Connect(request).Outcome);
            Assert.Contains("no deviceToken issued for this device", _broker.ReadLog());
        }

        private static string Hex(string key, string content) =>
            Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(content))).ToLowerInvariant();
    }
}
