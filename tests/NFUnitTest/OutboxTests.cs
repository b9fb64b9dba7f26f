using System.Text;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Connection;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The outbox on the nanoCLR, driven like the supervisor drives it over an in-memory transport: limits refused
    /// before a byte is sent, the in-flight window, the offline queue and its drop policies, order of first sending
    /// across a lost connection, the broker's refusal, and rate pacing of QoS 1 (QoS 0 over the rate is refused).
    /// </summary>
    [TestClass]
    public class OutboxTests
    {
        private static readonly DeviceTopics Topics = new DeviceTopics("a1Prod", "dev1");

        [TestMethod]
        public void Foreign_topics_are_refused_and_nothing_is_sent()
        {
            Outbox outbox = Make(10, 100, OfflineDropPolicy.DropOldest, 0);
            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            Assert.IsTrue(outbox.Publish("/sys/a1Prod/other/thing/event/property/post", P("{}"), 1) == PublishStatus.ForeignTopic, "another device");
            Assert.IsTrue(outbox.Publish("/sys/a1Prod/dev1/thing/+/post", P("{}"), 0) == PublishStatus.ForeignTopic, "wildcard");
            Assert.IsTrue(outbox.Publish("/sys/a1Prod/dev1/" + new string('x', 120), P("{}"), 0) == PublishStatus.ForeignTopic, "too long");
            Assert.AreEqual(0, t.PublishedCount, "nothing sent");
            Assert.AreEqual(3L, outbox.Counters.ForeignTopic, "counted");
        }

        [TestMethod]
        public void An_oversize_payload_is_refused_and_not_queued()
        {
            SessionOptions options = Options(10, 100, OfflineDropPolicy.DropOldest, 0);
            options.MaxPayloadBytes = 100;
            Outbox outbox = new Outbox(options, Topics, new StepClock(), new RecordingLog());
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, new byte[100], 1) == PublishStatus.Queued, "at the limit");
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, new byte[101], 1) == PublishStatus.TooLarge, "QoS 1 over");
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, new byte[101], 0) == PublishStatus.TooLarge, "QoS 0 over");
            Assert.AreEqual(1, outbox.PendingCount, "only the first kept");
            Assert.AreEqual(2L, outbox.Counters.TooLarge, "counted");
        }

        [TestMethod]
        public void Qos0_while_disconnected_is_not_connected_and_never_queued()
        {
            Outbox outbox = Make(10, 100, OfflineDropPolicy.DropOldest, 0);
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("a"), 0) == PublishStatus.NotConnected, "status");
            Assert.AreEqual(0, outbox.PendingCount, "not kept");
        }

        [TestMethod]
        public void Qos0_while_connected_is_sent_at_once()
        {
            Outbox outbox = Make(10, 100, OfflineDropPolicy.DropOldest, 0);
            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("q0"), 0) == PublishStatus.Sent, "sent");
            Assert.AreEqual(0, t.Published(0).Qos, "as QoS 0");
            Assert.AreEqual(0, outbox.PendingCount, "nothing kept");
        }

        [TestMethod]
        public void The_in_flight_window_is_enforced_and_nothing_is_dropped()
        {
            Outbox outbox = Make(3, 100, OfflineDropPolicy.DropOldest, 0);
            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            for (int i = 0; i < 3; i++)
            {
                Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("m" + i.ToString()), 1) == PublishStatus.Sent, "sent " + i.ToString());
            }

            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("m3"), 1) == PublishStatus.InFlightFull, "window full");
            Assert.AreEqual(3, t.PublishedCount, "three on the wire");
            Assert.AreEqual(1L, outbox.Counters.InFlightFull, "counted");
            outbox.OnAcknowledged(t.PacketId(0), 0);
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("m4"), 1) == PublishStatus.Sent, "room again after a PUBACK");
            Assert.AreEqual(1L, outbox.Counters.Acknowledged, "acknowledged");
        }

        [TestMethod]
        public void Offline_messages_are_sent_in_order_after_attach()
        {
            Outbox outbox = Make(10, 100, OfflineDropPolicy.DropOldest, 0);
            for (int i = 0; i < 4; i++)
            {
                Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("m" + i.ToString()), 1) == PublishStatus.Queued, "queued " + i.ToString());
            }

            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            Assert.AreEqual(-1, outbox.Pump(), "all sent, nothing to wait for");
            Assert.AreEqual("m0,m1,m2,m3", t.PublishedTexts(), "order kept");
            Assert.AreEqual(4, outbox.PendingCount, "kept until acknowledged");
        }

        [TestMethod]
        public void A_full_queue_drops_the_oldest_and_counts_it()
        {
            Outbox outbox = Make(10, 3, OfflineDropPolicy.DropOldest, 0);
            for (int i = 0; i < 5; i++)
            {
                Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("m" + i.ToString()), 1) == PublishStatus.Queued, "queued " + i.ToString());
            }

            Assert.AreEqual(2L, outbox.Counters.Dropped, "two dropped");
            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            outbox.Pump();
            Assert.AreEqual("m2,m3,m4", t.PublishedTexts(), "the newest three");
        }

        [TestMethod]
        public void Reject_new_policy_refuses_and_keeps_the_old()
        {
            Outbox outbox = Make(10, 2, OfflineDropPolicy.RejectNew, 0);
            outbox.Publish(Topics.PropertyPost, P("m0"), 1);
            outbox.Publish(Topics.PropertyPost, P("m1"), 1);
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("m2"), 1) == PublishStatus.QueueFull, "refused");
            Assert.AreEqual(1L, outbox.Counters.Rejected, "counted");
            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            outbox.Pump();
            Assert.AreEqual("m0,m1", t.PublishedTexts(), "the old ones");
        }

        [TestMethod]
        public void A_dropped_message_is_reported_to_its_delivery_handler()
        {
            Outbox outbox = Make(10, 1, OfflineDropPolicy.DropOldest, 0);
            DeliveryRecorder deliveries = new DeliveryRecorder();
            PublishOptions options = Tracked("first", deliveries);
            outbox.Publish(Topics.PropertyPost, P("m0"), 1, options);
            outbox.Publish(Topics.PropertyPost, P("m1"), 1);
            Assert.AreEqual("first:Dropped:-1", deliveries.Seen, "the owner hears of the drop");
        }

        [TestMethod]
        public void In_flight_messages_go_back_to_the_front_after_a_lost_connection()
        {
            Outbox outbox = Make(2, 100, OfflineDropPolicy.DropOldest, 0);
            ScriptedTransport first = ScriptedTransport.ConnectedNow();
            outbox.Attach(first);
            outbox.Publish(Topics.PropertyPost, P("a"), 1);
            outbox.Publish(Topics.PropertyPost, P("b"), 1);
            outbox.Detach();
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("c"), 1) == PublishStatus.Queued, "offline");

            ScriptedTransport second = ScriptedTransport.ConnectedNow();
            outbox.Attach(second);
            outbox.Pump();
            Assert.AreEqual("a,b", second.PublishedTexts(), "re-sent first, window of two");
            outbox.OnAcknowledged(second.PacketId(0), 0);
            outbox.Pump();
            Assert.AreEqual("a,b,c", second.PublishedTexts(), "then the offline message");
            Assert.AreEqual(2L, outbox.Counters.Retried, "two re-sends");
        }

        [TestMethod]
        public void A_broker_refusal_is_final_and_reported()
        {
            Outbox outbox = Make(10, 100, OfflineDropPolicy.DropOldest, 0);
            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            DeliveryRecorder deliveries = new DeliveryRecorder();
            PublishOptions options = Tracked("m", deliveries);
            outbox.Publish(Topics.PropertyPost, P("x"), 1, options);
            outbox.OnAcknowledged(t.PacketId(0), 135);
            Assert.AreEqual("m:Refused:135", deliveries.Seen, "refused");
            Assert.AreEqual(0, outbox.PendingCount, "not retried");
            Assert.AreEqual(1L, outbox.Counters.RefusedByBroker, "counted");
        }

        [TestMethod]
        public void An_acknowledgement_is_reported_once()
        {
            Outbox outbox = Make(10, 100, OfflineDropPolicy.DropOldest, 0);
            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            DeliveryRecorder deliveries = new DeliveryRecorder();
            PublishOptions options = Tracked("m", deliveries);
            outbox.Publish(Topics.PropertyPost, P("x"), 1, options);
            outbox.OnAcknowledged(t.PacketId(0), 0);
            outbox.OnAcknowledged(t.PacketId(0), 0);
            Assert.AreEqual("m:Acknowledged:0", deliveries.Seen, "once");
        }

        [TestMethod]
        public void Qos1_over_the_rate_is_queued_and_paced_qos0_is_refused()
        {
            StepClock clock = new StepClock();
            Outbox outbox = new Outbox(Options(50, 100, OfflineDropPolicy.DropOldest, 20), Topics, clock, new RecordingLog());
            ScriptedTransport t = ScriptedTransport.ConnectedNow();
            outbox.Attach(t);
            for (int i = 0; i < 20; i++)
            {
                outbox.Publish(Topics.PropertyPost, P("b"), 1);
            }

            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("late"), 1) == PublishStatus.Queued, "QoS 1 held");
            Assert.IsTrue(outbox.Publish(Topics.PropertyPost, P("q0"), 0) == PublishStatus.RateLimited, "QoS 0 refused");
            Assert.AreEqual(50, outbox.Pump(), "the next token in 50 ms");
            clock.Advance(50);
            Assert.AreEqual(-1, outbox.Pump(), "sent");
            Assert.AreEqual("late", t.Published(20).Text, "the held message went out");
            Assert.AreEqual(1L, outbox.Counters.RateLimited, "counted");
        }

        [TestMethod]
        public void Bad_qos_is_an_argument_error()
        {
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), PublishQos2, "QoS 2");
        }

        private static void PublishQos2()
        {
            Make(10, 100, OfflineDropPolicy.DropOldest, 0).Publish(Topics.PropertyPost, P("x"), 2);
        }

        // Options that report the message's fate to deliveries under token.
        private static PublishOptions Tracked(string token, DeliveryRecorder deliveries)
        {
            PublishOptions options = new PublishOptions();
            options.Token = token;
            options.Delivered = deliveries.Record;
            return options;
        }

        private static Outbox Make(int window, int queue, OfflineDropPolicy policy, int rate)
        {
            return new Outbox(Options(window, queue, policy, rate), Topics, new StepClock(), new RecordingLog());
        }

        private static SessionOptions Options(int window, int queue, OfflineDropPolicy policy, int rate)
        {
            SessionOptions options = new SessionOptions();
            options.InFlightWindow = window;
            options.OfflineQueueLength = queue;
            options.OfflineDropPolicy = policy;
            options.MessagesPerSecond = rate;
            return options;
        }

        private static byte[] P(string text)
        {
            return Encoding.UTF8.GetBytes(text);
        }
    }
}
