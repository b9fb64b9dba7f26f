using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// Synchronous calls (RRPC) on the nanoCLR, both forms: /sys/.../rrpc/request/{id} answered on rrpc/response/{id},
    /// /ext/rrpc/{id}/... answered on the same topic with its echo ignored; malformed RRPC answered 460 without an
    /// id; unsafe or foreign topics never answered.
    /// </summary>
    [TestClass]
    public class ThingRrpcTests
    {
        private const string Reset = "{\"id\":\"1\",\"params\":{},\"method\":\"thing.service.Reset\"}";

        [TestMethod]
        public void Sys_rrpc_is_answered_on_rrpc_response()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("rrpc/request/1234567890123456789"), "{\"id\":\"22\",\"version\":\"1.0\",\"params\":{},\"method\":\"thing.service.Reset\"}");
            Assert.AreEqual(1, rig.Publisher.Count, "one reply");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/rrpc/response/1234567890123456789", rig.Publisher[0].Topic, "topic");
            Assert.AreEqual("{\"id\":\"22\",\"code\":200,\"data\":{\"Done\":1}}", rig.Publisher[0].Text, "reply");
        }

        [TestMethod]
        public void Ext_rrpc_is_answered_on_the_same_topic_and_its_echo_ignored()
        {
            ThingRig rig = new ThingRig(4096);
            string topic = "/ext/rrpc/abc-42/sys/a1B2c3D4e5F/dev1/thing/service/Reset";
            rig.Send(topic, "{\"id\":\"23\",\"params\":{\"Delay\":1},\"method\":\"thing.service.Reset\"}");
            Assert.AreEqual(1, rig.Publisher.Count, "one reply");
            Assert.AreEqual(topic, rig.Publisher[0].Topic, "same topic");
            Assert.AreEqual("{\"id\":\"23\",\"code\":200,\"data\":{\"Done\":1}}", rig.Publisher[0].Text, "reply");

            Assert.IsTrue(rig.Dispatcher.Handle(topic, rig.Publisher[0].Payload), "echo handled");
            Assert.AreEqual(1, rig.Publisher.Count, "echo not answered");
            Assert.AreEqual("Reset:Delay=1", rig.CallList(), "service ran once");
        }

        [TestMethod]
        public void Rrpc_property_set_is_applied_and_answered()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("rrpc/request/9"), "{\"id\":\"24\",\"params\":{\"Count\":3},\"method\":\"thing.service.property.set\"}");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/rrpc/response/9", rig.Publisher[0].Topic, "topic");
            Assert.AreEqual("{\"id\":\"24\",\"code\":200,\"data\":{}}", rig.Publisher[0].Text, "reply");
            Assert.AreEqual(3, (int)rig.Model.GetValue("Count"), "applied");
        }

        [TestMethod]
        public void Malformed_rrpc_is_answered_460_without_an_id()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("rrpc/request/77"), "{\"id\":\"1\",");
            Assert.AreEqual(1, rig.Publisher.Count, "one reply");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/rrpc/response/77", rig.Publisher[0].Topic, "topic");
            Assert.AreEqual("{\"code\":460,\"data\":{},\"message\":\"malformed request: unbalanced brackets (truncated document)\"}", rig.Publisher[0].Text, "reply");
        }

        [TestMethod]
        public void Rrpc_that_is_not_a_service_call_is_refused_without_a_raw_handler()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("rrpc/request/78"), "{\"id\":\"3\",\"method\":\"thing.event.property.post\"}");
            Assert.AreEqual("{\"id\":\"3\",\"code\":460,\"data\":{},\"message\":\"not a thing.service request\"}", rig.Publisher[0].Text, "reply");
        }

        [TestMethod]
        public void Raw_rrpc_goes_to_the_raw_handler()
        {
            ThingRig rig = new ThingRig(4096);
            RawRecorder raw = new RawRecorder(new byte[] { 1 });
            rig.Dispatcher.RawRrpcHandler = raw.Answer;
            rig.Dispatcher.Handle(rig.Sys("rrpc/request/99"), new byte[] { 0xFF, 0x00, 0x10 });
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/rrpc/request/99:3", raw.Seen, "handler");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/rrpc/response/99", rig.Publisher[0].Topic, "reply topic");
            CollectionAssert.AreEqual(new byte[] { 1 }, rig.Publisher[0].Payload, "reply bytes");
        }

        [TestMethod]
        public void Unsafe_or_foreign_topics_are_never_answered()
        {
            string[] topics = new string[]
            {
                "/sys/a1B2c3D4e5F/dev1/rrpc/request/",
                "/sys/a1B2c3D4e5F/dev1/rrpc/request/a/b",
                "/sys/a1B2c3D4e5F/dev1/rrpc/request/a+b",
                "/sys/a1B2c3D4e5F/dev1/rrpc/request/a#",
                "/ext/rrpc//sys/a1B2c3D4e5F/dev1/thing/service/Reset",
                "/ext/rrpc/a+b/sys/a1B2c3D4e5F/dev1/thing/service/Reset",
                "/sys/otherPK/dev1/thing/service/Reset",
                "/sys/a1B2c3D4e5F/dev2/thing/service/property/set",
                "/ext/rrpc/1/sys/a1B2c3D4e5F/dev2/thing/service/Reset",
                "/sys/a1B2c3D4e5F/dev1/thing/service/Re.set",
            };
            for (int i = 0; i < topics.Length; i++)
            {
                ThingRig rig = new ThingRig(4096);
                Assert.IsTrue(rig.Send(topics[i], Reset), "taken: " + topics[i]);
                Assert.AreEqual(0, rig.Publisher.Count, "not answered: " + topics[i]);
                Assert.AreEqual("", rig.CallList(), "not run: " + topics[i]);
                Assert.AreEqual(1, rig.Dispatcher.RefusedCount, "refused: " + topics[i]);
            }
        }

        [TestMethod]
        public void Rrpc_ids_up_to_64_characters_are_accepted()
        {
            ThingRig rig = new ThingRig(4096);
            string ok = new string('7', 64);
            rig.Send(rig.Sys("rrpc/request/" + ok), Reset);
            Assert.AreEqual(rig.Sys("rrpc/response/" + ok), rig.Publisher[0].Topic, "64 accepted");
            rig.Send(rig.Sys("rrpc/request/" + ok + "7"), Reset);
            Assert.AreEqual(1, rig.Publisher.Count, "65 refused");
        }
    }
}
