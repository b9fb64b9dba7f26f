using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Ports;
using AliyunIot.TestBroker;
using AliyunIot.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Session
{
    /// <summary>
    /// The session end to end: AliyunDevice built from a DeviceConfig, signing with identity's MqttCredentials,
    /// the real libmosquitto transport, the real mosquitto broker with the platform's authentication.
    /// </summary>
    public sealed class SessionBrokerTests : IDisposable
    {
        private readonly AliyunIot.TestBroker.TestBroker _broker;
        private readonly ITestOutputHelper _output;

        public SessionBrokerTests(ITestOutputHelper output)
        {
            _output = output;
            _broker = AliyunIot.TestBroker.TestBroker.Start();
        }

        public void Dispose() => _broker.Dispose();

        private DeviceConfig Config(string pk, string dn, string secret, int protocolVersion, bool tls = true)
        {
            var config = new DeviceConfig
            {
                ProductKey = pk,
                DeviceName = dn,
                DeviceSecret = secret,
                ClientId = pk + "." + dn,
                Host = _broker.Host,
                Port = tls ? _broker.TlsPort : _broker.PlainPort,
                UseTls = tls,
                ProtocolVersion = protocolVersion,
                KeepAliveSeconds = 60,
            };
            config.Limits.BackoffBaseMs = 100;
            config.Limits.BackoffCapMs = 500;
            config.Limits.StableAfterMs = 1000;
            config.Limits.RequestTimeoutMs = 2000;
            return config;
        }

        [Fact]
        public void TwoBoardsFlashedWithTheSameTripleKickEachOtherAndBothReportIdentityInUse()
        {
            // The platform keeps one connection per device identity; the test broker does the same (not only per
            // ClientIdentifier), so two boards with one device.json but different clientIds fight like in the field.
            const string pk = "pkTwin", dn = "twin";
            using var log = new CapturingLog();
            string secret = log.Secret("twin-s3cret-42");
            _broker.AddDevice(pk, dn, secret);
            DeviceConfig configA = Config(pk, dn, secret, 4);
            configA.ClientId = "board-a";
            DeviceConfig configB = Config(pk, dn, secret, 4);
            configB.ClientId = "board-b";
            var a = new AliyunDevice(configA, _broker.CaCertificatePem, new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), log, null);
            var b = new AliyunDevice(configB, _broker.CaCertificatePem, new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), log, null);
            var statusA = new StatusRecorder(() => 0);
            var statusB = new StatusRecorder(() => 0);
            a.StatusChanged += statusA.OnStatus;
            b.StatusChanged += statusB.OnStatus;
            try
            {
                a.Start();
                Eventually.True(() => a.Status == ConnectionStatus.Connected, 10000, "board A connected");
                b.Start();
                Eventually.True(() => statusA.Count(ConnectionStatus.IdentityInUse) > 0 && statusB.Count(ConnectionStatus.IdentityInUse) > 0, 60000,
                    "both boards report IdentityInUse");
                Assert.Contains("another connection probably uses this identity", statusA.Events.First(e => e.Status == ConnectionStatus.IdentityInUse).Reason);
                Assert.Contains("another connection probably uses this identity", statusB.Events.First(e => e.Status == ConnectionStatus.IdentityInUse).Reason);
            }
            finally
            {
                a.Stop();
                b.Stop();
            }
        }

        [Fact]
        public void ANewConnectionOfTheSameDeviceClosesTheOlderOneWhateverItsClientIdentifier()
        {
            const string pk = "pkKick", dn = "kick";
            _broker.AddDevice(pk, dn, "kick-secret");
            _broker.AddDevice(pk, "other", "other-secret");
            var firstHears = new AliyunIot.Tests.Broker.RecordingListener();
            var otherHears = new AliyunIot.Tests.Broker.RecordingListener();
            using var first = new MosquittoTransport();
            using var other = new MosquittoTransport();
            using var second = new MosquittoTransport();
            Assert.Equal(MqttConnectOutcome.Accepted, first.Connect(_broker.CreateDeviceConnectRequest(pk, dn, "kick-secret", clientId: "board-a"), firstHears).Outcome);
            Assert.Equal(MqttConnectOutcome.Accepted, other.Connect(_broker.CreateDeviceConnectRequest(pk, "other", "other-secret", clientId: "board-c"), otherHears).Outcome);

            Assert.Equal(MqttConnectOutcome.Accepted, second.Connect(_broker.CreateDeviceConnectRequest(pk, dn, "kick-secret", clientId: "board-b"), new AliyunIot.Tests.Broker.RecordingListener()).Outcome);

            Assert.StartsWith("connection lost", firstHears.WaitForLost(), StringComparison.Ordinal);
            Assert.False(first.IsConnected);
            Assert.True(second.IsConnected);
            Assert.True(other.IsConnected, "another device of the product keeps its connection");
            Assert.Empty(otherHears.Lost);
        }

        [Theory]
        [InlineData(4)]
        [InlineData(5)]
        public void ConnectsSubscribesAndExchangesMessages(int protocolVersion)
        {
            string pk = "pkS" + protocolVersion, dn = "dev1";
            using var log = new CapturingLog();
            string secret = log.Secret("s3cr3t-" + protocolVersion + "-xyz");
            _broker.AddDevice(pk, dn, secret);
            var device = new AliyunDevice(Config(pk, dn, secret, protocolVersion), _broker.CaCertificatePem, new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), log, null);
            var handler = new RecordingHandler(device.Topics.PropertySet, device.Topics.PropertySet);
            device.AddHandler(handler);
            var statuses = new StatusRecorder(() => 0);
            device.StatusChanged += statuses.OnStatus;
            using var cloud = new CloudClient(_broker);
            cloud.Connect();
            cloud.Subscribe(device.Topics.PropertyPost);
            try
            {
                device.Start();
                Eventually.True(() => device.Status == ConnectionStatus.Connected, 10000, "connected");
                Assert.Contains("MQTT " + (protocolVersion == 5 ? "5" : "3.1.1"), device.StatusReason);

                DeliveryOutcome? outcome = null;
                var acked = new ManualResetEventSlim();
                var status = device.Publisher.Publish(device.Topics.PropertyPost, Encoding.UTF8.GetBytes("{\"id\":\"1\"}"), 1, new PublishOptions
                {
                    Token = "t1",
                    Delivered = (t, o, c) => { outcome = o; acked.Set(); },
                });
                Assert.Equal(PublishStatus.Sent, status);
                Assert.True(acked.Wait(5000));
                Assert.Equal(DeliveryOutcome.Acknowledged, outcome);
                Assert.Equal("{\"id\":\"1\"}", cloud.WaitForMessage(device.Topics.PropertyPost, TimeSpan.FromSeconds(5)).PayloadText);

                // Cloud → device: the subscription was made by the session after CONNACK.
                ProbeUntilReceived(cloud, device.Topics.PropertySet, handler, "set-1");
            }
            finally
            {
                device.Stop();
            }

            Assert.False(device.Session.IsRunning);
            Assert.Equal(ConnectionStatus.Stopped, statuses.Events.Last().Status);
        }

        [Fact]
        public void Mqtt5UserPropertiesReachTheCloud()
        {
            string pk = "pkU5", dn = "devU";
            using var log = new CapturingLog();
            _broker.AddDevice(pk, dn, "secret-u5");
            var device = new AliyunDevice(Config(pk, dn, "secret-u5", 5), _broker.CaCertificatePem, new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), log, null);
            using var cloud = new CloudClient(_broker);
            cloud.Connect();
            cloud.Subscribe(device.Topics.PropertyPost);
            try
            {
                device.Start();
                Eventually.True(() => device.Status == ConnectionStatus.Connected, 10000, "connected");
                var props = new System.Collections.ArrayList { new MqttUserProperty("traceId", "abc-1") };
                Assert.Equal(PublishStatus.Sent, device.Publisher.Publish(device.Topics.PropertyPost, Encoding.UTF8.GetBytes("x"), 1, new PublishOptions { UserProperties = props }));
                var m = cloud.WaitForMessage(device.Topics.PropertyPost, TimeSpan.FromSeconds(5));
                Assert.Contains(m.UserProperties, kv => kv.Key == "traceId" && kv.Value == "abc-1");
            }
            finally
            {
                device.Stop();
            }
        }

        [Theory]
        [InlineData(4, 5)]
        [InlineData(5, 135)]
        public void WrongSecretIsARefusalWithLongBackoffAndNoSecretInTheLog(int protocolVersion, int code)
        {
            string pk = "pkW" + protocolVersion, dn = "devW";
            using var log = new CapturingLog();
            _broker.AddDevice(pk, dn, log.Secret("the-right-secret"));
            string wrong = log.Secret("a-wrong-secret-123");
            var clock = new ManualClock();
            var factory = new GatedTransportFactory(new MosquittoTransportFactory()) { Now = () => clock.MonotonicMs };
            var device = new AliyunDevice(Config(pk, dn, wrong, protocolVersion), _broker.CaCertificatePem, factory, clock, new SystemRandom(), log, null);
            var statuses = new StatusRecorder(() => clock.MonotonicMs);
            device.StatusChanged += statuses.OnStatus;
            try
            {
                device.Start();
                Eventually.True(() => factory.Created >= 3, 20000, "three attempts");
            }
            finally
            {
                device.Stop();
            }

            // mosquitto refuses any failed authentication with 5 (3.1.1) / 0x87 (5.0) — it cannot send 4 —
            // so a wrong secret shows as NotAuthorized here; the platform's 4 maps to BadCredentials (SupervisorTests).
            var attempts = factory.CreatedAt;
            var refusals = statuses.Events.Where(e => e.Status == ConnectionStatus.NotAuthorized).ToArray();
            Assert.True(refusals.Length >= 2, "refusals seen: " + refusals.Length);
            Assert.Contains("code " + code, refusals[0].Reason);
            Assert.DoesNotContain(statuses.Events, e => e.Status == ConnectionStatus.Connected);
            Assert.True(attempts.Count(t => t < 60000) <= 3, "attempts in the first virtual minute: " + attempts.Count(t => t < 60000));
            Assert.True(attempts[1] - attempts[0] >= 150000, "second attempt after " + (attempts[1] - attempts[0]) + " ms");
            Assert.Equal(ConnectionStatus.Stopped, device.Status);
            Assert.True(log.Contains("NotAuthorized: refused by the server (code " + code + ")"));
            log.AssertNoSecrets();
            foreach (var e in statuses.Events)
            {
                SecretAssert.NotIn("secret-123", e.Reason, "the status reason");
            }
        }

        [Fact]
        public void TlsWithTheWrongCaIsTlsFailed()
        {
            string pk = "pkT", dn = "devT";
            using var log = new CapturingLog();
            _broker.AddDevice(pk, dn, "secret-t");
            using var otherCa = new TestCa("Some Other CA");
            var device = new AliyunDevice(Config(pk, dn, "secret-t", 4), otherCa.CertificatePem, new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), log, null);
            try
            {
                device.Start();
                Eventually.True(() => device.Status == ConnectionStatus.TlsFailed, 10000, "TlsFailed");
            }
            finally
            {
                device.Stop();
            }
        }

        /// <summary>
        /// 10,000 QoS 1 posts while the broker is killed (SIGKILL) and restarted 10 times: the cloud gets every
        /// message, in order of first arrival (duplicates from at-least-once re-sends are removed by sequence), and
        /// after each restart a cloud message reaches the device (subscriptions restored).
        /// Each kill is prepared so that the test measures the DEVICE's promise, not mosquitto's memory: the
        /// publisher pauses until everything the broker acknowledged has reached the cloud (mosquitto without
        /// persistence forgets messages it acknowledged but had not yet forwarded when killed; the platform does
        /// not), then the broker is frozen (SIGSTOP), the publisher resumes (these messages are now in flight and
        /// unacknowledged), and the broker is killed. While it is down, the publisher keeps going (offline queue).
        /// The device may reconnect only after the cloud client has re-subscribed (gate on the transport factory).
        /// </summary>
        [Fact]
        public void BrokerKilledTenTimesDuringTenThousandPostsLosesNothing()
        {
            const int total = 10000;
            const int kills = 10;
            string pk = "pkK", dn = "devK";
            using var log = new CapturingLog();
            _broker.AddDevice(pk, dn, "secret-k");
            var config = Config(pk, dn, "secret-k", 4);
            config.Limits.OfflineQueueLength = 300;
            config.Limits.OfflineDropPolicy = OfflineDropPolicy.RejectNew;
            config.Limits.InFlightWindow = 10;
            var options = SessionOptions.FromLimits(config.Limits);
            options.MessagesPerSecond = 0; // the platform's 30/s would make this run 6 minutes
            var factory = new GatedTransportFactory(new MosquittoTransportFactory());
            var topics = new DeviceTopics(pk, dn);
            var device = new AliyunDevice(options, topics, new ConfigConnectRequestSource(config, _broker.CaCertificatePem, new SystemClock(), null), factory, new SystemClock(), new SystemRandom(), log);
            var handler = new RecordingHandler(topics.PropertySet, topics.PropertySet);
            device.AddHandler(handler);
            string dataTopic = topics.UserPrefix + "seq";
            using var cloud = new CloudClient(_broker);
            cloud.Connect();
            cloud.Subscribe(dataTopic);

            int next = 0;                          // next sequence number to publish (publisher thread)
            int limit = 0;                         // the publisher stops before this sequence number (orchestrator)
            var statusCounts = new Dictionary<PublishStatus, int>();
            string publisherFailure = null;
            var stop = false;
            var publisher = new Thread(() =>
            {
                try
                {
                    PublishAll();
                }
                catch (Exception e)
                {
                    publisherFailure = e.ToString();
                }
            });

            void PublishAll()
            {
                while (!Volatile.Read(ref stop) && Volatile.Read(ref next) < total)
                {
                    int seq = Volatile.Read(ref next);
                    if (seq >= Volatile.Read(ref limit))
                    {
                        Thread.Sleep(1);
                        continue;
                    }

                    var status = device.Publisher.Publish(dataTopic, Encoding.ASCII.GetBytes(seq.ToString()), 1);
                    if (status == PublishStatus.Sent || status == PublishStatus.Queued)
                    {
                        Volatile.Write(ref next, seq + 1);
                    }

                    lock (statusCounts)
                    {
                        statusCounts[status] = statusCounts.GetValueOrDefault(status) + 1;
                    }

                    if (status != PublishStatus.Sent && status != PublishStatus.Queued)
                    {
                        if (status != PublishStatus.InFlightFull && status != PublishStatus.QueueFull)
                        {
                            publisherFailure = "unexpected " + status + " for " + seq;
                            return;
                        }

                        Thread.Sleep(1);
                    }
                }
            }

            string State()
            {
                var oc = device.OutboxCounters;
                var sc = device.Counters;
                return $" [next {Volatile.Read(ref next)}, publisher alive {publisher.IsAlive}, failure {publisherFailure ?? "none"}, status {device.Status} ({device.StatusReason}), in flight {oc.InFlight}, queue {oc.QueueLength}, sent {oc.Sent}, acked {oc.Acknowledged}, connections {sc.Connections}, lost {sc.ConnectionsLost}, cloud {DistinctCount(cloud)}, cloud connected {cloud.IsConnected}, broker running {_broker.IsRunning}]";
            }

            var sw = Stopwatch.StartNew();
            device.Start();
            Eventually.True(() => device.Status == ConnectionStatus.Connected, 10000, () => "first connect" + State());
            publisher.Start();
            try
            {
                for (int k = 0; k < kills; k++)
                {
                    // Quiesce at the kill point: everything acknowledged has reached the cloud.
                    int killAt = (k + 1) * (total / (kills + 1));
                    Volatile.Write(ref limit, killAt);
                    Eventually.True(() => Volatile.Read(ref next) == killAt, 60000, () => "publisher reached " + killAt + State());
                    Eventually.True(() => device.Outbox.PendingCount == 0, 10000, () => "outbox drained before kill " + k + State());
                    int published = Volatile.Read(ref next);
                    Eventually.True(() => DistinctCount(cloud) == published, 10000, () => "cloud caught up before kill " + k + State());

                    // Freeze the broker, let messages go into flight, kill it while they are unacknowledged.
                    Assert.Equal(0, kill(_broker.ProcessId, 19 /* SIGSTOP */));
                    factory.Gate.Reset();
                    Volatile.Write(ref limit, k == kills - 1 ? total : (k + 2) * (total / (kills + 1)));
                    Eventually.True(() => device.Outbox.Counters.InFlight == options.InFlightWindow, 10000, () => "window full against the frozen broker" + State());
                    _broker.Kill();
                    Eventually.True(() => device.Status != ConnectionStatus.Connected, 10000, () => "loss noticed" + State());
                    Eventually.True(() => device.Outbox.Counters.QueueLength > options.InFlightWindow + 20, 10000, () => "offline queue used" + State());

                    _broker.Restart();
                    cloud.Connect();
                    cloud.Subscribe(dataTopic);
                    factory.Gate.Set();
                    Eventually.True(() => device.Status == ConnectionStatus.Connected, 20000, () => "reconnected after restart " + k + State());
                    ProbeUntilReceived(cloud, topics.PropertySet, handler, "probe-" + k);
                }

                publisher.Join(TimeSpan.FromSeconds(60));
                Assert.Null(publisherFailure);
                Assert.Equal(total, Volatile.Read(ref next));
                Eventually.True(() => device.Outbox.PendingCount == 0, 30000, () => "outbox drained at the end" + State());
                Eventually.True(() => DistinctCount(cloud) == total, 30000, () => "cloud received everything" + State());
            }
            finally
            {
                Volatile.Write(ref stop, true);
                factory.Gate.Set();
                device.Stop();
                publisher.Join(TimeSpan.FromSeconds(10));
            }

            var firstArrival = new List<int>();
            var seen = new HashSet<int>();
            int duplicates = 0;
            foreach (var m in cloud.Received.Where(m => m.Topic == dataTopic))
            {
                int seq = int.Parse(m.PayloadText);
                if (seen.Add(seq))
                {
                    firstArrival.Add(seq);
                }
                else
                {
                    duplicates++;
                }
            }

            Assert.Equal(Enumerable.Range(0, total), firstArrival);
            var c = device.OutboxCounters;
            var s = device.Counters;
            _output.WriteLine($"{sw.ElapsedMilliseconds} ms; connections {s.Connections}, lost {s.ConnectionsLost}; sent {c.Sent}, queued {c.Queued}, retried {c.Retried}, acked {c.Acknowledged}, rejected {c.Rejected}, in-flight-full {c.InFlightFull}; cloud duplicates {duplicates}");
            Assert.Equal(total, c.Sent);
            Assert.Equal(total, c.Acknowledged);
            Assert.Equal(0, c.Dropped);
            Assert.True(c.Retried >= kills * options.InFlightWindow, "retried " + c.Retried);
            Assert.Equal(kills + 1, s.Connections);
            Assert.Equal(kills, s.ConnectionsLost);
            Assert.Equal(kills, handler.Received.Select(p => p.Split('#')[0]).Distinct().Count());
            Assert.False(device.Session.IsRunning);
        }

        [Fact]
        public void LimitsHoldAgainstTheRealBroker()
        {
            string pk = "pkL", dn = "devL";
            using var log = new CapturingLog();
            _broker.AddDevice(pk, dn, "secret-l");
            var config = Config(pk, dn, "secret-l", 5);
            config.Limits.InFlightWindow = 4;
            config.Limits.OfflineQueueLength = 5;
            config.Limits.OfflineDropPolicy = OfflineDropPolicy.DropOldest;
            config.Limits.MaxPayloadBytes = 1024;
            var factory = new GatedTransportFactory(new MosquittoTransportFactory());
            var device = new AliyunDevice(config, _broker.CaCertificatePem, factory, new SystemClock(), new SystemRandom(), log, null);
            string topic = device.Topics.UserPrefix + "lim";
            using var cloud = new CloudClient(_broker);
            cloud.Connect();
            cloud.Subscribe(topic);
            byte[] P(string t) => Encoding.ASCII.GetBytes(t);
            try
            {
                device.Start();
                Eventually.True(() => device.Status == ConnectionStatus.Connected, 10000, "connected");
                Assert.Equal(PublishStatus.TooLarge, device.Publisher.Publish(topic, new byte[1025], 1));
                Assert.Equal(PublishStatus.ForeignTopic, device.Publisher.Publish("/sys/pkL/someoneElse/thing/event/property/post", P("x"), 1));

                // A frozen broker never acknowledges: the window fills, the next publish is refused, nothing dropped.
                Assert.Equal(0, kill(_broker.ProcessId, 19 /* SIGSTOP */));
                for (int i = 0; i < 4; i++)
                {
                    Assert.Equal(PublishStatus.Sent, device.Publisher.Publish(topic, P("w" + i), 1));
                }

                Assert.Equal(PublishStatus.InFlightFull, device.Publisher.Publish(topic, P("w4"), 1));

                // Broker gone: the 4 in flight go back to the queue; 3 more fit; then the oldest are dropped.
                factory.Gate.Reset();
                _broker.Kill();
                Eventually.True(() => !device.Outbox.IsAttached, 10000, "loss noticed");
                for (int i = 0; i < 4; i++)
                {
                    Assert.Equal(PublishStatus.Queued, device.Publisher.Publish(topic, P("o" + i), 1));
                }

                Assert.Equal(PublishStatus.NotConnected, device.Publisher.Publish(topic, P("qos0"), 0));
                _broker.Restart();
                cloud.Connect();
                cloud.Subscribe(topic);
                factory.Gate.Set();
                Eventually.True(() => device.Outbox.PendingCount == 0 && device.Status == ConnectionStatus.Connected, 10000, "drained");
                Eventually.True(() => cloud.Received.Count(m => m.Topic == topic) >= 5, 5000, "cloud got the queue");
            }
            finally
            {
                factory.Gate.Set();
                device.Stop();
            }

            // 8 were accepted into a queue of 5: w0..w2 dropped (oldest first), w3 and o0..o3 delivered in order.
            Assert.Equal(new[] { "w3", "o0", "o1", "o2", "o3" }, cloud.Received.Where(m => m.Topic == topic).Select(m => m.PayloadText).ToArray());
            var c = device.OutboxCounters;
            Assert.Equal(3, c.Dropped);
            Assert.Equal(1, c.InFlightFull);
            Assert.Equal(1, c.TooLarge);
            Assert.Equal(1, c.ForeignTopic);
            Assert.Equal(1, c.NotConnected);
            Assert.Equal(3, log.Count("dropped the oldest message"));
        }

        [Fact]
        public void A300KBDownlinkIsDroppedByTheTransportBeforeItIsCopied()
        {
            string pk = "pkB", dn = "devBig";
            using var log = new CapturingLog();
            _broker.AddDevice(pk, dn, "secret-big");
            var config = Config(pk, dn, "secret-big", 4);
            config.Limits.MaxPayloadBytes = 16384;
            var device = new AliyunDevice(config, _broker.CaCertificatePem, new MosquittoTransportFactory(log), new SystemClock(), new SystemRandom(), log, null);
            var handler = new RecordingHandler(device.Topics.PropertySet, device.Topics.PropertySet);
            device.AddHandler(handler);
            using var cloud = new CloudClient(_broker);
            cloud.Connect();
            try
            {
                device.Start();
                Eventually.True(() => device.Status == ConnectionStatus.Connected, 10000, "connected");
                ProbeUntilReceived(cloud, device.Topics.PropertySet, handler, "before");
                cloud.Publish(device.Topics.PropertySet, new byte[300 * 1024], 1);
                ProbeUntilReceived(cloud, device.Topics.PropertySet, handler, "after");

                // Never handed over: libmosquitto's length decided, so no 300 KB array was made for it.
                Eventually.True(() => log.Contains("dropped a 307200-byte message on"), 5000, "the transport logged why");
                Assert.True(log.Contains("before copying it: larger than limits.maxPayloadBytes (16384 B)"));
                lock (handler.Received)
                {
                    Assert.DoesNotContain(handler.Received, m => m.Length > 1000);
                }

                // The session never saw it either (its own length check would have counted a drop).
                Assert.Equal(0, device.Counters.MessagesDropped);
            }
            finally
            {
                device.Stop();
            }
        }

        private static int DistinctCount(CloudClient cloud) => cloud.Received.Select(m => m.PayloadText).Distinct().Count();

        /// <summary>Publishes from the cloud until the device's handler got one (its SUBSCRIBE may still be on its way).</summary>
        private static void ProbeUntilReceived(CloudClient cloud, string topic, RecordingHandler handler, string text)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            for (int i = 0; DateTime.UtcNow < deadline; i++)
            {
                cloud.Publish(topic, text + "#" + i, 1);
                if (handler.Arrived.Wait(100))
                {
                    lock (handler.Received)
                    {
                        Assert.StartsWith(text + "#", handler.Received.Last());
                    }

                    while (handler.Arrived.Wait(50))
                    {
                    }

                    return;
                }
            }

            throw new Xunit.Sdk.XunitException("the device never received a cloud message on " + topic);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }
}
