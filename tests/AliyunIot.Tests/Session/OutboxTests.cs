using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Config;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Session
{
    /// <summary>The outbox alone, driven like the supervisor drives it, over an in-memory transport.</summary>
    public class OutboxTests
    {
        private static readonly DeviceTopics Topics = new DeviceTopics("a1Prod", "dev1");

        private static byte[] P(string s) => Encoding.UTF8.GetBytes(s);

        private static (Outbox Outbox, ManualClock Clock, CapturingLog Log) Make(Action<SessionOptions> tune = null)
        {
            var options = new SessionOptions { MessagesPerSecond = 0 };
            tune?.Invoke(options);
            var clock = new ManualClock();
            var log = new CapturingLog();
            return (new Outbox(options, Topics, clock, log), clock, log);
        }

        private static FakeTransport Connected(bool autoAck)
        {
            var t = new FakeTransport(new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "ok"), autoAck, true);
            t.Connect(new MqttConnectRequest(), new NullListener());
            return t;
        }

        [Fact]
        public void ForeignTopicIsRefusedAndNothingSent()
        {
            var (outbox, _, log) = Make();
            var t = Connected(true);
            outbox.Attach(t);
            Assert.Equal(PublishStatus.ForeignTopic, outbox.Publish("/sys/a1Prod/other/thing/event/property/post", P("{}"), 1));
            Assert.Equal(PublishStatus.ForeignTopic, outbox.Publish("/sys/a1Prod/dev1/thing/+/post", P("{}"), 0));
            Assert.Equal(PublishStatus.ForeignTopic, outbox.Publish("/sys/a1Prod/dev1/" + new string('x', 120), P("{}"), 0));
            Assert.Empty(t.Published);
            Assert.Equal(3, outbox.Counters.ForeignTopic);
            Assert.True(log.Contains("not this device's"));
        }

        [Fact]
        public void OversizePayloadIsTooLargeAndNotQueued()
        {
            var (outbox, _, _) = Make(o => o.MaxPayloadBytes = 100);
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, new byte[100], 1));
            Assert.Equal(PublishStatus.TooLarge, outbox.Publish(Topics.PropertyPost, new byte[101], 1));
            Assert.Equal(PublishStatus.TooLarge, outbox.Publish(Topics.PropertyPost, new byte[101], 0));
            Assert.Equal(1, outbox.PendingCount);
            Assert.Equal(2, outbox.Counters.TooLarge);
        }

        [Fact]
        public void Qos0WhileDisconnectedIsNotConnected()
        {
            var (outbox, _, _) = Make();
            Assert.Equal(PublishStatus.NotConnected, outbox.Publish(Topics.PropertyPost, P("a"), 0));
            Assert.Equal(0, outbox.PendingCount);
        }

        [Fact]
        public void InFlightWindowFullIsReportedAndNothingDropped()
        {
            var (outbox, _, _) = Make(o => o.InFlightWindow = 3);
            var t = Connected(autoAck: false);
            outbox.Attach(t);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(PublishStatus.Sent, outbox.Publish(Topics.PropertyPost, P("m" + i), 1));
            }

            Assert.Equal(PublishStatus.InFlightFull, outbox.Publish(Topics.PropertyPost, P("m3"), 1));
            Assert.Equal(3, t.Published.Count);
            Assert.Equal(1, outbox.Counters.InFlightFull);

            // One PUBACK frees one slot.
            outbox.OnAcknowledged(t.Published[0].PacketId, 0);
            Assert.Equal(PublishStatus.Sent, outbox.Publish(Topics.PropertyPost, P("m3"), 1));
            Assert.Equal(new[] { "m0", "m1", "m2", "m3" }, t.Published.Select(p => Encoding.UTF8.GetString(p.Payload)).ToArray());
        }

        [Fact]
        public void OfflineQueueIsBoundedByBytesDroppingAsManyOldestAsNeeded()
        {
            var (outbox, _, log) = Make(o => { o.OfflineQueueLength = 100; o.OfflineQueueBytes = 300; o.OfflineDropPolicy = OfflineDropPolicy.DropOldest; });
            var dropped = new List<object>();
            for (int i = 0; i < 3; i++)
            {
                var opts = new PublishOptions { Token = i, Delivered = (tok, outcome, code) => { if (outcome == DeliveryOutcome.Dropped) dropped.Add(tok); } };
                Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, new byte[100], 1, opts));
            }

            // 300 B queued: a 250-byte message fits only alone (100 + 250 > 300), so all three oldest go.
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, new byte[250], 1, new PublishOptions { Token = 3 }));
            Assert.Equal(new object[] { 0, 1, 2 }, dropped.ToArray());
            Assert.Equal(1, outbox.PendingCount);
            Assert.True(log.Contains("offline queue full (100 messages, 300 B): dropped the oldest 3 messages"));

            // Larger than the whole budget: refused, and nothing already queued is sacrificed for it.
            Assert.Equal(PublishStatus.QueueFull, outbox.Publish(Topics.PropertyPost, new byte[301], 1));
            Assert.Equal(1, outbox.PendingCount);
            Assert.Equal(1, outbox.Counters.Rejected);
        }

        [Fact]
        public void OfflineQueueByteBudgetWithRejectNewRefusesTheNewMessage()
        {
            var (outbox, _, log) = Make(o => { o.OfflineQueueLength = 100; o.OfflineQueueBytes = 250; o.OfflineDropPolicy = OfflineDropPolicy.RejectNew; });
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, new byte[200], 1));
            Assert.Equal(PublishStatus.QueueFull, outbox.Publish(Topics.PropertyPost, new byte[51], 1));
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, new byte[50], 1));
            Assert.Equal(2, outbox.PendingCount);
            Assert.True(log.Contains("refused a new 51-byte message"));
        }

        [Fact]
        public void OfflineQueueDropOldestKeepsNewestAndCountsAndNotifies()
        {
            var (outbox, _, log) = Make(o => { o.OfflineQueueLength = 3; o.OfflineDropPolicy = OfflineDropPolicy.DropOldest; });
            var dropped = new List<object>();
            for (int i = 0; i < 5; i++)
            {
                var opts = new PublishOptions { Token = i, Delivered = (tok, outcome, code) => { if (outcome == DeliveryOutcome.Dropped) dropped.Add(tok); } };
                Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, P("m" + i), 1, opts));
            }

            Assert.Equal(new object[] { 0, 1 }, dropped.ToArray());
            Assert.Equal(2, outbox.Counters.Dropped);
            Assert.Equal(5, outbox.Counters.Queued);
            Assert.Equal(2, log.Count("dropped the oldest"));

            var t = Connected(true);
            outbox.Attach(t);
            outbox.Pump();
            Assert.Equal(new[] { "m2", "m3", "m4" }, t.Published.Select(p => Encoding.UTF8.GetString(p.Payload)).ToArray());
        }

        [Fact]
        public void OfflineQueueRejectNewKeepsOldestAndCounts()
        {
            var (outbox, _, _) = Make(o => { o.OfflineQueueLength = 3; o.OfflineDropPolicy = OfflineDropPolicy.RejectNew; });
            var statuses = Enumerable.Range(0, 5).Select(i => outbox.Publish(Topics.PropertyPost, P("m" + i), 1)).ToArray();
            Assert.Equal(new[] { PublishStatus.Queued, PublishStatus.Queued, PublishStatus.Queued, PublishStatus.QueueFull, PublishStatus.QueueFull }, statuses);
            Assert.Equal(2, outbox.Counters.Rejected);
            Assert.Equal(0, outbox.Counters.Dropped);

            var t = Connected(true);
            outbox.Attach(t);
            outbox.Pump();
            Assert.Equal(new[] { "m0", "m1", "m2" }, t.Published.Select(p => Encoding.UTF8.GetString(p.Payload)).ToArray());
        }

        [Fact]
        public void InFlightMessagesAreResentFirstAfterReconnectInOrder()
        {
            var (outbox, _, _) = Make(o => o.InFlightWindow = 3);
            var first = Connected(autoAck: false);
            outbox.Attach(first);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(PublishStatus.Sent, outbox.Publish(Topics.PropertyPost, P("m" + i), 1));
            }

            // m0 acknowledged, m1 and m2 in flight when the connection drops.
            outbox.OnAcknowledged(first.Published[0].PacketId, 0);
            first.Drop("test");
            outbox.Detach();
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, P("m3"), 1));
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, P("m4"), 1));

            var second = Connected(autoAck: false);
            outbox.Attach(second);
            Assert.Equal(-1, outbox.Pump());
            Assert.Equal(3, second.Published.Count);
            foreach (var p in second.PublishedSnapshot())
            {
                outbox.OnAcknowledged(p.PacketId, 0);
            }

            Assert.Equal(-1, outbox.Pump());
            outbox.OnAcknowledged(second.Published[3].PacketId, 0);
            Assert.Equal(new[] { "m1", "m2", "m3", "m4" }, second.Published.Select(p => Encoding.UTF8.GetString(p.Payload)).ToArray());
            var c = outbox.Counters;
            Assert.Equal(2, c.Retried);
            Assert.Equal(5, c.Sent);
            Assert.Equal(5, c.Acknowledged);
            Assert.Equal(0, outbox.PendingCount);
        }

        [Fact]
        public void NewMessagesWaitBehindTheBacklog()
        {
            var (outbox, _, _) = Make(o => o.InFlightWindow = 5);
            outbox.Publish(Topics.PropertyPost, P("old0"), 1);
            outbox.Publish(Topics.PropertyPost, P("old1"), 1);
            var t = Connected(autoAck: false);
            outbox.Attach(t);

            // Not pumped yet: the new message must not overtake the backlog.
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, P("new"), 1));
            outbox.Pump();
            Assert.Equal(new[] { "old0", "old1", "new" }, t.Published.Select(p => Encoding.UTF8.GetString(p.Payload)).ToArray());
        }

        [Fact]
        public void RateLimitRefusesQos0AndPacesQos1()
        {
            var (outbox, clock, _) = Make(o => { o.MessagesPerSecond = 5; o.InFlightWindow = 20; });
            var t = Connected(autoAck: true);
            outbox.Attach(t);
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(PublishStatus.Sent, outbox.Publish(Topics.PropertyPost, P("q1-" + i), 1));
            }

            Assert.Equal(PublishStatus.RateLimited, outbox.Publish(Topics.PropertyPost, P("q0"), 0));
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, P("q1-5"), 1));
            Assert.Equal(PublishStatus.Queued, outbox.Publish(Topics.PropertyPost, P("q1-6"), 1));
            Assert.Equal(200, outbox.Pump());
            Assert.Equal(5, t.Published.Count);
            clock.Advance(200);
            Assert.Equal(200, outbox.Pump());
            Assert.Equal(6, t.Published.Count);
            clock.Advance(200);
            Assert.Equal(-1, outbox.Pump());
            Assert.Equal(7, t.Published.Count);
            Assert.Equal(1, outbox.Counters.RateLimited);
        }

        [Fact]
        public void BrokerRefusalIsNotRetriedAndIsNotified()
        {
            var (outbox, _, log) = Make();
            var t = Connected(autoAck: false);
            outbox.Attach(t);
            DeliveryOutcome? seen = null;
            int seenCode = 0;
            outbox.Publish(Topics.PropertyPost, P("x"), 1, new PublishOptions { Token = "tok", Delivered = (tok, o, c) => { Assert.Equal("tok", tok); seen = o; seenCode = c; } });
            outbox.OnAcknowledged(t.Published[0].PacketId, 135);
            Assert.Equal(DeliveryOutcome.Refused, seen);
            Assert.Equal(135, seenCode);
            Assert.Equal(0, outbox.PendingCount);
            Assert.Equal(1, outbox.Counters.RefusedByBroker);
            Assert.True(log.Contains("refused a message (reason 135"));
        }

        [Fact]
        public void Mqtt5OptionsReachTheTransport()
        {
            var (outbox, _, _) = Make();
            var t = Connected(autoAck: true);
            outbox.Attach(t);
            var props = new System.Collections.ArrayList { new MqttUserProperty("k", "v") };
            Assert.Equal(PublishStatus.Sent, outbox.Publish(Topics.PropertyPost, P("x"), 1, new PublishOptions { Retain = true, UserProperties = props }));
            Assert.True(t.Published[0].Retain);
            Assert.Same(props, t.Published[0].Props);
            var tooMany = new System.Collections.ArrayList();
            for (int i = 0; i < 21; i++) tooMany.Add(new MqttUserProperty("k" + i, "v"));
            Assert.Throws<ArgumentOutOfRangeException>(() => outbox.Publish(Topics.PropertyPost, P("x"), 1, new PublishOptions { UserProperties = tooMany }));
            Assert.Throws<ArgumentOutOfRangeException>(() => outbox.Publish(Topics.PropertyPost, P("x"), 2));
        }
    }
}
