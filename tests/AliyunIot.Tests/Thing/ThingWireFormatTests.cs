using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Thing;
using Xunit;

namespace AliyunIot.Tests.Thing
{
    /// <summary>Exact topics, bytes and QoS of every message the thing model sends.</summary>
    public class ThingWireFormatTests
    {
        private const string Time = "1767225600000";

        [Fact]
        public void Property_post_has_the_pinned_envelope_and_declared_precision()
        {
            var f = new ThingFixture();
            Assert.Null(f.Reporter.ReportProperty("Temp", 3.3));
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/event/property/post", m.Topic);
            Assert.Equal(1, m.Qos);
            Assert.Equal("{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Temp\":{\"value\":3.3,\"time\":" + Time + "}},\"method\":\"thing.event.property.post\"}", m.Text);
        }

        [Fact]
        public void Property_post_writes_every_type_in_its_wire_form()
        {
            var f = new ThingFixture();
            Assert.Null(f.Model.SetValue("Temp", 10));
            Assert.Null(f.Model.SetValue("Power", true));
            Assert.Null(f.Model.SetValue("Target", 99.999));
            Assert.Null(f.Model.SetValue("Mode", 2));
            Assert.Null(f.Model.SetValue("Label", "a\"b"));
            Assert.Null(f.Model.SetValue("Count", 7));
            Assert.Null(f.Model.SetValue("Stamp", "1700000000000"));
            f.Clock.SetUtc(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)); // clock not set yet: bare values
            Assert.Null(f.Reporter.PostProperties(new[] { "Stamp", "Count", "Label", "Mode", "Target", "Power", "Temp" }));
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal("{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Temp\":10.0,\"Power\":1,\"Target\":100.00,\"Mode\":2,\"Label\":\"a\\\"b\",\"Count\":7,\"Stamp\":\"1700000000000\"},\"method\":\"thing.event.property.post\"}", m.Text);
        }

        [Fact]
        public void Event_post_wraps_outputs_in_value_and_time()
        {
            var f = new ThingFixture();
            Assert.Null(f.Reporter.PostEvent("Alarm", new Hashtable { ["Level"] = 3 }));
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/event/Alarm/post", m.Topic);
            Assert.Equal(1, m.Qos);
            Assert.Equal("{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"value\":{\"Level\":3},\"time\":" + Time + "},\"method\":\"thing.event.Alarm.post\"}", m.Text);
            Assert.Equal("event Alarm output Level: above maximum 10", f.Reporter.PostEvent("Alarm", new Hashtable { ["Level"] = 11 }));
            Assert.Equal("event Nope: unknown", f.Reporter.PostEvent("Nope", null));
        }

        [Fact]
        public void Property_set_replies_then_posts_what_changed()
        {
            var f = new ThingFixture();
            Assert.True(f.Send(f.Sys("thing/service/property/set"), "{\"method\":\"thing.service.property.set\",\"id\":\"280608376\",\"params\":{\"Target\":12.5,\"Power\":1},\"version\":\"1.0.0\"}"));
            var m = f.Publisher.Messages;
            Assert.Equal(2, m.Length);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/service/property/set_reply", m[0].Topic);
            Assert.Equal(0, m[0].Qos);
            Assert.Equal("{\"id\":\"280608376\",\"code\":200,\"data\":{}}", m[0].Text);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/event/property/post", m[1].Topic);
            Assert.Equal(1, m[1].Qos);
            Assert.Equal("{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Power\":{\"value\":1,\"time\":" + Time + "},\"Target\":{\"value\":12.50,\"time\":" + Time + "}},\"method\":\"thing.event.property.post\"}", m[1].Text);
            Assert.Equal(new[] { "Power=True", "Target=12.5" }, f.SetCalls);
            Assert.Equal(true, f.Model.GetValue("Power"));

            // The same values again: replied, applied, but nothing changed so nothing is posted.
            f.Publisher.Clear();
            f.Send(f.Sys("thing/service/property/set"), "{\"id\":7,\"params\":{\"Target\":12.5}}");
            Assert.Equal("{\"id\":\"7\",\"code\":200,\"data\":{}}", Assert.Single(f.Publisher.Messages).Text);
        }

        [Theory]
        [InlineData("{\"id\":\"5\",\"params\":{\"Target\":12.5,\"Power\":2}}", "property Power: expected 0 or 1")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Target\":100.5}}", "property Target: above maximum 100")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Target\":\"12\"}}", "property Target: expected number")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Target\":1,\"Ghost\":1}}", "property Ghost: unknown")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Temp\":20.0}}", "property Temp: read-only")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Mode\":3}}", "property Mode: not one of the enum values")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Label\":\"12345678901234567\"}}", "property Label: longer than 16 characters")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Count\":1.5}}", "property Count: expected integer")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Count\":-1}}", "property Count: below minimum 0")]
        [InlineData("{\"id\":\"5\",\"params\":{\"Stamp\":\"yesterday\"}}", "property Stamp: expected UTC milliseconds")]
        [InlineData("{\"id\":\"5\",\"params\":{}}", "field params: empty")]
        [InlineData("{\"id\":\"5\",\"params\":[1]}", "field params: expected object")]
        [InlineData("{\"id\":\"5\",\"method\":\"thing.service.property.get\",\"params\":{\"Target\":1}}", "method does not match the topic (expected thing.service.property.set)")]
        public void A_bad_set_changes_nothing_and_is_answered_460_naming_the_field(string request, string message)
        {
            var f = new ThingFixture();
            Assert.Null(f.Model.SetValue("Target", 50));
            f.Send(f.Sys("thing/service/property/set"), request);
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal(f.Topics.PropertySetReply, m.Topic);
            Assert.Equal("{\"id\":\"5\",\"code\":460,\"data\":{},\"message\":\"" + message + "\"}", m.Text);
            Assert.Empty(f.SetCalls);
            Assert.Equal(50.0, f.Model.GetValue("Target"));
            Assert.Null(f.Model.GetValue("Power"));

            // ... and the device keeps serving.
            f.Publisher.Clear();
            f.Send(f.Sys("thing/service/property/set"), "{\"id\":\"6\",\"params\":{\"Target\":1}}");
            Assert.Equal("{\"id\":\"6\",\"code\":200,\"data\":{}}", f.Publisher.Messages[0].Text);
        }

        [Fact]
        public void A_setter_refusal_is_answered_400_and_what_was_applied_is_posted()
        {
            var f = new ThingFixture { PowerRefusal = "relay stuck" };
            f.Send(f.Sys("thing/service/property/set"), "{\"id\":\"9\",\"params\":{\"Power\":1,\"Target\":3}}");
            var m = f.Publisher.Messages;
            Assert.Equal("{\"id\":\"9\",\"code\":400,\"data\":{},\"message\":\"property Power: relay stuck\"}", m[0].Text);
            Assert.Single(m);
            Assert.Null(f.Model.GetValue("Power"));
        }

        [Fact]
        public void Property_get_returns_current_values_in_request_order()
        {
            var f = new ThingFixture();
            f.Model.SetValue("Temp", 21.04);
            f.Model.SetValue("Power", false);
            f.Send(f.Sys("thing/service/property/get"), "{\"id\":\"11\",\"version\":\"1.0\",\"params\":[\"Power\",\"Temp\",\"Label\"],\"method\":\"thing.service.property.get\"}");
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/service/property/get_reply", m.Topic);
            Assert.Equal(0, m.Qos);
            Assert.Equal("{\"id\":\"11\",\"code\":200,\"data\":{\"Power\":0,\"Temp\":21.0}}", m.Text);
            f.Publisher.Clear();
            f.Send(f.Sys("thing/service/property/get"), "{\"id\":\"12\",\"params\":[\"Nope\"]}");
            Assert.Equal("{\"id\":\"12\",\"code\":460,\"data\":{},\"message\":\"property Nope: unknown\"}", f.Publisher.Messages[0].Text);
        }

        [Fact]
        public void Async_service_is_answered_on_its_reply_topic()
        {
            var f = new ThingFixture();
            f.Send(f.Sys("thing/service/Reset"), "{\"id\":\"21\",\"version\":\"1.0\",\"params\":{\"Delay\":5},\"method\":\"thing.service.Reset\"}");
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/service/Reset_reply", m.Topic);
            Assert.Equal(0, m.Qos);
            Assert.Equal("{\"id\":\"21\",\"code\":200,\"data\":{\"Done\":1,\"Took\":1.3}}", m.Text);
            Assert.Equal(new[] { "Reset:Delay=5" }, f.ServiceCalls);
        }

        [Fact]
        public void Sync_service_without_ext_is_answered_on_rrpc_response()
        {
            var f = new ThingFixture();
            f.Send(f.Sys("rrpc/request/1234567890123456789"), "{\"id\":\"22\",\"version\":\"1.0\",\"params\":{},\"method\":\"thing.service.Reset\"}");
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/rrpc/response/1234567890123456789", m.Topic);
            Assert.Equal(0, m.Qos);
            Assert.Equal("{\"id\":\"22\",\"code\":200,\"data\":{\"Done\":1,\"Took\":1.3}}", m.Text);
        }

        [Fact]
        public void Sync_service_with_ext_is_answered_on_the_same_topic_and_its_echo_ignored()
        {
            var f = new ThingFixture();
            string topic = "/ext/rrpc/abc-42/sys/a1B2c3D4e5F/dev1/thing/service/Reset";
            f.Send(topic, "{\"id\":\"23\",\"version\":\"1.0\",\"params\":{\"Delay\":1},\"method\":\"thing.service.Reset\"}");
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal(topic, m.Topic);
            Assert.Equal(0, m.Qos);
            Assert.Equal("{\"id\":\"23\",\"code\":200,\"data\":{\"Done\":1,\"Took\":1.3}}", m.Text);

            // The broker hands our own reply back (we are subscribed to /ext/rrpc/+/...): not a new request.
            Assert.True(f.Dispatcher.Handle(topic, m.Payload));
            Assert.Single(f.Publisher.Messages);
            Assert.Single(f.ServiceCalls);
        }

        [Fact]
        public void A_declared_service_output_with_a_bad_value_is_answered_400_and_never_put_on_the_wire()
        {
            var f = new ThingFixture();
            f.Model.AddService(
                new ServiceDefinition("Hot", false).AddOutput(PropertyDefinition.Int("Temp", 0, 10, PropertyAccess.ReadOnly)),
                (s, i, o) => o["Temp"] = 11);
            f.Send(f.Sys("thing/service/Hot"), "{\"id\":\"41\"}");
            Assert.Equal("{\"id\":\"41\",\"code\":400,\"data\":{},\"message\":\"service Hot output Temp: above maximum 10\"}", Assert.Single(f.Publisher.Messages).Text);
            Assert.Equal(1, f.Dispatcher.HandlerFailureCount);
            Assert.True(f.Log.Contains("service Hot output Temp: above maximum 10"));
        }

        [Fact]
        public void Handler_failures_become_error_replies_and_the_dispatcher_keeps_serving()
        {
            var f = new ThingFixture();
            f.Send(f.Sys("thing/service/Boom"), "{\"id\":\"31\",\"params\":{}}");
            f.Send(f.Sys("thing/service/Busy"), "{\"id\":\"32\"}");
            f.Send(f.Sys("thing/service/BadOut"), "{\"id\":\"33\"}");
            f.Send(f.Sys("thing/service/Ghost"), "{\"id\":\"34\"}");
            f.Send(f.Sys("thing/service/Reset"), "{\"id\":\"35\",\"params\":{\"Delay\":61}}");
            f.Send(f.Sys("thing/service/Reset"), "{\"id\":\"36\",\"params\":{\"Delay\":1}}");
            var m = f.Publisher.Messages;
            Assert.Equal("{\"id\":\"31\",\"code\":400,\"data\":{},\"message\":\"service Boom failed\"}", m[0].Text);
            Assert.Equal("{\"id\":\"32\",\"code\":100123,\"data\":{},\"message\":\"busy, try later\"}", m[1].Text);
            Assert.Equal("{\"id\":\"33\",\"code\":400,\"data\":{},\"message\":\"service BadOut output Nope: not declared\"}", m[2].Text);
            Assert.Equal("{\"id\":\"34\",\"code\":460,\"data\":{},\"message\":\"service Ghost: unknown\"}", m[3].Text);
            Assert.Equal("{\"id\":\"35\",\"code\":460,\"data\":{},\"message\":\"service Reset input Delay: above maximum 60\"}", m[4].Text);
            Assert.Equal("{\"id\":\"36\",\"code\":200,\"data\":{\"Done\":1,\"Took\":1.3}}", m[5].Text);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/service/Ghost_reply", m[3].Topic);
            Assert.True(f.Log.Contains("service Boom threw: kaboom"));
        }

        [Fact]
        public void Malformed_rrpc_is_answered_460_without_an_id_and_async_garbage_is_not_answered()
        {
            var f = new ThingFixture();
            f.Send(f.Sys("rrpc/request/77"), "{\"id\":\"1\",");
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/rrpc/response/77", m.Topic);
            Assert.Equal("{\"code\":460,\"data\":{},\"message\":\"malformed request: unbalanced brackets (truncated document)\"}", m.Text);
            f.Publisher.Clear();
            f.Send(f.Sys("thing/service/property/set"), "{\"params\":{\"Power\":1}}");
            f.Send(f.Sys("thing/service/property/set"), "not json");
            Assert.Empty(f.Publisher.Messages);
            Assert.True(f.Log.Contains("field id: missing"));
        }

        [Theory]
        [InlineData("/sys/a1B2c3D4e5F/dev1/rrpc/request/")]
        [InlineData("/sys/a1B2c3D4e5F/dev1/rrpc/request/a/b")]
        [InlineData("/sys/a1B2c3D4e5F/dev1/rrpc/request/a+b")]
        [InlineData("/sys/a1B2c3D4e5F/dev1/rrpc/request/a#")]
        [InlineData("/sys/a1B2c3D4e5F/dev1/rrpc/request/a b")]
        [InlineData("/ext/rrpc//sys/a1B2c3D4e5F/dev1/thing/service/Reset")]
        [InlineData("/ext/rrpc/a+b/sys/a1B2c3D4e5F/dev1/thing/service/Reset")]
        [InlineData("/sys/otherPK/dev1/thing/service/Reset")]
        [InlineData("/sys/a1B2c3D4e5F/dev2/thing/service/property/set")]
        [InlineData("/ext/rrpc/1/sys/a1B2c3D4e5F/dev2/thing/service/Reset")]
        [InlineData("/sys/a1B2c3D4e5F/dev1/thing/service/Re.set")]
        public void Unsafe_or_foreign_topics_are_never_answered(string topic)
        {
            var f = new ThingFixture();
            Assert.True(f.Send(topic, "{\"id\":\"1\",\"params\":{},\"method\":\"thing.service.Reset\"}"));
            Assert.Empty(f.Publisher.Messages);
            Assert.Empty(f.ServiceCalls);
            Assert.Equal(1, f.Dispatcher.RefusedCount);
        }

        [Fact]
        public void Long_rrpc_ids_are_refused_and_64_characters_accepted()
        {
            var f = new ThingFixture();
            string ok = new string('7', 64);
            f.Send(f.Sys("rrpc/request/" + ok), "{\"id\":\"1\",\"method\":\"thing.service.Reset\"}");
            Assert.Equal(f.Sys("rrpc/response/" + ok), Assert.Single(f.Publisher.Messages).Topic);
            f.Send(f.Sys("rrpc/request/" + ok + "7"), "{\"id\":\"1\",\"method\":\"thing.service.Reset\"}");
            Assert.Single(f.Publisher.Messages);
        }

        [Fact]
        public void Other_components_topics_are_left_to_them()
        {
            var f = new ThingFixture();
            Assert.False(f.Send("/ota/device/upgrade/a1B2c3D4e5F/dev1", "{}"));
            Assert.False(f.Send("/ext/ntp/a1B2c3D4e5F/dev1/response", "{}"));
            Assert.False(f.Send(f.Sys("thing/ota/firmware/get_reply"), "{}"));
            Assert.True(f.Send(f.Sys("thing/service/Reset_reply"), "{}")); // our own echo
            Assert.Empty(f.Publisher.Messages);
        }

        [Fact]
        public void Raw_user_and_broadcast_messages_reach_their_handlers()
        {
            var f = new ThingFixture();
            var seen = new List<string>();
            f.Dispatcher.DownRawHandler = (t, p) => { seen.Add("down:" + t); return new byte[] { 0xCA, 0xFE }; };
            f.Dispatcher.RawRrpcHandler = (t, p) => { seen.Add("rrpc:" + p.Length); return new byte[] { 1 }; };
            f.Dispatcher.UserRrpcHandler = (t, p) => new byte[] { 2 };
            f.Dispatcher.UpRawReplyHandler = (t, p) => seen.Add("upreply:" + p[0]);
            f.Dispatcher.UserMessageHandler = (t, p) => seen.Add("user:" + t);
            f.Dispatcher.BroadcastHandler = (t, p) => seen.Add("bc:" + t);
            f.Dispatcher.Handle(f.Sys("thing/model/down_raw"), new byte[] { 0x01, 0x02 });
            f.Dispatcher.Handle(f.Sys("rrpc/request/99"), new byte[] { 0xFF, 0x00, 0x10 });
            f.Dispatcher.Handle(f.Sys("thing/model/up_raw_reply"), new byte[] { 9 });
            f.Dispatcher.Handle("/a1B2c3D4e5F/dev1/user/get", new byte[] { 3 });
            f.Dispatcher.Handle("/broadcast/a1B2c3D4e5F/news", new byte[] { 4 });
            f.Dispatcher.Handle(f.Sys("broadcast/request/555"), new byte[] { 5 });
            f.Dispatcher.Handle("/ext/rrpc/r1/a1B2c3D4e5F/dev1/user/cmd", new byte[] { 6 });
            f.Dispatcher.Handle("/ext/rrpc/r2/sys/a1B2c3D4e5F/dev1/thing/model/down_raw", new byte[] { 7 });
            Assert.Equal(new[]
            {
                "down:/sys/a1B2c3D4e5F/dev1/thing/model/down_raw", "rrpc:3", "upreply:9", "user:/a1B2c3D4e5F/dev1/user/get",
                "bc:/broadcast/a1B2c3D4e5F/news", "bc:/sys/a1B2c3D4e5F/dev1/broadcast/request/555",
                "down:/ext/rrpc/r2/sys/a1B2c3D4e5F/dev1/thing/model/down_raw",
            }, seen);
            var m = f.Publisher.Messages;
            Assert.Equal(4, m.Length);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/model/down_raw_reply", m[0].Topic);
            Assert.Equal(new byte[] { 0xCA, 0xFE }, m[0].Payload);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/rrpc/response/99", m[1].Topic);
            Assert.Equal("/ext/rrpc/r1/a1B2c3D4e5F/dev1/user/cmd", m[2].Topic);
            Assert.Equal("/ext/rrpc/r2/sys/a1B2c3D4e5F/dev1/thing/model/down_raw", m[3].Topic);
            Assert.All(m, x => Assert.Equal(0, x.Qos));
        }

        [Fact]
        public void Up_raw_and_user_publishes_use_device_topics()
        {
            var f = new ThingFixture();
            f.Reporter.PostRaw(new byte[] { 1, 2 });
            f.Reporter.PublishUser("update", new byte[] { 3 }, 0);
            Assert.Throws<ArgumentException>(() => f.Reporter.PublishUser("../x", new byte[] { 3 }, 0));
            Assert.Throws<ArgumentException>(() => f.Reporter.PublishUser("a/+", new byte[] { 3 }, 0));
            var m = f.Publisher.Messages;
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/model/up_raw", m[0].Topic);
            Assert.Equal(1, m[0].Qos);
            Assert.Equal("/a1B2c3D4e5F/dev1/user/update", m[1].Topic);
            Assert.Equal(2, m.Length);
        }

        [Fact]
        public void Subscriptions_cover_every_topic_the_dispatcher_handles()
        {
            var f = new ThingFixture();
            f.Dispatcher.SubscribeUserTopic("get");
            f.Dispatcher.SubscribeBroadcastTopic("+");
            var list = new ArrayList();
            f.Dispatcher.AddSubscriptions(list);
            Assert.Equal(new object[]
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
                "/broadcast/a1B2c3D4e5F/+",
            }, list.ToArray());
        }
    }
}
