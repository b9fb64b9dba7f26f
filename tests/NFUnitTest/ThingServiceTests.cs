using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// Services through the thing dispatcher on the nanoCLR: async services answered on {id}_reply, handler failures
    /// turned into error replies with their code, unknown services and bad inputs refused 460, raw/user/broadcast
    /// messages handed to the application, and other components' topics left alone.
    /// </summary>
    [TestClass]
    public class ThingServiceTests
    {
        [TestMethod]
        public void Async_service_is_answered_on_its_reply_topic()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("thing/service/Reset"), "{\"id\":\"21\",\"version\":\"1.0\",\"params\":{\"Delay\":5},\"method\":\"thing.service.Reset\"}");
            Assert.AreEqual(1, rig.Publisher.Count, "one reply");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/service/Reset_reply", rig.Publisher[0].Topic, "topic");
            Assert.AreEqual(0, rig.Publisher[0].Qos, "QoS 0");
            Assert.AreEqual("{\"id\":\"21\",\"code\":200,\"data\":{\"Done\":1}}", rig.Publisher[0].Text, "reply");
            Assert.AreEqual("Reset:Delay=5", rig.CallList(), "handler called with the input");
        }

        [TestMethod]
        public void A_throwing_handler_is_answered_400_and_counted()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("thing/service/Boom"), "{\"id\":\"31\",\"params\":{}}");
            Assert.AreEqual("{\"id\":\"31\",\"code\":400,\"data\":{},\"message\":\"service Boom failed\"}", rig.Publisher[0].Text, "reply");
            Assert.AreEqual(1, rig.Dispatcher.HandlerFailureCount, "counted");
            Assert.IsTrue(rig.Log.Contains("service Boom threw: kaboom"), "logged");
        }

        [TestMethod]
        public void A_handler_exception_code_is_the_reply_code()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("thing/service/Busy"), "{\"id\":\"32\"}");
            Assert.AreEqual("{\"id\":\"32\",\"code\":100123,\"data\":{},\"message\":\"busy, try later\"}", rig.Publisher[0].Text, "reply");
        }

        [TestMethod]
        public void Unknown_service_and_bad_input_are_refused_460()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("thing/service/Ghost"), "{\"id\":\"34\"}");
            rig.Send(rig.Sys("thing/service/Reset"), "{\"id\":\"35\",\"params\":{\"Delay\":61}}");
            rig.Send(rig.Sys("thing/service/Reset"), "{\"id\":\"36\",\"params\":[1]}");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/service/Ghost_reply", rig.Publisher[0].Topic, "reply topic of the unknown service");
            Assert.AreEqual("{\"id\":\"34\",\"code\":460,\"data\":{},\"message\":\"service Ghost: unknown\"}", rig.Publisher[0].Text, "unknown");
            Assert.AreEqual("{\"id\":\"35\",\"code\":460,\"data\":{},\"message\":\"service Reset input Delay: above maximum 60\"}", rig.Publisher[1].Text, "out of range");
            Assert.AreEqual("{\"id\":\"36\",\"code\":460,\"data\":{},\"message\":\"field params: expected object\"}", rig.Publisher[2].Text, "params not an object");
            Assert.AreEqual("", rig.CallList(), "the handler never ran");
        }

        [TestMethod]
        public void The_dispatcher_keeps_serving_after_failures()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("thing/service/Boom"), "{\"id\":\"1\"}");
            rig.Send(rig.Sys("thing/service/Reset"), "not json");
            rig.Send(rig.Sys("thing/service/Reset"), "{\"id\":\"2\",\"params\":{\"Delay\":1}}");
            Assert.AreEqual(2, rig.Publisher.Count, "Boom and the good call answered, garbage not");
            Assert.AreEqual("{\"id\":\"2\",\"code\":200,\"data\":{\"Done\":1}}", rig.Publisher[1].Text, "still serving");
        }

        [TestMethod]
        public void Raw_down_messages_reach_their_handler_and_its_bytes_are_the_reply()
        {
            ThingRig rig = new ThingRig(4096);
            RawRecorder raw = new RawRecorder(new byte[] { 0xCA, 0xFE });
            rig.Dispatcher.DownRawHandler = raw.Answer;
            rig.Dispatcher.Handle(rig.Sys("thing/model/down_raw"), new byte[] { 1, 2 });
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/model/down_raw:2", raw.Seen, "handler saw topic and bytes");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/model/down_raw_reply", rig.Publisher[0].Topic, "reply topic");
            CollectionAssert.AreEqual(new byte[] { 0xCA, 0xFE }, rig.Publisher[0].Payload, "reply bytes");
        }

        [TestMethod]
        public void A_throwing_raw_handler_is_counted_and_not_answered()
        {
            ThingRig rig = new ThingRig(4096);
            RawRecorder raw = new RawRecorder(null);
            raw.Throw = true;
            rig.Dispatcher.DownRawHandler = raw.Answer;
            Assert.IsTrue(rig.Dispatcher.Handle(rig.Sys("thing/model/down_raw"), new byte[] { 1 }), "handled");
            Assert.AreEqual(0, rig.Publisher.Count, "no reply");
            Assert.AreEqual(1, rig.Dispatcher.HandlerFailureCount, "counted");
        }

        [TestMethod]
        public void User_and_broadcast_messages_reach_their_handlers()
        {
            ThingRig rig = new ThingRig(4096);
            RawRecorder user = new RawRecorder(null);
            RawRecorder broadcast = new RawRecorder(null);
            rig.Dispatcher.UserMessageHandler = user.Deliver;
            rig.Dispatcher.BroadcastHandler = broadcast.Deliver;
            rig.Dispatcher.Handle("/a1B2c3D4e5F/dev1/user/get", new byte[] { 3 });
            rig.Dispatcher.Handle("/broadcast/a1B2c3D4e5F/news", new byte[] { 4, 4 });
            Assert.AreEqual("/a1B2c3D4e5F/dev1/user/get:1", user.Seen, "user topic");
            Assert.AreEqual("/broadcast/a1B2c3D4e5F/news:2", broadcast.Seen, "broadcast");
            Assert.AreEqual(0, rig.Publisher.Count, "nothing answered");
        }

        [TestMethod]
        public void Other_components_topics_are_left_to_them()
        {
            ThingRig rig = new ThingRig(4096);
            Assert.IsFalse(rig.Send("/ota/device/upgrade/a1B2c3D4e5F/dev1", "{}"), "OTA push");
            Assert.IsFalse(rig.Send("/ext/ntp/a1B2c3D4e5F/dev1/response", "{}"), "NTP");
            Assert.IsFalse(rig.Send(rig.Sys("thing/ota/firmware/get_reply"), "{}"), "firmware.get reply");
            Assert.IsTrue(rig.Send(rig.Sys("thing/service/Reset_reply"), "{}"), "our own echo is swallowed");
            Assert.AreEqual(0, rig.Publisher.Count, "nothing sent");
        }

        [TestMethod]
        public void Subscriptions_cover_every_topic_the_dispatcher_handles()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Dispatcher.SubscribeUserTopic("get");
            System.Collections.ArrayList list = new System.Collections.ArrayList();
            rig.Dispatcher.AddSubscriptions(list);
            string[] expected = new string[]
            {
                "/sys/a1B2c3D4e5F/dev1/thing/service/property/set",
                "/sys/a1B2c3D4e5F/dev1/thing/service/property/get",
                "/sys/a1B2c3D4e5F/dev1/thing/service/+",
                "/sys/a1B2c3D4e5F/dev1/rrpc/request/+",
                "/ext/rrpc/+/sys/a1B2c3D4e5F/dev1/thing/service/+",
                "/sys/a1B2c3D4e5F/dev1/thing/model/down_raw",
                "/ext/rrpc/+/sys/a1B2c3D4e5F/dev1/thing/model/down_raw",
                "/sys/a1B2c3D4e5F/dev1/thing/model/up_raw_reply",
                "/sys/a1B2c3D4e5F/dev1/thing/event/+/post_reply",
                "/sys/a1B2c3D4e5F/dev1/thing/event/property/batch/post_reply",
                "/sys/a1B2c3D4e5F/dev1/thing/event/property/history/post_reply",
                "/sys/a1B2c3D4e5F/dev1/broadcast/request/+",
                "/a1B2c3D4e5F/dev1/user/get",
            };
            Assert.AreEqual(expected.Length, list.Count, "count");
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], (string)list[i], "topic " + i.ToString());
            }
        }
    }
}
