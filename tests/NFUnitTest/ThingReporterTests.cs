using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The reporter on the nanoCLR: pinned post and event envelopes, validation before anything is stored, replies
    /// matched by id and topic, timeouts, and the offline buffer delivered as one batch post (with the values taken at
    /// the time, oldest dropped and counted when full).
    /// </summary>
    [TestClass]
    public class ThingReporterTests
    {
        [TestMethod]
        public void Property_post_has_the_pinned_envelope_and_declared_precision()
        {
            ThingRig rig = new ThingRig(4096);
            Assert.IsNull(rig.Reporter.ReportProperty("Temp", 3.3), "accepted");
            Assert.AreEqual(1, rig.Publisher.Count, "one post");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/event/property/post", rig.Publisher[0].Topic, "topic");
            Assert.AreEqual(1, rig.Publisher[0].Qos, "QoS 1");
            Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Temp\":{\"value\":3.3,\"time\":1767225601000}},\"method\":\"thing.event.property.post\"}", rig.Publisher[0].Text, "post");
        }

        [TestMethod]
        public void Event_post_wraps_outputs_in_value_and_time()
        {
            ThingRig rig = new ThingRig(4096);
            Hashtable outputs = new Hashtable();
            outputs["Level"] = 3;
            Assert.IsNull(rig.Reporter.PostEvent("Alarm", outputs), "accepted");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/event/Alarm/post", rig.Publisher[0].Topic, "topic");
            Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"value\":{\"Level\":3},\"time\":1767225601000},\"method\":\"thing.event.Alarm.post\"}", rig.Publisher[0].Text, "post");
        }

        [TestMethod]
        public void Bad_events_are_refused_with_the_reason()
        {
            ThingRig rig = new ThingRig(4096);
            Hashtable outputs = new Hashtable();
            outputs["Level"] = 11;
            Assert.AreEqual("event Alarm output Level: above maximum 10", rig.Reporter.PostEvent("Alarm", outputs), "out of range");
            Assert.AreEqual("event Nope: unknown", rig.Reporter.PostEvent("Nope", null), "unknown");
            Assert.AreEqual(0, rig.Publisher.Count, "nothing sent");
        }

        [TestMethod]
        public void Values_are_validated_before_they_are_stored_or_posted()
        {
            ThingRig rig = new ThingRig(4096);
            Assert.AreEqual("property Temp: above maximum 120", rig.Reporter.ReportProperty("Temp", 500.0), "range");
            Assert.AreEqual("property Nope: unknown", rig.Reporter.ReportProperty("Nope", 1), "unknown");
            Assert.AreEqual("property Temp: expected number", rig.Reporter.ReportProperty("Temp", "hot"), "type");
            Assert.AreEqual(0, rig.Publisher.Count, "nothing sent");
            Assert.IsNull(rig.Model.GetValue("Temp"), "nothing stored");
        }

        [TestMethod]
        public void A_reply_with_a_platform_code_is_surfaced_and_matched_by_id_and_topic()
        {
            ThingRig rig = new ThingRig(4096);
            OutcomeRecorder outcomes = new OutcomeRecorder();
            rig.Reporter.PostCompleted = outcomes.Record;
            rig.Reporter.ReportProperty("Temp", 20.0);
            Assert.AreEqual(1, rig.Reporter.Pending.Count, "pending");

            rig.Send(rig.Sys("thing/event/Alarm/post_reply"), "{\"code\":200,\"data\":{},\"id\":\"1\",\"message\":\"success\"}");
            Assert.AreEqual(0, outcomes.Count, "same id on another reply topic is not ours");

            rig.Send(rig.Sys("thing/event/property/post_reply"), "{\"code\":6813,\"data\":{},\"id\":1,\"message\":\"The format of result is error!\",\"method\":\"thing.event.property.post\",\"version\":\"1.0.0\"}");
            Assert.AreEqual(1, outcomes.Count, "completed");
            RequestOutcome o = outcomes.Get(0);
            Assert.IsTrue(o.Status == RequestStatus.Replied, "replied");
            Assert.AreEqual(6813, o.Code, "code");
            Assert.IsFalse(o.Succeeded, "not a success");
            Assert.AreEqual("The format of result is error!", o.Message, "message");
            Assert.AreEqual(6813, rig.Reporter.LastReplyCode, "last code");
            Assert.AreEqual(1, rig.Reporter.FailedPosts, "failed posts");
            Assert.AreEqual(0, rig.Reporter.Pending.Count, "no longer pending");
        }

        [TestMethod]
        public void A_post_without_reply_times_out_after_the_request_timeout()
        {
            ThingRig rig = new ThingRig(4096);
            OutcomeRecorder outcomes = new OutcomeRecorder();
            rig.Reporter.PostCompleted = outcomes.Record;
            Hashtable outputs = new Hashtable();
            outputs["Level"] = 1;
            rig.Reporter.PostEvent("Alarm", outputs);
            rig.Clock.Advance(9999);
            rig.Reporter.Tick();
            Assert.AreEqual(0, outcomes.Count, "not yet");
            rig.Clock.Advance(1);
            rig.Reporter.Tick();
            Assert.AreEqual(1, outcomes.Count, "timed out");
            Assert.IsTrue(outcomes.Get(0).Status == RequestStatus.TimedOut, "status");
            Assert.AreEqual("thing.event.Alarm.post", outcomes.Get(0).Method, "method");
            Assert.AreEqual("no reply within 10000 ms", outcomes.Get(0).Message, "message");
        }

        [TestMethod]
        public void Readings_taken_offline_are_delivered_as_one_history_post()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Reporter.Online = false;
            rig.Reporter.ReportProperty("Temp", 20.0);
            rig.Clock.Advance(1000);
            rig.Reporter.ReportProperty("Temp", 21.0);
            rig.Reporter.ReportProperty("Count", 5);
            Assert.AreEqual(0, rig.Publisher.Count, "nothing sent offline");
            Assert.AreEqual(3, rig.Reporter.BufferedReadings, "buffered");

            rig.Reporter.Online = true;
            Assert.AreEqual(1, rig.Publisher.Count, "one history post");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/event/property/history/post", rig.Publisher[0].Topic, "topic");
            Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":[{\"identity\":{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"dev1\"},\"properties\":[{\"Temp\":{\"value\":20.0,\"time\":1767225601000}},{\"Temp\":{\"value\":21.0,\"time\":1767225602000},\"Count\":{\"value\":5,\"time\":1767225602000}}],\"events\":[]}],\"method\":\"thing.event.property.history.post\"}", rig.Publisher[0].Text, "history post: a new object per time");
            Assert.AreEqual(0, rig.Reporter.BufferedReadings, "emptied");
        }

        [TestMethod]
        public void A_full_buffer_drops_the_oldest_and_counts_it()
        {
            ThingRig rig = new ThingRig(4096); // buffer of 4
            rig.Publisher.Status = PublishStatus.InFlightFull;
            for (int i = 0; i < 6; i++)
            {
                Assert.IsNull(rig.Reporter.ReportProperty("Count", i), "accepted " + i.ToString());
            }

            Assert.AreEqual(4, rig.Reporter.BufferedReadings, "kept");
            Assert.AreEqual(2, rig.Reporter.DroppedReadings, "dropped");
            rig.Publisher.Clear();
            rig.Publisher.Status = PublishStatus.Sent;
            rig.Reporter.Tick();
            Assert.AreEqual(1, rig.Publisher.Count, "delivered on the next tick");
            Assert.AreEqual("{\"id\":\"7\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":[{\"identity\":{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"dev1\"},\"properties\":[{\"Count\":{\"value\":2,\"time\":1767225601000}},{\"Count\":{\"value\":3,\"time\":1767225601000}},{\"Count\":{\"value\":4,\"time\":1767225601000}},{\"Count\":{\"value\":5,\"time\":1767225601000}}],\"events\":[]}],\"method\":\"thing.event.property.history.post\"}", rig.Publisher[0].Text, "the newest four");
        }

        [TestMethod]
        public void A_post_naming_an_unknown_property_sends_and_buffers_nothing()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Model.SetValue("Temp", 20.0);
            Assert.AreEqual("property Nope: unknown", rig.Reporter.PostProperties(new string[] { "Temp", "Nope" }), "refused");
            Assert.AreEqual(0, rig.Publisher.Count, "nothing sent");
            Assert.AreEqual(0, rig.Reporter.BufferedReadings, "nothing buffered");
        }

        [TestMethod]
        public void Raw_and_user_publishes_use_device_topics()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Reporter.PostRaw(new byte[] { 1, 2 });
            rig.Reporter.PublishUser("update", new byte[] { 3 }, 0);
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/model/up_raw", rig.Publisher[0].Topic, "up_raw");
            Assert.AreEqual(1, rig.Publisher[0].Qos, "raw is QoS 1");
            Assert.AreEqual("/a1B2c3D4e5F/dev1/user/update", rig.Publisher[1].Topic, "user topic");
            Assert.ThrowsException(typeof(System.ArgumentException), PublishToWildcard, "wildcards refused");
        }

        [TestMethod]
        public void Ids_count_per_boot_and_wrap()
        {
            AlinkIds ids = new AlinkIds(4294967294);
            Assert.AreEqual("4294967295", ids.Next(), "last");
            Assert.AreEqual("1", ids.Next(), "wraps to 1");
        }

        private static void PublishToWildcard()
        {
            new ThingRig(4096).Reporter.PublishUser("a/+", new byte[] { 3 }, 0);
        }
    }
}
