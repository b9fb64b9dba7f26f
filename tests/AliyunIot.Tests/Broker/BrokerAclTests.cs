using System.Collections;
using System.Text;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    using AliyunIot.TestBroker;

    /// <summary>
    /// Per-device ACL as on the platform: a device reaches only its own topics, never another device's; the
    /// privileged cloud identity reaches every device. Also QoS 1 acknowledgements and MQTT 5 user properties.
    /// </summary>
    public sealed class BrokerAclTests : IClassFixture<BrokerFixture>, IDisposable
    {
        private readonly TestBroker _broker;
        private readonly List<IDisposable> _cleanup = new List<IDisposable>();

        public BrokerAclTests(BrokerFixture fixture)
        {
            _broker = fixture.Broker;
            _broker.AddDevice("pkA", "alice", "alice-secret");
            _broker.AddDevice("pkA", "bob", "bob-secret");
        }

        public void Dispose()
        {
            foreach (IDisposable d in _cleanup)
            {
                d.Dispose();
            }
        }

        [Theory]
        [InlineData(4)]
        [InlineData(5)]
        public void A_device_cannot_receive_another_devices_messages(int version)
        {
            (MosquittoTransport alice, RecordingListener aliceHears) = Device("alice", version);
            CloudClient cloud = Cloud();

            int[] granted = Subscribe(alice, aliceHears, "/sys/pkA/bob/thing/service/property/set", "/sys/pkA/alice/thing/service/property/set");
            cloud.Publish("/sys/pkA/bob/thing/service/property/set", "{\"for\":\"bob\"}");
            cloud.Publish("/sys/pkA/alice/thing/service/property/set", "{\"for\":\"alice\"}");

            Assert.True(granted[0] >= 0x80, "SUBSCRIBE to another device's topic is refused, granted " + granted[0]);
            Assert.Equal(1, granted[1]);
            Assert.Equal("{\"for\":\"alice\"}", aliceHears.WaitForMessage("/sys/pkA/alice/thing/service/property/set").PayloadText);
            Assert.DoesNotContain(aliceHears.Messages, m => m.Topic.Contains("/bob/", StringComparison.Ordinal));
        }

        [Fact]
        public void A_wildcard_over_product_and_device_levels_is_refused()
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 4);

            int[] granted = Subscribe(alice, hears, "/sys/+/+/thing/#", "/sys/pkA/+/thing/#", "#");

            Assert.All(granted, g => Assert.True(g >= 0x80));
        }

        [Theory]
        [InlineData(4)]
        [InlineData(5)]
        public void A_device_cannot_publish_into_another_devices_topics(int version)
        {
            (MosquittoTransport alice, RecordingListener aliceHears) = Device("alice", version);
            CloudClient cloud = Cloud();
            cloud.Subscribe("/sys/pkA/#");

            int forbidden = alice.Publish("/sys/pkA/bob/thing/event/property/post", Encoding.UTF8.GetBytes("forged"), 1, false, null);
            int allowed = alice.Publish("/sys/pkA/alice/thing/event/property/post", Encoding.UTF8.GetBytes("mine"), 1, false, null);

            Assert.Equal("mine", cloud.WaitForMessage("/sys/pkA/alice/thing/event/property/post", TimeSpan.FromSeconds(5)).PayloadText);
            Assert.Equal(version == 5 ? 135 : 0, aliceHears.WaitForPuback(forbidden));
            Assert.Equal(0, aliceHears.WaitForPuback(allowed));
            Assert.DoesNotContain(cloud.Received, m => m.Topic.Contains("/bob/", StringComparison.Ordinal));
        }

        [Fact]
        public void The_cloud_reaches_every_device()
        {
            string[] names = { "d1", "d2", "d3" };
            CloudClient cloud = Cloud();
            var hears = new Dictionary<string, RecordingListener>();
            foreach (string dn in names)
            {
                _broker.AddDevice("pkE", dn, dn + "-secret");
                (MosquittoTransport t, RecordingListener l) = Device(dn, 4, "pkE");
                Subscribe(t, l, "/sys/pkE/" + dn + "/thing/service/+");
                hears[dn] = l;
            }

            foreach (string dn in names)
            {
                cloud.Publish("/sys/pkE/" + dn + "/thing/service/reboot", "to " + dn);
            }

            foreach (string dn in names)
            {
                Assert.Equal("to " + dn, hears[dn].WaitForMessage("/sys/pkE/" + dn + "/thing/service/reboot").PayloadText);
                Assert.Single(hears[dn].Messages);
            }
        }

        [Theory]
        [InlineData("/sys/pkA/alice/thing/event/property/post")]
        [InlineData("/pkA/alice/user/update")]
        [InlineData("/ota/device/inform/pkA/alice")]
        [InlineData("/ota/device/progress/pkA/alice")]
        [InlineData("/ext/ntp/pkA/alice/request")]
        [InlineData("/shadow/update/pkA/alice")]
        [InlineData("/sys/pkA/alice/thing/deviceinfo/update")]
        [InlineData("/ext/rrpc/1234567/sys/pkA/alice/thing/service/x")]
        [InlineData("/ext/rrpc/1234567/pkA/alice/user/cmd")]
        public void A_device_publishes_its_own_topics(string topic)
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 5);
            CloudClient cloud = Cloud();
            cloud.Subscribe("#");

            // RRPC answers are taken at QoS 0 only (aliyun-protocol.md §3.8); everything else here at QoS 1.
            int qos = topic.Contains("/rrpc/", StringComparison.Ordinal) ? 0 : 1;
            int mid = alice.Publish(topic, Encoding.UTF8.GetBytes("x"), qos, false, null);

            Assert.Equal(topic, cloud.WaitForMessage(topic, TimeSpan.FromSeconds(5)).Topic);
            if (qos == 1)
            {
                Assert.Equal(0, hears.WaitForPuback(mid));
            }
        }

        [Fact]
        public void A_device_subscribes_its_own_filters_including_rrpc_and_broadcast()
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 4);

            int[] granted = Subscribe(alice, hears,
                "/sys/pkA/alice/rrpc/request/+",
                "/ext/rrpc/+/sys/pkA/alice/thing/service/+",
                "/ext/rrpc/+/pkA/alice/user/#",
                "/ota/device/upgrade/pkA/alice",
                "/ext/ntp/pkA/alice/response",
                "/broadcast/pkA/#",
                "/pkA/alice/user/get");

            Assert.All(granted, g => Assert.Equal(1, g));
        }

        [Fact]
        public void A_device_named_like_another_product_key_cannot_reach_that_products_ext_topics()
        {
            // Device pkA/"pkB": with a wildcard /ext/*/{pk}/{dn}/... ACL the filter below (rrpc of device pkB/victim,
            // message id "pkA") matched; the ACL now names the platform's /ext/ topics.
            _broker.AddDevice("pkA", "pkB", "pkB-secret");
            (MosquittoTransport odd, RecordingListener hears) = Device("pkB", 4);

            int[] granted = Subscribe(odd, hears, "/ext/rrpc/pkA/pkB/victim/user/#", "/ext/x/pkA/pkB/#", "/ext/ntp/pkA/pkB/response", "/ext/rrpc/+/pkA/pkB/user/#");

            Assert.True(granted[0] >= 0x80, "another device's rrpc: " + granted[0]);
            Assert.True(granted[1] >= 0x80, "an /ext/ topic the platform does not have: " + granted[1]);
            Assert.Equal(new[] { 1, 1 }, granted.Skip(2));
        }

        [Fact]
        public void A_credentials_line_over_4_KB_is_read_whole()
        {
            // The plugin used to read lines into 4096 bytes: a longer secret was cut and the rest read as a new line.
            string secret = new string('s', 5000);
            _broker.AddDevice("pkA", "longline", secret);
            using var transport = new MosquittoTransport();
            var result = transport.Connect(_broker.CreateDeviceConnectRequest("pkA", "longline", secret, protocolVersion: 4), new RecordingListener());
            Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);
        }

        [Fact]
        public void A_device_may_not_publish_to_broadcast()
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 5);

            int mid = alice.Publish("/broadcast/pkA/all", Encoding.UTF8.GetBytes("x"), 1, false, null);

            Assert.Equal(135, hears.WaitForPuback(mid));
        }

        [Fact]
        public void Cloud_broadcast_reaches_the_products_devices()
        {
            (MosquittoTransport alice, RecordingListener aliceHears) = Device("alice", 4);
            (MosquittoTransport bob, RecordingListener bobHears) = Device("bob", 4);
            Subscribe(alice, aliceHears, "/broadcast/pkA/+");
            Subscribe(bob, bobHears, "/broadcast/pkA/+");

            Cloud().Publish("/broadcast/pkA/news", "hello all");

            Assert.Equal("hello all", aliceHears.WaitForMessage("/broadcast/pkA/news").PayloadText);
            Assert.Equal("hello all", bobHears.WaitForMessage("/broadcast/pkA/news").PayloadText);
        }

        [Fact]
        public void Qos1_publish_gets_its_puback_and_qos0_reports_nothing()
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 4);
            CloudClient cloud = Cloud();
            cloud.Subscribe("/sys/pkA/alice/#");

            int qos0 = alice.Publish("/sys/pkA/alice/thing/event/a/post", Encoding.UTF8.GetBytes("q0"), 0, false, null);
            int qos1 = alice.Publish("/sys/pkA/alice/thing/event/b/post", Encoding.UTF8.GetBytes("q1"), 1, false, null);

            Assert.Equal(0, qos0);
            Assert.True(qos1 > 0);
            Assert.Equal(0, hears.WaitForPuback(qos1));
            cloud.WaitForMessage("/sys/pkA/alice/thing/event/b/post", TimeSpan.FromSeconds(5));
            Assert.Equal(new[] { (qos1, 0) }, hears.Published);
        }

        [Fact]
        public void Many_qos1_publishes_each_get_exactly_one_puback_with_the_returned_id()
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 5);
            Cloud().Subscribe("/sys/pkA/alice/#");
            var ids = new List<int>();
            for (int i = 0; i < 200; i++)
            {
                ids.Add(alice.Publish("/sys/pkA/alice/thing/event/property/post", Encoding.UTF8.GetBytes("n" + i), 1, false, null));
            }

            foreach (int id in ids)
            {
                Assert.Equal(0, hears.WaitForPuback(id));
            }

            Assert.Equal(ids.OrderBy(x => x), hears.Published.Select(p => p.Id).OrderBy(x => x));
        }

        [Fact]
        public void Mqtt5_user_properties_round_trip_in_both_directions()
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 5);
            CloudClient cloud = Cloud();
            cloud.Subscribe("/sys/pkA/alice/thing/event/property/post");
            Subscribe(alice, hears, "/sys/pkA/alice/thing/service/property/set");
            var up = new ArrayList { new MqttUserProperty("traceId", "abc-1"), new MqttUserProperty("设备", "值"), new MqttUserProperty("traceId", "dup") };

            alice.Publish("/sys/pkA/alice/thing/event/property/post", Encoding.UTF8.GetBytes("{}"), 1, false, up);
            MqttReceivedMessage atCloud = cloud.WaitForMessage("/sys/pkA/alice/thing/event/property/post", TimeSpan.FromSeconds(5));
            cloud.Publish("/sys/pkA/alice/thing/service/property/set", "{}", 1, false, new[] { new KeyValuePair<string, string>("from", "cloud") });
            MqttReceivedMessage atDevice = hears.WaitForMessage("/sys/pkA/alice/thing/service/property/set");

            Assert.Equal(new[] { ("traceId", "abc-1"), ("设备", "值"), ("traceId", "dup") }, atCloud.UserProperties.Select(p => (p.Key, p.Value)));
            Assert.Equal(new[] { ("from", "cloud") }, atDevice.UserProperties.Select(p => (p.Key, p.Value)));
        }

        [Fact]
        public void User_properties_are_dropped_on_311_instead_of_failing_the_publish()
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 4);
            CloudClient cloud = Cloud();
            cloud.Subscribe("/sys/pkA/alice/#");

            int mid = alice.Publish("/sys/pkA/alice/thing/event/property/post", Encoding.UTF8.GetBytes("{}"), 1, false, new ArrayList { new MqttUserProperty("k", "v") });

            Assert.True(mid > 0);
            Assert.Empty(cloud.WaitForMessage("/sys/pkA/alice/thing/event/property/post", TimeSpan.FromSeconds(5)).UserProperties);
        }

        [Fact]
        public void Retained_message_is_replayed_with_the_retain_flag()
        {
            CloudClient cloud = Cloud();
            cloud.Publish("/sys/pkA/alice/thing/config/push", "retained-config", 1, retain: true);
            try
            {
                (MosquittoTransport alice, RecordingListener hears) = Device("alice", 5);
                Subscribe(alice, hears, "/sys/pkA/alice/thing/config/push");

                MqttReceivedMessage retained = hears.WaitForMessage("/sys/pkA/alice/thing/config/push");

                Assert.True(retained.Retain);
                Assert.Equal("retained-config", retained.PayloadText);
            }
            finally
            {
                cloud.Publish("/sys/pkA/alice/thing/config/push", Array.Empty<byte>(), 1, retain: true);
            }
        }

        [Theory]
        [InlineData(4)]
        [InlineData(5)]
        public void Will_is_published_when_the_connection_is_taken_over_and_the_old_one_hears_of_the_loss(int version)
        {
            CloudClient cloud = Cloud();
            cloud.Subscribe("/sys/pkA/bob/thing/event/offline/post");
            MqttConnectRequest withWill = _broker.CreateDeviceConnectRequest("pkA", "bob", "bob-secret", protocolVersion: version);
            withWill.WillTopic = "/sys/pkA/bob/thing/event/offline/post";
            withWill.WillPayload = Encoding.UTF8.GetBytes("gone");
            withWill.WillQos = 1;
            var first = new MosquittoTransport();
            _cleanup.Add(first);
            var firstHears = new RecordingListener();
            Assert.Equal(MqttConnectOutcome.Accepted, first.Connect(withWill, firstHears).Outcome);

            // Same ClientIdentifier again: mosquitto drops the older connection (the platform does so per device).
            (MosquittoTransport second, RecordingListener _) = Device("bob", version);

            Assert.Equal("gone", cloud.WaitForMessage("/sys/pkA/bob/thing/event/offline/post", TimeSpan.FromSeconds(5)).PayloadText);
            Assert.StartsWith("connection lost", firstHears.WaitForLost(), StringComparison.Ordinal);
            Assert.False(first.IsConnected);
            Assert.True(second.IsConnected);
        }

        [Fact]
        public void Cloud_can_answer_from_its_message_handler_without_deadlock()
        {
            (MosquittoTransport alice, RecordingListener hears) = Device("alice", 5);
            Subscribe(alice, hears, "/sys/pkA/alice/thing/event/property/post_reply");
            CloudClient cloud = Cloud();
            cloud.MessageReceived += m =>
            {
                if (m.Topic == "/sys/pkA/alice/thing/event/property/post")
                {
                    cloud.Publish(m.Topic + "_reply", "{\"code\":200}");
                }
            };
            cloud.Subscribe("/sys/pkA/alice/thing/event/property/post");

            alice.Publish("/sys/pkA/alice/thing/event/property/post", Encoding.UTF8.GetBytes("{}"), 1, false, null);

            Assert.Equal("{\"code\":200}", hears.WaitForMessage("/sys/pkA/alice/thing/event/property/post_reply").PayloadText);
        }

        [Fact]
        public void Cloud_waits_for_messages_in_arrival_order_and_each_only_once()
        {
            CloudClient cloud = Cloud();
            cloud.Subscribe("/sys/pkA/alice/thing/event/+/post");
            (MosquittoTransport alice, RecordingListener _) = Device("alice", 4);
            for (int i = 0; i < 3; i++)
            {
                alice.Publish("/sys/pkA/alice/thing/event/e" + i + "/post", Encoding.UTF8.GetBytes("n" + i), 1, false, null);
            }

            string[] got = Enumerable.Range(0, 3).Select(_ => cloud.WaitForMessage("/sys/pkA/alice/thing/event/+/post", TimeSpan.FromSeconds(5)).PayloadText).ToArray();

            Assert.Equal(new[] { "n0", "n1", "n2" }, got);
            Assert.Null(cloud.TryWaitForMessage("/sys/pkA/alice/thing/event/+/post", TimeSpan.Zero));
            Assert.Equal(3, cloud.Received.Count);
        }

        private (MosquittoTransport Transport, RecordingListener Listener) Device(string dn, int version, string pk = "pkA")
        {
            var transport = new MosquittoTransport();
            var listener = new RecordingListener();
            _cleanup.Add(transport);
            MqttConnectResult result = transport.Connect(_broker.CreateDeviceConnectRequest(pk, dn, dn + "-secret", protocolVersion: version), listener);
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

        private static int[] Subscribe(MosquittoTransport transport, RecordingListener listener, params string[] filters)
        {
            int mid = transport.Subscribe(filters, filters.Select(_ => 1).ToArray());
            Assert.True(mid > 0);
            return listener.WaitForSuback(mid);
        }
    }
}
