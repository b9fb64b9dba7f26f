using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The thing dispatcher's property set and get on the nanoCLR: validate everything, apply through the setters,
    /// answer set_reply, post what changed; one bad field and nothing is applied (460 naming the field); a setter
    /// refusal is answered 400. Expected bytes are the platform's wire format, pinned.
    /// </summary>
    [TestClass]
    public class PropertySetTests
    {
        [TestMethod]
        public void Set_replies_200_then_posts_what_changed()
        {
            ThingRig rig = new ThingRig(4096);
            Assert.IsTrue(rig.Send(rig.Sys("thing/service/property/set"), "{\"method\":\"thing.service.property.set\",\"id\":\"280608376\",\"params\":{\"Target\":12.5,\"Power\":1},\"version\":\"1.0.0\"}"), "handled");
            Assert.AreEqual(2, rig.Publisher.Count, "reply and post");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/service/property/set_reply", rig.Publisher[0].Topic, "reply topic");
            Assert.AreEqual(0, rig.Publisher[0].Qos, "replies are QoS 0");
            Assert.AreEqual("{\"id\":\"280608376\",\"code\":200,\"data\":{}}", rig.Publisher[0].Text, "reply");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/event/property/post", rig.Publisher[1].Topic, "post topic");
            Assert.AreEqual(1, rig.Publisher[1].Qos, "posts are QoS 1");
            Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Power\":{\"value\":1,\"time\":1767225601000},\"Target\":{\"value\":12.50,\"time\":1767225601000}},\"method\":\"thing.event.property.post\"}", rig.Publisher[1].Text, "post");
            Assert.AreEqual("Power=True;Target=12.5", rig.CallList(), "setters in declaration order");
        }

        [TestMethod]
        public void Setting_the_same_value_again_replies_but_posts_nothing()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("thing/service/property/set"), "{\"id\":\"1\",\"params\":{\"Target\":12.5}}");
            rig.Publisher.Clear();
            rig.Send(rig.Sys("thing/service/property/set"), "{\"id\":7,\"params\":{\"Target\":12.5}}");
            Assert.AreEqual(1, rig.Publisher.Count, "only the reply");
            Assert.AreEqual("{\"id\":\"7\",\"code\":200,\"data\":{}}", rig.Publisher[0].Text, "numeric id echoed as a string");
        }

        [TestMethod]
        public void One_bad_field_applies_nothing_and_is_answered_460_naming_it()
        {
            Expect460("{\"id\":\"5\",\"params\":{\"Target\":12.5,\"Power\":2}}", "property Power: expected 0 or 1");
            Expect460("{\"id\":\"5\",\"params\":{\"Target\":100.5}}", "property Target: above maximum 100");
            Expect460("{\"id\":\"5\",\"params\":{\"Target\":\"12\"}}", "property Target: expected number");
            Expect460("{\"id\":\"5\",\"params\":{\"Target\":1,\"Ghost\":1}}", "property Ghost: unknown");
            Expect460("{\"id\":\"5\",\"params\":{\"Mode\":3}}", "property Mode: not one of the enum values");
            Expect460("{\"id\":\"5\",\"params\":{\"Label\":\"12345678901234567\"}}", "property Label: longer than 16 characters");
            Expect460("{\"id\":\"5\",\"params\":{\"Count\":1.5}}", "property Count: expected integer");
            Expect460("{\"id\":\"5\",\"params\":{\"Count\":-1}}", "property Count: below minimum 0");
        }

        [TestMethod]
        public void Read_only_properties_cannot_be_set()
        {
            Expect460("{\"id\":\"5\",\"params\":{\"Temp\":20.0}}", "property Temp: read-only");
        }

        [TestMethod]
        public void Empty_or_non_object_params_are_refused()
        {
            Expect460("{\"id\":\"5\",\"params\":{}}", "field params: empty");
            Expect460("{\"id\":\"5\",\"params\":[1]}", "field params: expected object");
        }

        [TestMethod]
        public void A_method_that_does_not_match_the_topic_is_refused()
        {
            Expect460("{\"id\":\"5\",\"method\":\"thing.service.property.get\",\"params\":{\"Target\":1}}", "method does not match the topic (expected thing.service.property.set)");
        }

        [TestMethod]
        public void A_setter_refusal_is_answered_400_and_nothing_is_posted()
        {
            ThingRig rig = new ThingRig(4096);
            rig.PowerRefusal = "relay stuck";
            rig.Send(rig.Sys("thing/service/property/set"), "{\"id\":\"9\",\"params\":{\"Power\":1,\"Target\":3}}");
            Assert.AreEqual(1, rig.Publisher.Count, "only the reply");
            Assert.AreEqual("{\"id\":\"9\",\"code\":400,\"data\":{},\"message\":\"property Power: relay stuck\"}", rig.Publisher[0].Text, "reply");
            Assert.IsNull(rig.Model.GetValue("Power"), "value not stored");
            Assert.AreEqual(1, rig.Dispatcher.HandlerFailureCount, "counted as a handler failure");
        }

        [TestMethod]
        public void Async_garbage_and_requests_without_id_are_not_answered()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("thing/service/property/set"), "{\"params\":{\"Power\":1}}");
            rig.Send(rig.Sys("thing/service/property/set"), "not json");
            rig.Send(rig.Sys("thing/service/property/set"), "{\"id\":\"1\",");
            Assert.AreEqual(0, rig.Publisher.Count, "nothing answered");
            Assert.AreEqual("", rig.CallList(), "no setter called");
            Assert.AreEqual(3, rig.Dispatcher.RefusedCount, "three refusals");
            Assert.IsTrue(rig.Log.Contains("field id: missing"), "the reason is logged");
        }

        [TestMethod]
        public void Get_returns_current_values_in_request_order()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Model.SetValue("Temp", 21.04);
            rig.Model.SetValue("Power", false);
            rig.Send(rig.Sys("thing/service/property/get"), "{\"id\":\"11\",\"version\":\"1.0\",\"params\":[\"Power\",\"Temp\",\"Label\"],\"method\":\"thing.service.property.get\"}");
            Assert.AreEqual(1, rig.Publisher.Count, "one reply");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/service/property/get_reply", rig.Publisher[0].Topic, "topic");
            Assert.AreEqual("{\"id\":\"11\",\"code\":200,\"data\":{\"Power\":0,\"Temp\":21.0}}", rig.Publisher[0].Text, "unset Label left out");
        }

        [TestMethod]
        public void Get_of_an_unknown_property_is_refused()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Send(rig.Sys("thing/service/property/get"), "{\"id\":\"12\",\"params\":[\"Nope\"]}");
            Assert.AreEqual("{\"id\":\"12\",\"code\":460,\"data\":{},\"message\":\"property Nope: unknown\"}", rig.Publisher[0].Text, "reply");
        }

        [TestMethod]
        public void Get_without_params_returns_every_set_property()
        {
            ThingRig rig = new ThingRig(4096);
            rig.Model.SetValue("Count", 7);
            rig.Model.SetValue("Label", "hi");
            rig.Send(rig.Sys("thing/service/property/get"), "{\"id\":\"13\"}");
            Assert.AreEqual("{\"id\":\"13\",\"code\":200,\"data\":{\"Label\":\"hi\",\"Count\":7}}", rig.Publisher[0].Text, "declaration order");
        }

        [TestMethod]
        public void A_payload_over_the_limit_is_refused_unparsed()
        {
            ThingRig rig = new ThingRig(64);
            rig.Send(rig.Sys("thing/service/property/set"), "{\"id\":\"1\",\"params\":{\"Label\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}}");
            Assert.AreEqual(0, rig.Publisher.Count, "not answered");
            Assert.IsNull(rig.Model.GetValue("Label"), "not applied");
            Assert.AreEqual(1, rig.Dispatcher.RefusedCount, "refused");
        }

        private static void Expect460(string request, string message)
        {
            ThingRig rig = new ThingRig(4096);
            rig.Model.SetValue("Target", 50);
            rig.Send(rig.Sys("thing/service/property/set"), request);
            Assert.AreEqual(1, rig.Publisher.Count, "one reply for " + request);
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/service/property/set_reply", rig.Publisher[0].Topic, "reply topic");
            Assert.AreEqual("{\"id\":\"5\",\"code\":460,\"data\":{},\"message\":\"" + message + "\"}", rig.Publisher[0].Text, request);
            Assert.AreEqual("", rig.CallList(), "no setter called for " + request);
            Assert.IsTrue((double)rig.Model.GetValue("Target") == 50.0, "Target unchanged");
        }
    }
}
