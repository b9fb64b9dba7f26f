using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Thing;
using Xunit;

namespace AliyunIot.Tests.Thing
{
    public class ThingReporterTests
    {
        private const string Time = "1767225600000";

        [Fact]
        public void Post_reply_with_a_platform_code_is_surfaced_and_matched_by_id_and_topic()
        {
            var f = new ThingFixture();
            var outcomes = new List<RequestOutcome>();
            f.Reporter.PostCompleted = outcomes.Add;
            f.Reporter.ReportProperty("Temp", 20.0);
            Assert.Equal(1, f.Reporter.Pending.Count);

            // Same id on another reply topic: not ours.
            f.Send(f.Sys("thing/event/Alarm/post_reply"), "{\"code\":200,\"data\":{},\"id\":\"1\",\"message\":\"success\",\"version\":\"1.0\"}");
            Assert.Empty(outcomes);

            f.Send(f.Sys("thing/event/property/post_reply"), "{\"code\":6813,\"data\":{},\"id\":1,\"message\":\"The format of result is error!\",\"method\":\"thing.event.property.post\",\"version\":\"1.0.0\"}");
            var o = Assert.Single(outcomes);
            Assert.Equal(RequestStatus.Replied, o.Status);
            Assert.Equal(6813, o.Code);
            Assert.False(o.Succeeded);
            Assert.Equal("The format of result is error!", o.Message);
            Assert.Equal(6813, f.Reporter.LastReplyCode);
            Assert.Equal(1, f.Reporter.FailedPosts);
            Assert.True(f.Log.Contains("thing.event.property.post 1 refused by the cloud: 6813 result format error (The format of result is error!)"));
            Assert.Equal(0, f.Reporter.Pending.Count);
            Assert.DoesNotContain(f.Publisher.Messages, m => m.Topic.EndsWith("_reply"));
        }

        [Fact]
        public void Successful_reply_and_timeout_end_requests_clearly()
        {
            var f = new ThingFixture();
            var outcomes = new List<RequestOutcome>();
            f.Reporter.PostCompleted = outcomes.Add;
            f.Reporter.ReportProperty("Temp", 20.0);
            f.Reporter.PostEvent("Alarm", new Hashtable { ["Level"] = 1 });
            f.Send(f.Sys("thing/event/property/post_reply"), "{\"code\":200,\"data\":{},\"id\":\"1\",\"message\":\"success\"}");
            Assert.True(outcomes[0].Succeeded);
            f.Clock.Advance(9999);
            f.Reporter.Tick();
            Assert.Single(outcomes);
            f.Clock.Advance(1);
            f.Reporter.Tick();
            Assert.Equal(2, outcomes.Count);
            Assert.Equal(RequestStatus.TimedOut, outcomes[1].Status);
            Assert.Equal("thing.event.Alarm.post", outcomes[1].Method);
            Assert.Equal("no reply within 10000 ms", outcomes[1].Message);
            Assert.Equal(f.Sys("thing/event/Alarm/post_reply"), outcomes[1].ReplyTopic);
        }

        [Fact]
        public void Readings_taken_offline_are_delivered_as_one_history_post_with_their_times_when_online()
        {
            var f = new ThingFixture();
            f.Reporter.Online = false;
            f.Reporter.ReportProperty("Temp", 20.0);
            f.Clock.Advance(1000);
            f.Reporter.ReportProperty("Temp", 21.0);
            f.Reporter.PostEvent("Alarm", new Hashtable { ["Level"] = 2 });
            f.Reporter.ReportProperty("Count", 5);
            Assert.Empty(f.Publisher.Messages);
            Assert.Equal(4, f.Reporter.BufferedReadings);

            f.Reporter.Online = true;
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/event/property/history/post", m.Topic);
            Assert.Equal(1, m.Qos);

            // Layout of "Report the historical data of a TSL model" (help.aliyun.com/document_detail/89301.html):
            // identity, then arrays of objects keyed by identifier; Temp at T0 and Temp at T0+1 s cannot share one.
            Assert.Equal(
                "{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":[{\"identity\":{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"dev1\"},"
                + "\"properties\":[{\"Temp\":{\"value\":20.0,\"time\":1767225600000}},{\"Temp\":{\"value\":21.0,\"time\":1767225601000},\"Count\":{\"value\":5,\"time\":1767225601000}}],"
                + "\"events\":[{\"Alarm\":{\"value\":{\"Level\":2},\"time\":1767225601000}}]}],\"method\":\"thing.event.property.history.post\"}",
                m.Text);
            Assert.Equal(0, f.Reporter.BufferedReadings);
            Assert.Equal(0, f.Reporter.DroppedReadings);
        }

        [Fact]
        public void Refused_posts_are_kept_and_a_full_buffer_counts_what_it_drops()
        {
            var f = new ThingFixture(); // buffer of 8
            f.Publisher.Status = PublishStatus.InFlightFull;
            for (int i = 0; i < 10; i++)
            {
                Assert.Null(f.Reporter.ReportProperty("Count", i));
            }

            Assert.Equal(8, f.Reporter.BufferedReadings);
            Assert.Equal(2, f.Reporter.DroppedReadings);
            Assert.Equal(2, f.Log.Count("oldest reading dropped"));

            f.Publisher.Clear();
            f.Publisher.Status = PublishStatus.Sent;
            f.Reporter.Tick();
            var m = Assert.Single(f.Publisher.Messages);
            Assert.Contains("\"properties\":[{\"Count\":{\"value\":2,", m.Text);
            Assert.Contains("{\"value\":9,", m.Text);
            Assert.Equal(0, f.Reporter.BufferedReadings);
        }

        [Fact]
        public void A_refused_multi_property_post_is_delivered_later_with_the_values_it_carried()
        {
            var f = new ThingFixture();
            Assert.Null(f.Model.SetValue("Temp", 20.0));
            Assert.Null(f.Model.SetValue("Count", 5));
            f.Publisher.Status = PublishStatus.InFlightFull;

            // Label was never set: it is not posted and not buffered. Order is declaration order, not call order.
            Assert.Null(f.Reporter.PostProperties(new[] { "Count", "Label", "Temp" }));
            var refused = Assert.Single(f.Publisher.Messages);
            Assert.Equal(
                "{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Temp\":{\"value\":20.0,\"time\":" + Time + "},\"Count\":{\"value\":5,\"time\":" + Time + "}},\"method\":\"thing.event.property.post\"}",
                refused.Text);
            Assert.Equal(2, f.Reporter.BufferedReadings);
            Assert.Equal(0, f.Reporter.Pending.Count);

            // Values change after the refusal: the buffer still holds what was taken at the time of the post.
            Assert.Null(f.Model.SetValue("Temp", 30.0));
            Assert.Null(f.Model.SetValue("Count", 6));
            f.Clock.Advance(1000);
            f.Publisher.Clear();
            f.Publisher.Status = PublishStatus.Sent;
            f.Reporter.Tick();
            var batch = Assert.Single(f.Publisher.Messages);
            Assert.Equal(
                "{\"id\":\"2\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":[{\"identity\":{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"dev1\"},\"properties\":[{\"Temp\":{\"value\":20.0,\"time\":" + Time + "},\"Count\":{\"value\":5,\"time\":" + Time + "}}],\"events\":[]}],\"method\":\"thing.event.property.history.post\"}",
                batch.Text);
            Assert.Equal(0, f.Reporter.BufferedReadings);
            Assert.Equal(0, f.Reporter.DroppedReadings);

            // The next post goes out directly with the current values, and nothing is buffered again.
            f.Publisher.Clear();
            Assert.Null(f.Reporter.PostProperties(new[] { "Temp", "Count" }));
            var post = Assert.Single(f.Publisher.Messages);
            Assert.Equal(
                "{\"id\":\"3\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Temp\":{\"value\":30.0,\"time\":1767225601000},\"Count\":{\"value\":6,\"time\":1767225601000}},\"method\":\"thing.event.property.post\"}",
                post.Text);
            Assert.Equal(0, f.Reporter.BufferedReadings);
        }

        [Fact]
        public void A_post_naming_an_unknown_property_sends_and_buffers_nothing()
        {
            var f = new ThingFixture();
            Assert.Null(f.Model.SetValue("Temp", 20.0));
            Assert.Equal("property Nope: unknown", f.Reporter.PostProperties(new[] { "Temp", "Nope" }));
            f.Reporter.Online = false;
            Assert.Equal("property Nope: unknown", f.Reporter.PostProperties(new[] { "Temp", "Nope" }));
            Assert.Empty(f.Publisher.Messages);
            Assert.Equal(0, f.Reporter.BufferedReadings);
            Assert.Equal(0, f.Reporter.Pending.Count);
        }

        [Fact]
        public void History_posts_are_split_to_fit_the_payload_limit()
        {
            var f = new ThingFixture(maxPayloadBytes: 300);
            f.Reporter.Online = false;
            for (int i = 0; i < 8; i++)
            {
                f.Reporter.ReportProperty("Count", i);
            }

            f.Reporter.Online = true;
            var messages = f.Publisher.Messages;
            Assert.True(messages.Length > 1);
            Assert.All(messages, m => Assert.True(m.Payload.Length <= 300));
            Assert.Equal(8, messages.Sum(m => m.Text.Split("\"value\"").Length - 1));
            Assert.Equal(0, f.Reporter.DroppedReadings);
        }

        [Fact]
        public void More_readings_than_one_history_post_may_carry_are_split_in_order_and_none_is_lost()
        {
            var f = new ThingFixture(maxPayloadBytes: 65536, bufferCapacity: 300);
            f.Reporter.Online = false;
            for (int i = 0; i < 250; i++)
            {
                f.Reporter.ReportProperty("Count", i);
                f.Clock.Advance(1000);
            }

            f.Reporter.Online = true;
            var messages = f.Publisher.Messages;
            Assert.Equal(2, messages.Length);
            Assert.All(messages, m => Assert.Equal("/sys/a1B2c3D4e5F/dev1/thing/event/property/history/post", m.Topic));
            Assert.Equal(199, messages[0].Text.Split("\"value\"").Length - 1);
            Assert.Equal(51, messages[1].Text.Split("\"value\"").Length - 1);
            Assert.StartsWith("{\"id\":\"1\",", messages[0].Text);
            Assert.Contains("[{\"Count\":{\"value\":0,\"time\":1767225600000}},{\"Count\":{\"value\":1,\"time\":1767225601000}},", messages[0].Text);
            Assert.EndsWith("{\"Count\":{\"value\":198,\"time\":1767225798000}}],\"events\":[]}],\"method\":\"thing.event.property.history.post\"}", messages[0].Text);
            Assert.Contains("\"properties\":[{\"Count\":{\"value\":199,\"time\":1767225799000}},", messages[1].Text);
            Assert.Contains("{\"Count\":{\"value\":249,\"time\":1767225849000}}]", messages[1].Text);
            Assert.Equal(0, f.Reporter.BufferedReadings);
            Assert.Equal(0, f.Reporter.DroppedReadings);
            Assert.Equal(2, f.Reporter.Pending.Count);
        }

        [Fact]
        public void A_history_post_refused_by_the_cloud_is_reported_with_the_platform_code()
        {
            var f = new ThingFixture();
            var outcomes = new List<RequestOutcome>();
            f.Reporter.PostCompleted = outcomes.Add;
            f.Reporter.Online = false;
            f.Reporter.ReportProperty("Count", 1);
            f.Reporter.Online = true;
            f.Send(f.Sys("thing/event/property/history/post_reply"), "{\"code\":460,\"data\":{},\"id\":\"1\",\"message\":\"request parameter error\",\"method\":\"thing.event.property.history.post\",\"version\":\"1.0\"}");
            var o = Assert.Single(outcomes);
            Assert.Equal(RequestStatus.Replied, o.Status);
            Assert.Equal(460, o.Code);
            Assert.Equal("thing.event.property.history.post", o.Method);
            Assert.Equal(1, f.Reporter.FailedPosts);
            Assert.True(f.Log.Contains("thing.event.property.history.post 1 refused by the cloud: 460"));
        }

        [Fact]
        public void Values_are_validated_before_they_are_stored_or_posted()
        {
            var f = new ThingFixture();
            Assert.Equal("property Temp: above maximum 120", f.Reporter.ReportProperty("Temp", 500.0));
            Assert.Equal("property Nope: unknown", f.Reporter.ReportProperty("Nope", 1));
            Assert.Equal("property Temp: expected number", f.Reporter.ReportProperty("Temp", "hot"));
            Assert.Empty(f.Publisher.Messages);
            Assert.Null(f.Model.GetValue("Temp"));
        }

        [Fact]
        public void Ids_count_per_boot_and_wrap()
        {
            var ids = new AlinkIds(4294967294);
            Assert.Equal("4294967295", ids.Next());
            Assert.Equal("1", ids.Next());
        }
    }
}
