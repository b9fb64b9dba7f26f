using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    // Inside the namespace so that "TestBroker" means the class, not the namespace AliyunIot.TestBroker.
    using AliyunIot.TestBroker;

    /// <summary>
    /// The test broker authenticates like the platform: the published vectors connect over TLS with every sign
    /// method on MQTT 3.1.1 and 5.0, wrong secrets and wrong CAs are refused the way a device will see it.
    /// Passwords are computed here with .NET's HMAC, independently of the broker's and the core's code.
    /// </summary>
    public sealed class BrokerAuthenticationTests : IClassFixture<BrokerFixture>
    {
        private readonly TestBroker _broker;

        public BrokerAuthenticationTests(BrokerFixture fixture)
        {
            _broker = fixture.Broker;
        }

        public static IEnumerable<object[]> SignVectors()
        {
            foreach (JsonElement v in Vectors.Root.GetProperty("mqttSign").EnumerateArray())
            {
                foreach (int version in new[] { 4, 5 })
                {
                    yield return new object[] { v.GetProperty("name").GetString(), version };
                }
            }
        }

        [Theory]
        [MemberData(nameof(SignVectors))]
        public void Vector_credentials_connect_over_tls(string name, int protocolVersion)
        {
            JsonElement v = LoadVector(name);
            string pk = v.GetProperty("productKey").GetString();
            string dn = v.GetProperty("deviceName").GetString();
            string secret = v.GetProperty("deviceSecret").GetString();
            string clientId = v.GetProperty("clientId").GetString();
            string method = v.GetProperty("signMethod").GetString();
            string timestamp = v.GetProperty("timestamp").ValueKind == JsonValueKind.Null ? null : v.GetProperty("timestamp").GetString();

            string content = "clientId" + clientId + "deviceName" + dn + "productKey" + pk + (timestamp == null ? string.Empty : "timestamp" + timestamp);
            Assert.Equal(v.GetProperty("content").GetString(), content);
            string password = Hmac(method, secret, content);
            Assert.Equal(v.GetProperty("password").GetString(), password);

            _broker.AddDevice(pk, dn, secret);
            var request = DeviceRequest(clientId, pk, dn, method, timestamp, password, protocolVersion);
            using var transport = new MosquittoTransport();
            MqttConnectResult result = transport.Connect(request, new RecordingListener());

            Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);
            Assert.Equal(0, result.ReasonCode);
            Assert.True(transport.IsConnected);
        }

        [Theory]
        [InlineData("hmacsha1")]
        [InlineData("hmacsha256")]
        [InlineData("hmacmd5")]
        public void Any_timestamp_and_lower_case_hex_are_accepted(string method)
        {
            _broker.AddDevice("pkTs", "dev1", "s3cret");
            string ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
            string password = Hmac(method, "s3cret", "clientIdc1deviceNamedev1productKeypkTstimestamp" + ts).ToLowerInvariant();
            using var transport = new MosquittoTransport();

            MqttConnectResult result = transport.Connect(DeviceRequest("c1", "pkTs", "dev1", method, ts, password, 4), new RecordingListener());

            Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);
        }

        [Theory]
        [InlineData(4, 5)]
        [InlineData(5, 135)]
        public void Wrong_secret_is_refused_with_not_authorised(int protocolVersion, int expectedCode)
        {
            _broker.AddDevice("pkW", "devW", "right-secret");
            string password = Hmac("hmacsha256", "wrong-secret", "clientIdcWdeviceNamedevWproductKeypkWtimestamp789");
            var listener = new RecordingListener();
            using var transport = new MosquittoTransport();

            MqttConnectResult result = transport.Connect(DeviceRequest("cW", "pkW", "devW", "hmacsha256", "789", password, protocolVersion), listener);

            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Equal(expectedCode, result.ReasonCode);
            Assert.False(transport.IsConnected);
            Thread loop = transport.LoopThreadForTests;
            Assert.True(loop == null || !loop.IsAlive, "a refused connection must not keep a network thread (no retry loop)");
            Assert.Empty(listener.Lost);
        }

        [Fact]
        public void Timestamp_in_sign_content_but_not_in_client_identifier_is_refused()
        {
            _broker.AddDevice("pkT2", "devT2", "secret");
            string password = Hmac("hmacsha1", "secret", "clientIdc2deviceNamedevT2productKeypkT2timestamp789");
            using var transport = new MosquittoTransport();

            MqttConnectResult result = transport.Connect(DeviceRequest("c2", "pkT2", "devT2", "hmacsha1", null, password, 4), new RecordingListener());

            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
        }

        [Fact]
        public void Sign_method_must_match_the_algorithm_used()
        {
            _broker.AddDevice("pkM", "devM", "secret");
            string sha1Password = Hmac("hmacsha1", "secret", "clientIdc3deviceNamedevMproductKeypkMtimestamp1");
            using var transport = new MosquittoTransport();

            MqttConnectResult result = transport.Connect(DeviceRequest("c3", "pkM", "devM", "hmacsha256", "1", sha1Password, 4), new RecordingListener());

            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Equal(5, result.ReasonCode);
        }

        [Fact]
        public void Unknown_device_is_refused()
        {
            string password = Hmac("hmacsha256", "secret", "clientIdc4deviceNamenobodyproductKeypkUtimestamp1");
            using var transport = new MosquittoTransport();

            MqttConnectResult result = transport.Connect(DeviceRequest("c4", "pkU", "nobody", "hmacsha256", "1", password, 5), new RecordingListener());

            Assert.Equal(MqttConnectOutcome.Refused, result.Outcome);
            Assert.Equal(135, result.ReasonCode);
        }

        [Fact]
        public void Wrong_ca_fails_the_tls_handshake()
        {
            _broker.AddDevice("pkCa", "devCa", "secret");
            using var otherCa = new TestCa("Some other CA");
            MqttConnectRequest request = _broker.CreateDeviceConnectRequest("pkCa", "devCa", "secret");
            request.CaCertificatesPem = otherCa.CertificatePem;
            var listener = new RecordingListener();
            using var transport = new MosquittoTransport();

            MqttConnectResult result = transport.Connect(request, listener);

            Assert.Equal(MqttConnectOutcome.TlsError, result.Outcome);
            Assert.Equal(-1, result.ReasonCode);
            Assert.False(transport.IsConnected);
            Assert.Empty(listener.Lost);
        }

        [Fact]
        public void Closed_port_is_a_network_error()
        {
            MqttConnectRequest request = _broker.CreateDeviceConnectRequest("pk", "device", "secret");
            request.Port = FreePort();
            using var transport = new MosquittoTransport();

            MqttConnectResult result = transport.Connect(request, new RecordingListener());

            Assert.Equal(MqttConnectOutcome.NetworkError, result.Outcome);
        }

        [Fact]
        public void Plain_listener_authenticates_the_same_way()
        {
            _broker.AddDevice("pkP", "devP", "secret");
            using var ok = new MosquittoTransport();
            using var bad = new MosquittoTransport();

            MqttConnectResult accepted = ok.Connect(_broker.CreateDeviceConnectRequest("pkP", "devP", "secret", useTls: false), new RecordingListener());
            MqttConnectResult refused = bad.Connect(_broker.CreateDeviceConnectRequest("pkP", "devP", "other", useTls: false), new RecordingListener());

            Assert.Equal(MqttConnectOutcome.Accepted, accepted.Outcome);
            Assert.Equal(MqttConnectOutcome.Refused, refused.Outcome);
        }

        [Fact]
        public void Device_added_to_a_running_broker_connects_at_once()
        {
            string dn = "late" + Guid.NewGuid().ToString("N").Substring(0, 8);
            using var before = new MosquittoTransport();
            Assert.Equal(MqttConnectOutcome.Refused, before.Connect(_broker.CreateDeviceConnectRequest("pkLate", dn, "secret"), new RecordingListener()).Outcome);

            _broker.AddDevice("pkLate", dn, "secret");
            using var after = new MosquittoTransport();

            Assert.Equal(MqttConnectOutcome.Accepted, after.Connect(_broker.CreateDeviceConnectRequest("pkLate", dn, "secret"), new RecordingListener()).Outcome);
        }

        [Fact]
        public void Thousand_devices_can_be_added_and_each_connects()
        {
            var devices = Enumerable.Range(0, 1000).Select(i => ("pkFleet", "dev" + i, "secret" + i)).ToArray();
            _broker.AddDevices(devices);

            foreach (int i in new[] { 0, 499, 999 })
            {
                using var transport = new MosquittoTransport();
                MqttConnectResult result = transport.Connect(_broker.CreateDeviceConnectRequest("pkFleet", "dev" + i, "secret" + i), new RecordingListener());
                Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);
            }
        }

        [Theory]
        [InlineData("hmacsha256")]
        [InlineData("hmacsha1")]
        [InlineData("hmacmd5")]
        public void Mqtt_dynamic_registration_pushes_the_secret_without_subscribe(string method)
        {
            string dn = "reg" + method;
            _broker.AddProduct("pkReg", "psecret");
            _broker.AddDevice("pkReg", dn, "the-device-secret");
            string password = Hmac(method, "psecret", "deviceName" + dn + "productKeypkRegrandom123456");
            var request = new MqttConnectRequest
            {
                Host = _broker.Host,
                Port = _broker.TlsPort,
                CaCertificatesPem = _broker.CaCertificatePem,
                ClientIdentifier = dn + ".pkReg|random=123456,authType=register,securemode=2,signmethod=" + method + "|",
                Username = dn + "&pkReg",
                Password = password,
                ConnectTimeoutMs = 10000,
            };
            var listener = new RecordingListener();
            using var transport = new MosquittoTransport();

            Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(request, listener).Outcome);
            MqttReceivedMessage reply = listener.WaitForMessage("/ext/register");

            Assert.Equal("{\"productKey\":\"pkReg\",\"deviceName\":\"" + dn + "\",\"deviceSecret\":\"the-device-secret\"}", reply.PayloadText);
        }

        [Fact]
        public void Dynamic_registration_with_a_wrong_product_secret_is_refused()
        {
            _broker.AddProduct("pkReg2", "psecret");
            _broker.AddDevice("pkReg2", "regdev", "x");
            var request = new MqttConnectRequest
            {
                Host = _broker.Host,
                Port = _broker.TlsPort,
                CaCertificatesPem = _broker.CaCertificatePem,
                ClientIdentifier = "regdev.pkReg2|random=1,authType=register,securemode=2,signmethod=hmacsha256|",
                Username = "regdev&pkReg2",
                Password = Hmac("hmacsha256", "not-the-product-secret", "deviceNameregdevproductKeypkReg2random1"),
                ConnectTimeoutMs = 10000,
            };
            using var transport = new MosquittoTransport();

            Assert.Equal(MqttConnectOutcome.Refused, transport.Connect(request, new RecordingListener()).Outcome);
        }

        private static JsonElement LoadVector(string name) =>
            Vectors.Root.GetProperty("mqttSign").EnumerateArray().First(v => v.GetProperty("name").GetString() == name);

        private MqttConnectRequest DeviceRequest(string clientId, string pk, string dn, string method, string timestamp, string password, int protocolVersion)
        {
            return new MqttConnectRequest
            {
                Host = _broker.Host,
                Port = _broker.TlsPort,
                UseTls = true,
                CaCertificatesPem = _broker.CaCertificatePem,
                ClientIdentifier = clientId + "|securemode=2,signmethod=" + method + (timestamp == null ? string.Empty : ",timestamp=" + timestamp) + "|",
                Username = dn + "&" + pk,
                Password = password,
                ProtocolVersion = protocolVersion,
                KeepAliveSeconds = 60,
                ConnectTimeoutMs = 10000,
            };
        }

        internal static string Hmac(string method, string key, string content)
        {
            byte[] k = Encoding.UTF8.GetBytes(key);
            byte[] m = Encoding.UTF8.GetBytes(content);
            byte[] mac = method switch
            {
                "hmacsha1" => HMACSHA1.HashData(k, m),
                "hmacsha256" => HMACSHA256.HashData(k, m),
                "hmacmd5" => HMACMD5.HashData(k, m),
                _ => throw new ArgumentException(method),
            };
            return Convert.ToHexString(mac);
        }

        private static int FreePort()
        {
            var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }
    }
}
