using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Esp32;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Ports;
using AliyunIot.Tests.Session;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.M2Mqtt
{
    /// <summary>
    /// The session over the device's M2Mqtt adapter and the scripted M2Mqtt 5.1.220: the broker is killed at every
    /// protocol state (a PUBLISH cut on the way, PUBACKs in flight, the re-send burst after a reconnect) and the
    /// client's own give-up; no QoS 1 message is lost and the order of first arrival is the order of publishing.
    /// </summary>
    public sealed class M2MqttSessionTests : IDisposable
    {
        private const int Count = 6;
        private static readonly DeviceTopics Topics = new DeviceTopics("pkC", "devC");
        private readonly ScriptedBroker _broker = new ScriptedBroker { Password = "right" };
        private readonly CapturingLog _log = new CapturingLog();
        private readonly object _gate = new object();
        private readonly List<(int Token, DeliveryOutcome Outcome, int Reason)> _deliveries = new();
        private SessionSupervisor _session;

        public void Dispose()
        {
            _session?.Stop();
            _broker.Dispose();
            _log.Dispose();
        }

        private static SessionOptions Options() => new SessionOptions
        {
            MessagesPerSecond = 0,
            BackoffBaseMs = 5,
            BackoffCapMs = 20,
            StableAfterMs = 60000,
            RequestTimeoutMs = 2000,
            InFlightWindow = 20,
            OfflineQueueLength = 50,
        };

        private SessionSupervisor StartSession(string password = "right", IClock clock = null, SessionOptions options = null)
        {
            _session = new SessionSupervisor(options ?? Options(), Topics, new FixedRequests(() => ScriptedRequests.For(_broker, password, false)),
                new M2MqttFactory(), clock ?? new SystemClock(), new SystemRandom(), _log);
            _session.Start();
            return _session;
        }

        private void Publish(int from, int to)
        {
            for (int i = from; i <= to; i++)
            {
                int token = i;
                var options = new PublishOptions
                {
                    Token = token,
                    Delivered = (t, outcome, reason) => { lock (_gate) { _deliveries.Add(((int)t, outcome, reason)); } },
                };
                PublishStatus status = _session.Outbox.Publish(Topics.PropertyPost, Encoding.UTF8.GetBytes("m" + i), 1, options);
                Assert.True(status == PublishStatus.Sent || status == PublishStatus.Queued, "m" + i + ": " + status);
            }
        }

        private int Acknowledged(int upTo)
        {
            lock (_gate)
            {
                return _deliveries.Count(d => d.Outcome == DeliveryOutcome.Acknowledged && d.Token <= upTo);
            }
        }

        private void WaitConnected(int connections)
        {
            Eventually.True(() => _broker.Connections >= connections && _session.Status == ConnectionStatus.Connected, 10000, () => "connection " + connections + ", status " + _session.Status);
        }

        private void AssertEveryMessageDeliveredOnceInOrder()
        {
            Eventually.True(() => Acknowledged(Count) == Count, 10000, () => "all acknowledged; deliveries: " + string.Join(",", Snapshot().Select(d => d.Token + ":" + d.Outcome)) + "; log: " + string.Join(" | ", _log.Lines));
            var deliveries = Snapshot();
            Assert.Equal(Enumerable.Range(1, Count), deliveries.Select(d => d.Token).OrderBy(t => t));
            Assert.All(deliveries, d => Assert.Equal(DeliveryOutcome.Acknowledged, d.Outcome));

            // Order of first arrival at the broker = order of publishing (a message may arrive twice: at-least-once).
            var firstArrival = _broker.Received.Select(r => r.Text).Distinct().ToArray();
            Assert.Equal(Enumerable.Range(1, Count).Select(i => "m" + i), firstArrival);
            Assert.Equal(0, _session.Outbox.PendingCount);
            Assert.Equal(0, _session.Outbox.Counters.RefusedByBroker);
        }

        private (int Token, DeliveryOutcome Outcome, int Reason)[] Snapshot()
        {
            lock (_gate)
            {
                return _deliveries.ToArray();
            }
        }

        [Fact]
        public void AMessageTheClientGivesUpOnIsKeptAndResentInOrderAfterReconnect()
        {
            StartSession();
            WaitConnected(1);
            Publish(1, 2);
            Eventually.True(() => Acknowledged(2) == 2, 5000, "m1, m2 acknowledged");

            // The broker stops answering (half-open connection): M2Mqtt sends each message 3 times, 1 s apart, then
            // reports it not published while its connection still looks open.
            _broker.Mode = PubackMode.Hold;
            Publish(3, Count);
            Eventually.True(() => _broker.Received.Length == Count, 5000, "m3.. reached the broker");
            _broker.Advance(1000);
            _broker.Advance(1000);
            _broker.Mode = PubackMode.Ack;
            _broker.Advance(1000);

            WaitConnected(2);
            AssertEveryMessageDeliveredOnceInOrder();
            Assert.Contains(_log.Lines, l => l.Contains("no PUBACK after the client's retries", StringComparison.Ordinal));
        }

        public static IEnumerable<object[]> States()
        {
            foreach (string state in new[] { "mid-publish", "puback-in-flight", "resend-burst" })
            {
                foreach (int acknowledgedBefore in new[] { 0, 1, 3 })
                {
                    yield return new object[] { state, acknowledgedBefore };
                }
            }
        }

        [Theory]
        [MemberData(nameof(States))]
        public void KillingTheBrokerAtAnyProtocolStateLosesNoMessageAndKeepsOrder(string state, int acknowledgedBefore)
        {
            StartSession();
            WaitConnected(1);
            Publish(1, acknowledgedBefore);
            Eventually.True(() => Acknowledged(acknowledgedBefore) == acknowledgedBefore, 5000, "first messages acknowledged");

            switch (state)
            {
                case "mid-publish":
                    // The connection dies after one more PUBLISH: the rest never arrive and nothing is acknowledged.
                    _broker.Mode = PubackMode.Hold;
                    _broker.CutAfter(1);
                    Publish(acknowledgedBefore + 1, Count);
                    Eventually.True(() => _broker.Received.Length == acknowledgedBefore + 1, 5000, "one PUBLISH through");
                    _broker.Kill();
                    _broker.Mode = PubackMode.Ack;
                    _broker.Start();
                    break;
                case "puback-in-flight":
                    // Every PUBLISH arrived; the broker dies with their PUBACKs still in flight.
                    _broker.Mode = PubackMode.Hold;
                    Publish(acknowledgedBefore + 1, Count);
                    Eventually.True(() => _broker.HeldAcks == Count - acknowledgedBefore, 5000, "PUBACKs in flight");
                    _broker.Kill();
                    _broker.Mode = PubackMode.Ack;
                    _broker.Start();
                    break;
                default:
                    // Killed once with PUBACKs in flight, then again in the middle of the re-send burst that follows.
                    _broker.Mode = PubackMode.Hold;
                    Publish(acknowledgedBefore + 1, Count);
                    Eventually.True(() => _broker.HeldAcks == Count - acknowledgedBefore, 5000, "PUBACKs in flight");
                    _broker.Kill();
                    int before = _broker.Received.Length;
                    _broker.CutAfter(2);
                    _broker.Start();
                    WaitConnected(2);
                    Eventually.True(() => _broker.Received.Length == before + Math.Min(2, Count - acknowledgedBefore), 5000, "part of the re-send burst");
                    _broker.Kill();
                    _broker.Mode = PubackMode.Ack;
                    _broker.Start();
                    break;
            }

            AssertEveryMessageDeliveredOnceInOrder();
        }

        [Fact]
        public void BadCredentialsRefusedThenClosedGetTheLongBackoff()
        {
            // The platform closes the socket right after a refused CONNACK: M2Mqtt may throw instead of returning it.
            var clock = new ManualClock();
            StartSession(password: "wrong", clock: clock);
            Eventually.True(() => clock.Waits.Count() >= 2, 5000, "two waits between attempts");
            _session.Stop();
            int[] waits = clock.Waits.ToArray();
            Assert.InRange(waits[0], 150000, 300000);
            Assert.Equal(ConnectionStatus.Stopped, _session.Status);
            Assert.Contains(_log.Lines, l => l.Contains("check DeviceSecret", StringComparison.Ordinal));
        }

        [Fact]
        public void QuickLossesCausedByTheBrokerGoingAwayAreNotReportedAsIdentityInUse()
        {
            var options = Options();
            options.QuickDisconnectMs = 600000;
            StartSession(options: options);
            var statuses = new StatusRecorder(() => 0);
            _session.StatusChanged += statuses.OnStatus;
            for (int i = 1; i <= 4; i++)
            {
                WaitConnected(i);
                _broker.Kill();
                Eventually.True(() => _session.Status == ConnectionStatus.NetworkDown, 10000, () => "a refused attempt after kill " + i + ", status " + _session.Status);
                _broker.Start();
            }

            WaitConnected(5);
            Assert.Equal(0, statuses.Count(ConnectionStatus.IdentityInUse));
        }

        [Fact]
        public void QuickKicksWithTheBrokerUpAreStillReportedAsIdentityInUse()
        {
            var options = Options();
            options.QuickDisconnectMs = 600000;
            StartSession(options: options);
            var statuses = new StatusRecorder(() => 0);
            _session.StatusChanged += statuses.OnStatus;
            for (int i = 1; i <= 3; i++)
            {
                WaitConnected(i);
                _broker.DisconnectAll(nanoFramework.M2Mqtt.Messages.MqttReasonCode.SessionTakenOver);
                Eventually.True(() => _broker.Connections > i || statuses.Count(ConnectionStatus.IdentityInUse) > 0, 10000, "reconnect after kick " + i);
            }

            Eventually.True(() => statuses.Count(ConnectionStatus.IdentityInUse) == 1, 10000, "IdentityInUse");
        }

        private sealed class M2MqttFactory : IMqttTransportFactory
        {
            public IMqttTransport Create() => new M2MqttTransport();
        }
    }
}
