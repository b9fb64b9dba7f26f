using System.Text;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    using AliyunIot.TestBroker;

    /// <summary>
    /// The broker enforces what the platform enforces (issue 15, deliverable 2; sources cited in
    /// tools/TestBroker/auth/aliyun_auth.c): keep-alive 30–1200 s, clientId ≤ 64 characters, payload ≤ 256 KB,
    /// QoS 0/1 only, no retained messages on MQTT 3.1.1, and each system topic's direction — a device publishes
    /// its uplink topics and subscribes its downlink ones, never the other way. Plain libmosquitto clients.
    /// </summary>
    public sealed class BrokerPlatformLimitsTests : IClassFixture<BrokerFixture>, IDisposable
    {
        private readonly TestBroker _broker;
        private readonly List<IDisposable> _cleanup = new List<IDisposable>();

        public BrokerPlatformLimitsTests(BrokerFixture fixture)
        {
            _broker = fixture.Broker;
            _broker.AddDevice("pkL", "lima", "lima-secret");
        }

        public void Dispose()
        {
            foreach (IDisposable d in _cleanup)
            {
                d.Dispose();
            }
        }

        [Fact]
        public void The_broker_listens_on_its_two_loopback_ports_only()
        {
            // A listener option written before the first listener makes mosquitto open its default listener on
            // port 1883 of every interface: exposed to the network, and a failed start when 1883 is taken.
            string[] opened = System.Text.RegularExpressions.Regex.Matches(_broker.ReadLog(), "Opening ipv[46] listen socket on port (\\d+)")
                .Select(m => m.Groups[1].Value).ToArray();

            Assert.NotEmpty(opened);
            Assert.All(opened, port => Assert.Contains(port, new[] { _broker.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), _broker.PlainPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }

        [Theory]
        [InlineData(29, false)]
        [InlineData(30, true)]
        [InlineData(1200, true)]
        [InlineData(1201, false)]
        [InlineData(0, false)]
        public void Keep_alive_outside_30_to_1200_seconds_is_refused(int keepAlive, bool accepted)
        {
            MqttConnectRequest request = _broker.CreateDeviceConnectRequest("pkL", "lima", "lima-secret");
            request.KeepAliveSeconds = keepAlive;

            MqttConnectResult result = Connect(request);

            Assert.Equal(accepted ? MqttConnectOutcome.Accepted : MqttConnectOutcome.Refused, result.Outcome);
            if (!accepted)
            {
                Assert.Equal(5, result.ReasonCode);
                Assert.Contains("keep-alive outside 30-1200 s", _broker.ReadLog());
            }
        }

        [Theory]
        [InlineData(64, true)]
        [InlineData(65, false)]
        public void A_client_id_over_64_characters_is_refused(int length, bool accepted)
        {
            MqttConnectRequest request = _broker.CreateDeviceConnectRequest("pkL", "lima", "lima-secret", clientId: new string('c', length));

            Assert.Equal(accepted ? MqttConnectOutcome.Accepted : MqttConnectOutcome.Refused, Connect(request).Outcome);
        }

        [Fact]
        public void Whitespace_around_the_client_identifiers_parts_is_ignored_as_the_platform_does()
        {
            // npm alibabacloud-iot-device-sdk 1.2.8 (lib/model.js) writes its ClientIdentifier with newlines and
            // indentation around the parts, and connects to the platform; the signature covers the trimmed clientId.
            // libmosquitto will not send control characters in a client id, so spaces stand for them here (the Node
            // SDK's own newlines are covered by Shadow/NodeSdkTests).
            MqttConnectRequest request = _broker.CreateDeviceConnectRequest("pkL", "lima", "lima-secret", signMethod: "hmacsha1", clientId: "pkL&lima");
            request.ClientIdentifier = "        pkL&lima|securemode=2,        signmethod=hmacsha1,        timestamp=2524608000000|      ";

            Assert.Equal(MqttConnectOutcome.Accepted, Connect(request).Outcome);
        }

        [Theory]
        [InlineData(4)]
        [InlineData(5)]
        public void A_payload_over_256_KB_is_not_delivered(int version)
        {
            (MosquittoTransport lima, RecordingListener hears) = Device(version);
            CloudClient cloud = Cloud();
            cloud.Subscribe("/sys/pkL/lima/thing/event/+/post");

            int big = lima.Publish("/sys/pkL/lima/thing/event/big/post", new byte[(256 * 1024) + 1], 1, false, null);
            int limit = lima.Publish("/sys/pkL/lima/thing/event/limit/post", new byte[256 * 1024], 1, false, null);

            // Same connection, in order: the message at the limit arrives, the one over it never did before it.
            Assert.Equal(256 * 1024, cloud.WaitForMessage("/sys/pkL/lima/thing/event/+/post", TimeSpan.FromSeconds(10)).Payload.Length);
            Assert.Equal(version == 5 ? 135 : 0, hears.WaitForPuback(big));
            Assert.Equal(0, hears.WaitForPuback(limit));
            Assert.DoesNotContain(cloud.Received, m => m.Topic.EndsWith("/big/post", StringComparison.Ordinal));
            Assert.Contains("payload over 256 KB", _broker.ReadLog());
        }

        [Fact]
        public void A_subscription_asking_qos_2_is_granted_qos_1()
        {
            (MosquittoTransport lima, RecordingListener hears) = Device(4);

            int mid = lima.Subscribe(new[] { "/sys/pkL/lima/thing/service/property/set" }, new[] { 2 });

            Assert.Equal(new[] { 1 }, hears.WaitForSuback(mid));
        }

        [Fact]
        public void A_retained_message_from_an_mqtt_3_1_1_device_is_delivered_but_not_kept()
        {
            (MosquittoTransport lima, _) = Device(4);
            CloudClient live = Cloud();
            live.Subscribe("/pkL/lima/user/state");

            lima.Publish("/pkL/lima/user/state", Encoding.UTF8.GetBytes("on"), 1, true, null);
            Assert.Equal("on", live.WaitForMessage("/pkL/lima/user/state", TimeSpan.FromSeconds(5)).PayloadText);

            // A later subscriber gets no retained copy; the marker published after it proves delivery has caught up.
            CloudClient late = Cloud();
            late.Subscribe("/pkL/lima/user/#");
            lima.Publish("/pkL/lima/user/marker", Encoding.UTF8.GetBytes("m"), 1, false, null);
            Assert.Equal("m", late.WaitForMessage("/pkL/lima/user/marker", TimeSpan.FromSeconds(5)).PayloadText);
            Assert.DoesNotContain(late.Received, m => m.Topic == "/pkL/lima/user/state");
        }

        [Theory]
        [InlineData("/sys/pkL/lima/thing/service/property/set")]
        [InlineData("/sys/pkL/lima/thing/service/Blink")]
        [InlineData("/sys/pkL/lima/rrpc/request/123")]
        [InlineData("/sys/pkL/lima/thing/event/property/post_reply")]
        [InlineData("/sys/pkL/lima/thing/model/down_raw")]
        [InlineData("/sys/pkL/lima/thing/config/push")]
        [InlineData("/ota/device/upgrade/pkL/lima")]
        [InlineData("/ext/ntp/pkL/lima/response")]
        [InlineData("/shadow/get/pkL/lima")]
        public void A_device_may_not_publish_on_its_downlink_topics(string topic)
        {
            (MosquittoTransport lima, RecordingListener hears) = Device(5);
            CloudClient cloud = Cloud();
            cloud.Subscribe("#");

            int forged = lima.Publish(topic, Encoding.UTF8.GetBytes("forged"), 1, false, null);
            int marker = lima.Publish("/pkL/lima/user/marker", Encoding.UTF8.GetBytes("m"), 1, false, null);

            Assert.Equal(135, hears.WaitForPuback(forged));
            Assert.Equal(0, hears.WaitForPuback(marker));
            cloud.WaitForMessage("/pkL/lima/user/marker", TimeSpan.FromSeconds(5));
            Assert.DoesNotContain(cloud.Received, m => m.Topic == topic);
            Assert.Contains("a device may not publish on a downlink topic", _broker.ReadLog());
        }

        [Theory]
        [InlineData("/sys/pkL/lima/thing/event/property/post", false)]
        [InlineData("/sys/pkL/lima/thing/event/+/post", false)]
        [InlineData("/sys/pkL/lima/thing/service/property/set_reply", false)]
        [InlineData("/sys/pkL/lima/rrpc/response/+", false)]
        [InlineData("/ota/device/progress/pkL/lima", false)]
        [InlineData("/ext/ntp/pkL/lima/request", false)]
        [InlineData("/shadow/update/pkL/lima", false)]
        [InlineData("/shadow/get/pkL/lima", true)]
        [InlineData("/shadow/get/pkL/other", false)]
        [InlineData("/sys/pkL/lima/thing/deviceinfo/update_reply", true)]
        [InlineData("/sys/pkL/lima/thing/deviceinfo/update", false)]
        [InlineData("/sys/pkL/lima/thing/event/+/post_reply", true)]
        [InlineData("/sys/pkL/lima/thing/service/+", true)]
        [InlineData("/sys/pkL/lima/thing/service/property/set", true)]
        [InlineData("/sys/pkL/lima/thing/model/down_raw", true)]
        [InlineData("/sys/pkL/lima/thing/ota/firmware/get_reply", true)]
        public void A_device_subscribes_its_downlink_topics_and_not_its_uplink_ones(string filter, bool allowed)
        {
            (MosquittoTransport lima, RecordingListener hears) = Device(4);

            int mid = lima.Subscribe(new[] { filter }, new[] { 1 });
            int granted = hears.WaitForSuback(mid)[0];

            if (allowed)
            {
                Assert.Equal(1, granted);
            }
            else
            {
                Assert.True(granted >= 0x80, "granted " + granted);
            }
        }

        [Fact]
        public void A_device_publishes_its_uplink_topics()
        {
            (MosquittoTransport lima, RecordingListener hears) = Device(5);
            string[] uplink =
            {
                "/sys/pkL/lima/thing/event/property/post", "/sys/pkL/lima/thing/service/property/set_reply",
                "/sys/pkL/lima/thing/deviceinfo/update", "/sys/pkL/lima/thing/ota/firmware/get", "/sys/pkL/lima/thing/model/up_raw",
                "/ota/device/inform/pkL/lima", "/ext/ntp/pkL/lima/request", "/shadow/update/pkL/lima",
            };

            foreach (string topic in uplink)
            {
                // MQTT 5 PUBACK: 0 or 16 ("no matching subscribers") is accepted, 0x80 and above refused.
                int reason = hears.WaitForPuback(lima.Publish(topic, Encoding.UTF8.GetBytes("{}"), 1, false, null));
                Assert.True(reason < 0x80, topic + ": reason " + reason);
            }
        }

        private MqttConnectResult Connect(MqttConnectRequest request)
        {
            var transport = new MosquittoTransport();
            _cleanup.Add(transport);
            return transport.Connect(request, new RecordingListener());
        }

        private (MosquittoTransport Transport, RecordingListener Listener) Device(int version)
        {
            var transport = new MosquittoTransport();
            var listener = new RecordingListener();
            _cleanup.Add(transport);
            MqttConnectResult result = transport.Connect(_broker.CreateDeviceConnectRequest("pkL", "lima", "lima-secret", protocolVersion: version), listener);
            Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);
            return (transport, listener);
        }

        private CloudClient Cloud()
        {
            var cloud = new CloudClient(_broker);
            _cleanup.Add(cloud);
            cloud.Connect();
            return cloud;
        }
    }
}
