using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Session
{
    /// <summary>
    /// The supervisor over an in-memory transport, for outcomes a real broker cannot be made to produce on demand
    /// (every CONNACK code, a SUBACK that never comes, a server that kicks us right after CONNACK).
    /// </summary>
    public class SupervisorTests
    {
        private static readonly DeviceTopics Topics = new DeviceTopics("a1Prod", "dev1");

        private static SessionOptions FastOptions() => new SessionOptions
        {
            MessagesPerSecond = 0,
            BackoffBaseMs = 5,
            BackoffCapMs = 20,
            StableAfterMs = 60000,
            RequestTimeoutMs = 200,
        };

        private static MqttConnectRequest Request() => new MqttConnectRequest { Host = "fake", Port = 1, ClientIdentifier = "c", Username = "u", Password = "p" };

        [Theory]
        [InlineData(MqttConnectOutcome.Refused, 4, ConnectionStatus.BadCredentials)]
        [InlineData(MqttConnectOutcome.Refused, 0x86, ConnectionStatus.BadCredentials)]
        [InlineData(MqttConnectOutcome.Refused, 5, ConnectionStatus.NotAuthorized)]
        [InlineData(MqttConnectOutcome.Refused, 0x87, ConnectionStatus.NotAuthorized)]
        [InlineData(MqttConnectOutcome.Refused, 2, ConnectionStatus.ConfigurationRejected)]
        [InlineData(MqttConnectOutcome.Refused, 3, ConnectionStatus.ConfigurationRejected)]
        [InlineData(MqttConnectOutcome.Refused, 0x85, ConnectionStatus.ConfigurationRejected)]
        [InlineData(MqttConnectOutcome.Refused, 0x89, ConnectionStatus.NetworkDown)]
        [InlineData(MqttConnectOutcome.TlsError, -1, ConnectionStatus.TlsFailed)]
        [InlineData(MqttConnectOutcome.NetworkError, -1, ConnectionStatus.NetworkDown)]
        [InlineData(MqttConnectOutcome.Timeout, -1, ConnectionStatus.NetworkDown)]
        [InlineData(MqttConnectOutcome.Accepted, 0, ConnectionStatus.Connected)]
        public void EveryOutcomeIsClassified(MqttConnectOutcome outcome, int code, ConnectionStatus expected)
        {
            Assert.Equal(expected, ConnectOutcomeClassifier.Classify(new MqttConnectResult(outcome, code, "d")));
        }

        [Fact]
        public void RefusalUsesTheLongBackoffAndPersistsTheStatus()
        {
            var clock = new ManualClock();
            var factory = new FakeTransportFactory { Default = new MqttConnectResult(MqttConnectOutcome.Refused, 4, "refused") };
            using var log = new CapturingLog();
            var session = new SessionSupervisor(new SessionOptions(), Topics, new FixedRequests(Request), factory, clock, new SystemRandom(), log);
            var rec = new StatusRecorder(() => clock.MonotonicMs);
            session.StatusChanged += rec.OnStatus;
            session.Start();
            Eventually.True(() => factory.Created.Length >= 3, 5000, "three attempts");
            session.Stop();

            // Every wait between attempts is the long back-off: at least half of 5 minutes, and growing.
            var waits = clock.Waits.ToArray();
            Assert.True(waits.Length >= 2);
            Assert.InRange(waits[0], 150000, 300000);
            Assert.InRange(waits[1], 300000, 600000);
            Assert.Equal(ConnectionStatus.BadCredentials, rec.Events.Where(e => e.Status != ConnectionStatus.Connecting && e.Status != ConnectionStatus.Stopped).Select(e => e.Status).Distinct().Single());
            Assert.Contains("check DeviceSecret", rec.Events.First(e => e.Status == ConnectionStatus.BadCredentials).Reason);
            Assert.Equal(ConnectionStatus.Stopped, session.Status);
            Assert.True(factory.Created.All(t => t.Closed));
        }

        [Fact]
        public void NetworkErrorsBackOffExponentiallyWithJitterAndThenConnect()
        {
            var clock = new ManualClock();
            var factory = new FakeTransportFactory();
            var down = new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "connection refused");
            factory.Script(down, down, down, down, down, down, down);
            var options = new SessionOptions { BackoffBaseMs = 1000, BackoffCapMs = 8000 };
            var session = new SessionSupervisor(options, Topics, new FixedRequests(Request), factory, clock, new ExtremeRandom(), new CapturingLog());
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");
            var waits = clock.Waits.Take(7).ToArray();
            session.Stop();
            Assert.Equal(new[] { 1000, 2000, 4000, 8000, 8000, 8000, 8000 }, waits);
        }

        [Fact]
        public void ResubscribesEveryHandlerTopicAfterEveryConnect()
        {
            var factory = new FakeTransportFactory();
            var session = new SessionSupervisor(FastOptions(), Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), new CapturingLog());
            session.AddHandler(new RecordingHandler("/x", Topics.PropertySet, Topics.ServiceFilter));
            session.AddHandler(new RecordingHandler("/y", Topics.OtaUpgrade, Topics.PropertySet));
            session.Start();
            for (int i = 1; i <= 3; i++)
            {
                Eventually.True(() => factory.Created.Length == i && session.Status == ConnectionStatus.Connected, 5000, "connection " + i);
                var t = factory.Last;
                Eventually.True(() => t.Subscriptions.Count == 1, 5000, "subscribe " + i);
                Assert.Equal(new[] { Topics.PropertySet, Topics.ServiceFilter, Topics.OtaUpgrade }, t.Subscriptions[0]);
                t.Drop("kicked");
            }

            session.Stop();
            Assert.Equal(0, session.Counters.SubscribeTimeouts);
        }

        [Fact]
        public void MissingSubackIsReported()
        {
            var factory = new FakeTransportFactory { AutoSubAck = false };
            using var log = new CapturingLog();
            var session = new SessionSupervisor(FastOptions(), Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), log);
            session.AddHandler(new RecordingHandler("/x", Topics.PropertySet));
            session.Start();
            Eventually.True(() => session.Counters.SubscribeTimeouts == 1, 5000, "SUBACK timeout reported");
            session.Stop();
            Assert.True(log.Contains("no SUBACK within 400 ms for 1 topic(s) starting with " + Topics.PropertySet));
        }

        [Fact]
        public void RepeatedKicksRightAfterConnackReportIdentityInUse()
        {
            var factory = new FakeTransportFactory();
            var options = FastOptions();
            options.QuickDisconnectMs = 2000;
            var session = new SessionSupervisor(options, Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), new CapturingLog());
            var rec = new StatusRecorder(() => 0);
            session.StatusChanged += rec.OnStatus;
            session.Start();
            for (int i = 1; i <= 3; i++)
            {
                Eventually.True(() => factory.Created.Length == i && factory.Last.IsConnected, 5000, "connection " + i);
                factory.Last.Drop("closed by the server");
            }

            Eventually.True(() => rec.Count(ConnectionStatus.IdentityInUse) == 1, 5000, "IdentityInUse");
            session.Stop();
            Assert.Equal(2, rec.Count(ConnectionStatus.WaitingToRetry));
            Assert.Contains("another connection probably uses this identity", rec.Events.First(e => e.Status == ConnectionStatus.IdentityInUse).Reason);
        }

        [Fact]
        public void HandlerExceptionDoesNotKillTheWorkerAndOneThreadRunsAllHandlers()
        {
            var factory = new FakeTransportFactory();
            using var log = new CapturingLog();
            var session = new SessionSupervisor(FastOptions(), Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), log);
            var a = new RecordingHandler("/a/") { ThrowWhen = s => s == "boom" };
            var b = new RecordingHandler("/b/");
            session.AddHandler(a);
            session.AddHandler(b);
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");
            var l = factory.Last.Listener;
            l.OnMessage("/a/1", Encoding.UTF8.GetBytes("boom"));
            l.OnMessage("/a/1", Encoding.UTF8.GetBytes("after"));
            l.OnMessage("/b/1", Encoding.UTF8.GetBytes("other"));
            l.OnMessage("/c/1", Encoding.UTF8.GetBytes("nobody"));
            Eventually.True(() => session.Counters.MessagesUnhandled == 1, 5000, "all four dispatched");
            session.Stop();
            Assert.Equal(new[] { "after" }, a.Received);
            Assert.Equal(new[] { "other" }, b.Received);
            Assert.Single(a.ThreadIds.Union(b.ThreadIds));
            Assert.Equal(1, session.Counters.HandlerErrors);
            Assert.True(log.Contains("RecordingHandler threw InvalidOperationException"));
        }

        [Fact]
        public void FullIncomingQueueDropsNewestAndCounts()
        {
            var factory = new FakeTransportFactory();
            var options = FastOptions();
            options.InboundQueueLength = 4;
            using var log = new CapturingLog();
            var session = new SessionSupervisor(options, Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), log);
            var gate = new ManualResetEventSlim(false);
            var h = new RecordingHandler("/a/") { Gate = gate };
            session.AddHandler(h);
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");
            var l = factory.Last.Listener;
            l.OnMessage("/a/1", Encoding.UTF8.GetBytes("m0"));
            Eventually.True(() => h.ThreadIds.Count == 1, 5000, "worker busy with m0");
            for (int i = 1; i <= 10; i++)
            {
                l.OnMessage("/a/1", Encoding.UTF8.GetBytes("m" + i));
            }

            gate.Set();
            Eventually.True(() => h.Received.Count == 5, 5000, "queued ones handled");
            Thread.Sleep(50);
            session.Stop();
            Assert.Equal(new[] { "m0", "m1", "m2", "m3", "m4" }, h.Received);
            Assert.Equal(6, session.Counters.MessagesDropped);
            Assert.True(log.Contains("dropped 6 newest message(s)"));
        }

        [Fact]
        public void OversizeDownlinkIsRefusedOnItsLengthBeforeItIsQueued()
        {
            var factory = new FakeTransportFactory();
            var options = FastOptions();
            options.MaxPayloadBytes = 16384;
            using var log = new CapturingLog();
            var session = new SessionSupervisor(options, Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), log);
            var h = new RecordingHandler("/a/");
            session.AddHandler(h);
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");
            Assert.Equal(16384, factory.Last.Request.MaxInboundPayloadBytes);
            var l = factory.Last.Listener;
            l.OnMessage("/a/big", new byte[300 * 1024]);
            l.OnMessage("/a/1", Encoding.UTF8.GetBytes("small"));
            Eventually.True(() => h.Received.Count == 1, 5000, "the small one handled");
            Eventually.True(() => log.Contains("refused 1 incoming message(s) larger than limits.maxPayloadBytes (16384 B; last 307200 B) before queueing them"), 5000, "logged why");
            session.Stop();
            Assert.Equal(new[] { "small" }, h.Received);
            Assert.Equal(1, session.Counters.MessagesDropped);
        }

        [Fact]
        public void IncomingQueueIsBoundedByBytes()
        {
            var factory = new FakeTransportFactory();
            var options = FastOptions();
            options.InboundQueueLength = 100;
            options.InboundQueueBytes = 250;
            using var log = new CapturingLog();
            var session = new SessionSupervisor(options, Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), log);
            var gate = new ManualResetEventSlim(false);
            var h = new RecordingHandler("/a/") { Gate = gate };
            session.AddHandler(h);
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");
            var l = factory.Last.Listener;
            l.OnMessage("/a/1", Encoding.UTF8.GetBytes("m0"));
            Eventually.True(() => h.ThreadIds.Count == 1, 5000, "worker busy with m0");
            for (int i = 1; i <= 4; i++)
            {
                l.OnMessage("/a/1", Encoding.UTF8.GetBytes("m" + i + new string('.', 98)));
            }

            gate.Set();
            Eventually.True(() => h.Received.Count == 3, 5000, "what fitted handled");
            Thread.Sleep(50);
            session.Stop();
            Assert.Equal(3, h.Received.Count);
            Assert.Equal(2, session.Counters.MessagesDropped);
            Assert.True(log.Contains("incoming queue full (100 messages, 250 B): dropped 2 newest message(s)"));
        }

        [Fact]
        public void DeliveryNotificationsRunOnTheWorkerThread()
        {
            var factory = new FakeTransportFactory();
            var session = new SessionSupervisor(FastOptions(), Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), new CapturingLog());
            var h = new RecordingHandler("/a/");
            session.AddHandler(h);
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");
            factory.Last.Listener.OnMessage("/a/1", Encoding.UTF8.GetBytes("x"));
            Eventually.True(() => h.Received.Count == 1, 5000, "handled");
            int deliveredOn = 0;
            object token = null;
            var done = new ManualResetEventSlim();
            Assert.Equal(PublishStatus.Sent, session.Outbox.Publish(Topics.PropertyPost, new byte[] { 1 }, 1, new PublishOptions
            {
                Token = "id-7",
                Delivered = (t, o, c) => { token = t; deliveredOn = Environment.CurrentManagedThreadId; done.Set(); },
            }));
            Assert.True(done.Wait(5000));
            session.Stop();
            Assert.Equal("id-7", token);
            Assert.Equal(h.ThreadIds.Single(), deliveredOn);
        }

        [Fact]
        public void StopEndsEveryThreadAndClosesTheTransport()
        {
            var factory = new FakeTransportFactory();
            var session = new SessionSupervisor(FastOptions(), Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), new CapturingLog());
            var rec = new StatusRecorder(() => 0);
            session.StatusChanged += rec.OnStatus;
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");
            Assert.True(session.IsRunning);
            session.Stop();
            Assert.False(session.IsRunning);
            Assert.True(factory.Last.Closed);
            Assert.Equal(ConnectionStatus.Stopped, rec.Events.Last().Status);

            // And it can be started again.
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected && factory.Created.Length == 2, 5000, "reconnected");
            session.Stop();
            Assert.False(session.IsRunning);
        }

        [Fact]
        public void StopAbortsAConnectThatHangs()
        {
            var factory = new FakeTransportFactory { HangConnect = true };
            var session = new SessionSupervisor(FastOptions(), Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), new CapturingLog());
            session.Start();
            Eventually.True(() => factory.Created.Length == 1 && factory.Last.Request != null, 5000, "connect under way");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            session.Stop();
            Assert.False(session.IsRunning);
            Assert.True(factory.Last.Closed);
            Assert.True(sw.ElapsedMilliseconds < 30000, "Stop took " + sw.ElapsedMilliseconds + " ms");
        }

        [Fact]
        public void AConnectCutShortByStopIsNotReportedAsAFailure()
        {
            var factory = new FakeTransportFactory { HangConnect = true };
            using var log = new CapturingLog();
            var session = new SessionSupervisor(FastOptions(), Topics, new FixedRequests(Request), factory, new SystemClock(), new SystemRandom(), log);
            var rec = new StatusRecorder(() => 0);
            session.StatusChanged += rec.OnStatus;
            session.Start();
            Eventually.True(() => factory.Created.Length == 1 && factory.Last.Request != null, 5000, "connect under way");

            // Status events run on the worker; Stop discards what it has not run yet, so wait until Connecting was seen.
            Eventually.True(() => rec.Count(ConnectionStatus.Connecting) == 1, 5000, "Connecting reported");
            session.Stop();

            // Shutting down is not a network failure: no NetworkDown (or any other failure) between Connecting and Stopped.
            Assert.Equal(new[] { ConnectionStatus.Connecting, ConnectionStatus.Stopped }, rec.Events.Select(e => e.Status).ToArray());
            Assert.Single(factory.Created);
        }

        [Fact]
        public void Mqtt5ConnectOptionsAreApplied()
        {
            var factory = new FakeTransportFactory();
            var options = FastOptions();
            options.SessionExpirySeconds = 3600;
            options.WillTopic = Topics.UserPrefix + "will";
            options.WillPayload = new byte[] { 1 };
            options.WillQos = 1;
            var session = new SessionSupervisor(options, Topics, new FixedRequests(() => new MqttConnectRequest { Host = "h", ProtocolVersion = 5 }), factory, new SystemClock(), new SystemRandom(), new CapturingLog());
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");
            session.Stop();
            var r = factory.Last.Request;
            Assert.Equal(3600, r.SessionExpirySeconds);
            Assert.Equal(Topics.UserPrefix + "will", r.WillTopic);
            Assert.Equal(1, r.WillQos);
        }
    }
}
