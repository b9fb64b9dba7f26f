using System;
using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Ports;
using AliyunIot.Thing;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The history post of readings taken offline (<see cref="HistoryPostWriter"/>, <see cref="ThingReporter"/>):
    /// exact bytes of the documented layout, grouping by time, splitting at the limits, nothing lost.
    /// </summary>
    [TestClass]
    public class HistoryPostTests
    {
        private const string Topic = "/sys/a1B2c3D4e5F/dev1/thing/event/property/history/post";

        [TestMethod]
        public void Writer_produces_the_documented_layout_with_each_readings_time()
        {
            PropertyDefinition temp = PropertyDefinition.Float("Temp", -40, 120, 1, PropertyAccess.ReadOnly);
            PropertyDefinition count = PropertyDefinition.Int("Count", 0, 1000, PropertyAccess.ReadOnly);
            EventDefinition alarm = new EventDefinition("Alarm").AddOutput(PropertyDefinition.Int("Level", 0, 9, PropertyAccess.ReadOnly));
            ReadingBuffer buffer = new ReadingBuffer(8);
            buffer.Add(new Reading(temp, 20.0, 1767225600000));
            buffer.Add(new Reading(temp, 21.0, 1767225601000));
            Hashtable outputs = new Hashtable();
            outputs["Level"] = 2;
            buffer.Add(new Reading(alarm, outputs, 1767225601000));
            buffer.Add(new Reading(count, 5, 1767225601000));

            HistoryPostWriter writer = new HistoryPostWriter("a1B2c3D4e5F", "dev1", new AlinkRequestWriter(1024));
            Assert.AreEqual(
                "{\"id\":\"7\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":[{\"identity\":{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"dev1\"},"
                + "\"properties\":[{\"Temp\":{\"value\":20.0,\"time\":1767225600000}},{\"Temp\":{\"value\":21.0,\"time\":1767225601000},\"Count\":{\"value\":5,\"time\":1767225601000}}],"
                + "\"events\":[{\"Alarm\":{\"value\":{\"Level\":2},\"time\":1767225601000}}]}],\"method\":\"thing.event.property.history.post\"}",
                Text(writer.Write("7", buffer, 4)),
                "history post");
            Assert.AreEqual(4, buffer.Count, "writing does not remove readings");
        }

        [TestMethod]
        public void Writer_refuses_a_post_over_the_byte_limit()
        {
            ReadingBuffer buffer = new ReadingBuffer(2);
            buffer.Add(new Reading(PropertyDefinition.Int("Count", 0, 1000, PropertyAccess.ReadOnly), 5, 1767225600000));
            HistoryPostWriter writer = new HistoryPostWriter("a1B2c3D4e5F", "dev1", new AlinkRequestWriter(64));
            bool refused = false;
            try
            {
                writer.Write("1", buffer, 1);
            }
            catch (InvalidOperationException)
            {
                refused = true;
            }

            Assert.IsTrue(refused, "a history post over 64 bytes must be refused");
        }

        [TestMethod]
        public void Offline_readings_leave_as_history_posts_split_at_the_limit_and_none_is_lost()
        {
            ThingModel model = new ThingModel();
            model.AddProperty(PropertyDefinition.Int("Count", 0, 1000, PropertyAccess.ReadOnly));
            RecordingPublisher publisher = new RecordingPublisher();
            StepClock clock = new StepClock();
            ThingReporter reporter = new ThingReporter(model, new DeviceTopics("a1B2c3D4e5F", "dev1"), publisher, new AlinkIds(), clock, new SilentLog(), 65536, 10000, 300);
            reporter.Online = false;
            for (int i = 0; i < 250; i++)
            {
                Assert.IsNull(reporter.ReportProperty("Count", i), "reading " + i.ToString());
                clock.Advance(1000);
            }

            Assert.AreEqual(0, publisher.Topics.Count, "nothing sent while offline");
            reporter.Online = true;
            Assert.AreEqual(2, publisher.Topics.Count, "two history posts");
            Assert.AreEqual(Topic, (string)publisher.Topics[0], "first topic");
            Assert.AreEqual(Topic, (string)publisher.Topics[1], "second topic");
            string first = (string)publisher.Payloads[0];
            string second = (string)publisher.Payloads[1];
            Assert.AreEqual(HistoryPostWriter.MaxReadings, Occurrences(first, "\"value\""), "first post is full");
            Assert.AreEqual(250 - HistoryPostWriter.MaxReadings, Occurrences(second, "\"value\""), "the rest in the second");
            Assert.IsTrue(first.IndexOf("[{\"Count\":{\"value\":0,\"time\":1767225601000}},{\"Count\":{\"value\":1,\"time\":1767225602000}},") > 0, "oldest first, own times");
            Assert.IsTrue(second.IndexOf("{\"Count\":{\"value\":249,\"time\":1767225850000}}]") > 0, "newest last");
            Assert.AreEqual(0, reporter.BufferedReadings, "buffer drained");
            Assert.AreEqual(0, reporter.DroppedReadings, "nothing dropped");
        }

        [TestMethod]
        public void A_post_the_outbox_refuses_keeps_the_readings_for_the_next_attempt()
        {
            ThingModel model = new ThingModel();
            model.AddProperty(PropertyDefinition.Int("Count", 0, 1000, PropertyAccess.ReadOnly));
            RecordingPublisher publisher = new RecordingPublisher();
            ThingReporter reporter = new ThingReporter(model, new DeviceTopics("a1B2c3D4e5F", "dev1"), publisher, new AlinkIds(), new StepClock(), new SilentLog(), 4096, 10000, 8);
            reporter.Online = false;
            reporter.ReportProperty("Count", 1);
            reporter.ReportProperty("Count", 2);
            publisher.Status = PublishStatus.InFlightFull;
            reporter.Online = true;
            Assert.AreEqual(2, reporter.BufferedReadings, "kept after a refusal");
            publisher.Status = PublishStatus.Sent;
            reporter.Tick();
            Assert.AreEqual(0, reporter.BufferedReadings, "delivered on the next tick");
            string last = (string)publisher.Payloads[publisher.Payloads.Count - 1];
            Assert.AreEqual(2, Occurrences(last, "\"value\""), "both readings in the post");
        }

        private static int Occurrences(string text, string part)
        {
            int count = 0;
            int at = text.IndexOf(part);
            while (at >= 0)
            {
                count++;
                at = text.IndexOf(part, at + part.Length);
            }

            return count;
        }

        private static string Text(byte[] bytes)
        {
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        private sealed class RecordingPublisher : IPublisher
        {
            public RecordingPublisher()
            {
                Topics = new ArrayList();
                Payloads = new ArrayList();
                Status = PublishStatus.Sent;
            }

            public ArrayList Topics { get; private set; }

            public ArrayList Payloads { get; private set; }

            public PublishStatus Status { get; set; }

            public PublishStatus Publish(string topic, byte[] payload, int qos)
            {
                Topics.Add(topic);
                Payloads.Add(Text(payload));
                return Status;
            }
        }

        private sealed class SilentLog : ILog
        {
            public void Write(LogLevel level, string source, string message)
            {
            }
        }
    }
}
