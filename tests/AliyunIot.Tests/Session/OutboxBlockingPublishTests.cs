using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Config;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Session
{
    /// <summary>
    /// A transport publish can take seconds on a board (TLS write, M2Mqtt's send queue); the outbox must not hold its
    /// lock across it, or every thread that posts a reading or asks for the counters stalls behind it. These pin
    /// that, and the no-loss rules at the moments the lock is now released: a PUBACK that overtakes the returning
    /// publish, a connection lost while the publish is still under way.
    /// </summary>
    public class OutboxBlockingPublishTests
    {
        // Generous: only reached when the caller is blocked behind the publish (then the test fails, it does not hang).
        private const int DeadlockMs = 10000;

        private static readonly DeviceTopics Topics = new DeviceTopics("a1Prod", "dev1");

        private static byte[] P(string s) => Encoding.UTF8.GetBytes(s);

        private static string[] Sent(FakeTransport t) => t.PublishedSnapshot().Select(p => Encoding.UTF8.GetString(p.Payload)).ToArray();

        private sealed class Rig : IDisposable
        {
            public readonly Outbox Outbox;
            public readonly FakeTransport Transport;
            public readonly ManualResetEventSlim Entered = new(false);
            public readonly ManualResetEventSlim Release = new(false);
            public int BlockedPacketId;
            private int _blocks;

            public Rig()
            {
                Outbox = new Outbox(new SessionOptions { MessagesPerSecond = 0, InFlightWindow = 5 }, Topics, new ManualClock(), new CapturingLog());
                Transport = Connect();
                Transport.DuringPublish = id =>
                {
                    // Only the publish PublishBlocked starts blocks; the ones made while it is blocked go through.
                    if (Interlocked.Exchange(ref _blocks, 0) == 1)
                    {
                        BlockedPacketId = id;
                        Entered.Set();
                        Release.Wait(DeadlockMs * 3);
                    }
                };
                Outbox.Attach(Transport);
            }

            public static FakeTransport Connect()
            {
                var t = new FakeTransport(new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "ok"), false, true);
                t.Connect(new MqttConnectRequest(), new NullListener());
                return t;
            }

            /// <summary>Publishes on another thread, returning once the transport holds it blocked.</summary>
            public Task<PublishStatus> PublishBlocked(string text, PublishOptions options = null)
            {
                Volatile.Write(ref _blocks, 1);
                var task = Task.Run(() => Outbox.Publish(Topics.PropertyPost, P(text), 1, options));
                Assert.True(Entered.Wait(DeadlockMs), "the publish never reached the transport");
                return task;
            }

            /// <summary>Runs <paramref name="action"/> on another thread; false when it was blocked.</summary>
            public static bool CompletesWhileBlocked(Action action)
            {
                var task = Task.Run(action);
                return task.Wait(DeadlockMs);
            }

            public void Dispose() => Release.Set();
        }

        [Fact]
        public void OtherCallersAreNotBlockedWhileTheTransportPublishes()
        {
            using var rig = new Rig();
            var first = rig.PublishBlocked("m0");

            PublishStatus second = PublishStatus.NotConnected;
            OutboxCounters counters = null;
            int pending = -1;
            bool done = Rig.CompletesWhileBlocked(() =>
            {
                pending = rig.Outbox.PendingCount;
                counters = rig.Outbox.Counters;
                second = rig.Outbox.Publish(Topics.PropertyPost, P("m1"), 1);
                Assert.Equal(PublishStatus.Sent, rig.Outbox.Publish(Topics.PropertyPost, P("q0"), 0));
                Assert.Equal(-1, rig.Outbox.Pump());
            });
            rig.Release.Set();

            Assert.True(done, "a caller was blocked while another thread's publish was inside the transport");
            Assert.Equal(1, pending);
            Assert.NotNull(counters);

            // m1 waited behind m0 (order); the pump sends it once m0 is recorded.
            Assert.Equal(PublishStatus.Queued, second);
            Assert.Equal(PublishStatus.Sent, first.Result);
            Assert.Equal(-1, rig.Outbox.Pump());
            Assert.Equal(new[] { "m0", "q0", "m1" }, Sent(rig.Transport));
            Assert.Equal(2, rig.Outbox.Counters.InFlight);
        }

        [Fact]
        public void APubackThatOvertakesTheReturningPublishCompletesTheMessage()
        {
            using var rig = new Rig();
            var outcomes = new List<DeliveryOutcome>();
            var first = rig.PublishBlocked("m0", new PublishOptions { Delivered = (tok, o, c) => { lock (outcomes) outcomes.Add(o); } });

            // The broker's PUBACK is processed before the transport's Publish has returned the packet id.
            Assert.True(Rig.CompletesWhileBlocked(() => rig.Outbox.OnAcknowledged(rig.BlockedPacketId, 0)));
            rig.Release.Set();

            Assert.Equal(PublishStatus.Sent, first.Result);
            Assert.Equal(0, rig.Outbox.PendingCount);
            Assert.Equal(1, rig.Outbox.Counters.Acknowledged);
            Assert.Equal(new[] { DeliveryOutcome.Acknowledged }, outcomes.ToArray());
        }

        [Fact]
        public void AConnectionLostDuringThePublishKeepsTheMessageForTheResendInOrder()
        {
            using var rig = new Rig();
            Assert.Equal(PublishStatus.Sent, rig.Outbox.Publish(Topics.PropertyPost, P("m0"), 1));
            var second = rig.PublishBlocked("m1");

            // The session sees the loss while m1 is still inside the transport, and queues m2 offline.
            Assert.True(Rig.CompletesWhileBlocked(() =>
            {
                rig.Outbox.Detach();
                Assert.Equal(PublishStatus.Queued, rig.Outbox.Publish(Topics.PropertyPost, P("m2"), 1));
            }));
            rig.Release.Set();
            Assert.Equal(PublishStatus.Sent, second.Result);
            Assert.Equal(3, rig.Outbox.PendingCount);

            var next = Rig.Connect();
            rig.Outbox.Attach(next);
            Assert.Equal(-1, rig.Outbox.Pump());
            Assert.Equal(new[] { "m0", "m1", "m2" }, Sent(next));
            var c = rig.Outbox.Counters;
            Assert.Equal(3, c.Sent);
            Assert.Equal(2, c.Retried);
        }
    
        [Fact]
        public void ATransportThatThrowsOnPublishKeepsTheMessageAndTheCallerIsToldItIsQueued()
        {
            var log = new CapturingLog();
            var outbox = new Outbox(new SessionOptions { MessagesPerSecond = 0, InFlightWindow = 5 }, Topics, new ManualClock(), log);
            var dying = Rig.Connect();
            dying.ThrowOnPublish = new System.IO.IOException("socket closed");
            outbox.Attach(dying);

            // The caller must not see the exception as "not sent" and post the reading again: it is kept.
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, P("m0"), 1));
            Assert.Equal(1, outbox.PendingCount);
            Assert.Contains(log.Lines, l => l.Contains("socket closed"));

            outbox.Detach();
            var next = Rig.Connect();
            outbox.Attach(next);
            Assert.Equal(-1, outbox.Pump());
            Assert.Equal(new[] { "m0" }, Sent(next));
            Assert.Equal(1, outbox.Counters.Sent);
        }
    }
}
