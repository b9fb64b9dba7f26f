using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Shadow;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Shadow
{
    /// <summary>
    /// The exact bytes DeviceShadow sends (Link SDK 4.x shadow_private.h formats; aliyun-protocol.md §3.14) and what it
    /// does with every kind of downlink on /shadow/get: replies, control pushes, stale versions, malformed messages.
    /// </summary>
    public sealed class ShadowWireFormatTests
    {
        private const string Update = "/shadow/update/a1B2c3D4e5F/dev1";
        private const string Get = "/shadow/get/a1B2c3D4e5F/dev1";

        private readonly CapturingPublisher _publisher = new CapturingPublisher();
        private readonly CapturingLog _log = new CapturingLog();
        private readonly List<ShadowReply> _replies = new List<ShadowReply>();
        private readonly List<string> _applied = new List<string>();
        private DeviceShadow _shadow;

        public ShadowWireFormatTests()
        {
            Make(0);
        }

        private void Make(long lastVersion)
        {
            _shadow = new DeviceShadow(new DeviceTopics("a1B2c3D4e5F", "dev1"), _publisher, _log, 4096, lastVersion);
            _shadow.Replied = r => _replies.Add(r);
            _shadow.DesiredReceived = (desired, version) =>
            {
                _applied.Add(version + ":" + (string)desired["mode"]);
                var applied = new Hashtable();
                applied["mode"] = desired["mode"];
                return applied;
            };
        }

        private bool Receive(string json) => _shadow.Handle(Get, Encoding.UTF8.GetBytes(json));

        private static Hashtable Reported(params object[] pairs)
        {
            var table = new Hashtable();
            for (int i = 0; i < pairs.Length; i += 2)
            {
                table[pairs[i]] = pairs[i + 1];
            }

            return table;
        }

        [Fact]
        public void Get_is_the_sdks_literal_on_the_update_topic_at_qos_0()
        {
            Assert.Equal(PublishStatus.Sent, _shadow.Get());

            Published sent = Assert.Single(_publisher.Messages);
            Assert.Equal(Update, sent.Topic);
            Assert.Equal("{\"method\":\"get\"}", sent.Text);
            Assert.Equal(0, sent.Qos);
        }

        [Fact]
        public void Updates_carry_the_reported_state_in_key_order_and_the_next_version_at_qos_1()
        {
            Make(41);
            _shadow.UpdateReported(Reported("temp", 21.5, "color", "red", "on", true, "count", 3));
            _shadow.UpdateReported(Reported("color", "blue"));

            Published[] sent = _publisher.Messages;
            Assert.Equal(Update, sent[0].Topic);
            Assert.Equal(1, sent[0].Qos);
            Assert.Equal("{\"method\":\"update\",\"state\":{\"reported\":{\"color\":\"red\",\"count\":3,\"on\":true,\"temp\":21.5}},\"version\":42}", sent[0].Text);
            Assert.Equal("{\"method\":\"update\",\"state\":{\"reported\":{\"color\":\"blue\"}},\"version\":43}", sent[1].Text);
        }

        [Fact]
        public void Delete_and_clear_desired_use_the_null_text_of_the_platform()
        {
            _shadow.DeleteReported(new[] { "color", "temp" });
            _shadow.DeleteReported(null);
            _shadow.ClearDesired();

            Published[] sent = _publisher.Messages;
            Assert.Equal("{\"method\":\"delete\",\"state\":{\"reported\":{\"color\":\"null\",\"temp\":\"null\"}},\"version\":1}", sent[0].Text);
            Assert.Equal("{\"method\":\"delete\",\"state\":{\"reported\":\"null\"},\"version\":2}", sent[1].Text);
            Assert.Equal("{\"method\":\"update\",\"state\":{\"desired\":\"null\"},\"version\":3}", sent[2].Text);
            Assert.All(sent, m => Assert.Equal(1, m.Qos));
        }

        [Fact]
        public void A_reported_state_the_platform_would_refuse_is_not_sent()
        {
            var tooMany = new Hashtable();
            for (int i = 0; i < 129; i++)
            {
                tooMany["k" + i] = i;
            }

            Assert.Contains("408", Assert.Throws<ArgumentException>(() => _shadow.UpdateReported(tooMany)).Message);
            Assert.Contains("405", Assert.Throws<ArgumentException>(() => _shadow.UpdateReported(new Hashtable())).Message);
            Assert.Throws<ArgumentException>(() => _shadow.DeleteReported(new string[0]));
            Assert.Empty(_publisher.Messages);
            Assert.Equal(0, _shadow.Version);
        }

        [Fact]
        public void A_newer_control_is_applied_then_reported_and_the_desired_state_cleared()
        {
            Make(5);
            Assert.True(Receive("{\"method\":\"control\",\"payload\":{\"status\":\"success\",\"state\":{\"reported\":{\"mode\":\"off\"},\"desired\":{\"mode\":\"eco\"}},\"metadata\":{\"desired\":{\"mode\":{\"timestamp\":1469564576}}}},\"version\":7,\"timestamp\":1469564576}"));

            Assert.Equal(new[] { "7:eco" }, _applied);
            Published[] sent = _publisher.Messages;
            Assert.Equal(2, sent.Length);
            Assert.Equal("{\"method\":\"update\",\"state\":{\"reported\":{\"mode\":\"eco\"}},\"version\":8}", sent[0].Text);
            Assert.Equal("{\"method\":\"update\",\"state\":{\"desired\":\"null\"},\"version\":9}", sent[1].Text);
        }

        [Theory]
        [InlineData(7)]
        [InlineData(6)]
        public void A_control_whose_version_is_not_newer_is_refused_with_the_platforms_version_conflict(long version)
        {
            Make(7);
            Receive("{\"method\":\"control\",\"payload\":{\"status\":\"success\",\"state\":{\"desired\":{\"mode\":\"eco\"}}},\"version\":" + version + ",\"timestamp\":1}");

            Assert.Empty(_applied);
            Assert.Empty(_publisher.Messages);
            Assert.Equal(1, _shadow.StaleRefused);
            Assert.Equal(7, _shadow.Version);
            Assert.True(_log.Contains("409 shadow version conflict"), string.Join("\n", _log.Lines));
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("[1,2]")]
        [InlineData("{\"method\":\"control\",\"payload\":{\"state\":{\"desired\":{\"mode\":\"eco\"}}}}")]
        [InlineData("{\"method\":\"control\",\"payload\":{\"state\":{\"desired\":\"eco\"}},\"version\":9}")]
        [InlineData("{\"method\":\"control\",\"payload\":{\"state\":{\"desired\":{\"mode\":\"eco\"}}},\"version\":\"nine\"}")]
        [InlineData("{\"method\":\"control\",\"version\":9}")]
        [InlineData("{\"method\":\"push\",\"payload\":{},\"version\":9}")]
        [InlineData("{\"method\":\"reply\",\"payload\":{\"status\":\"maybe\"}}")]
        public void A_malformed_message_changes_nothing_and_is_counted(string json)
        {
            Make(3);
            Assert.True(Receive(json));

            Assert.Empty(_applied);
            Assert.Empty(_replies);
            Assert.Empty(_publisher.Messages);
            Assert.Equal(3, _shadow.Version);
            Assert.Equal(1, _shadow.MalformedRefused);
        }

        [Fact]
        public void A_success_reply_advances_the_version()
        {
            Receive("{\"method\":\"reply\",\"payload\":{\"status\":\"success\",\"version\":12},\"timestamp\":1469564576}");

            Assert.Equal(12, _shadow.Version);
            ShadowReply reply = Assert.Single(_replies);
            Assert.True(reply.Success);
            Assert.Equal(200, reply.ErrorCode);
            Assert.False(reply.IsGetReply);
            _shadow.UpdateReported(Reported("mode", "on"));
            Assert.EndsWith(",\"version\":13}", _publisher.Messages[0].Text);
        }

        [Fact]
        public void A_version_conflict_reply_is_surfaced_and_the_shadow_fetched_again()
        {
            Receive("{\"method\":\"reply\",\"payload\":{\"status\":\"error\",\"content\":{\"errorcode\":\"409\",\"errormessage\":\"shadow version conflict\"}},\"timestamp\":1469564576}");

            ShadowReply reply = Assert.Single(_replies);
            Assert.False(reply.Success);
            Assert.Equal(409, reply.ErrorCode);
            Assert.Equal("shadow version conflict", reply.ErrorMessage);
            Assert.Equal(1, _shadow.ErrorReplies);
            Assert.Equal("{\"method\":\"get\"}", Assert.Single(_publisher.Messages).Text);
        }

        [Fact]
        public void A_get_reply_is_the_clouds_truth_and_its_desired_state_is_applied()
        {
            Make(50);
            Receive("{\"method\":\"reply\",\"payload\":{\"status\":\"success\",\"state\":{\"reported\":{\"mode\":\"off\"},\"desired\":{\"mode\":\"eco\"}},\"metadata\":{}},\"version\":3,\"timestamp\":1469564576}");

            ShadowReply reply = Assert.Single(_replies);
            Assert.True(reply.IsGetReply);
            Assert.Equal(3, reply.Version);
            Assert.Equal("off", (string)reply.Reported["mode"]);
            Assert.Equal(new[] { "3:eco" }, _applied);
            Assert.Equal("{\"method\":\"update\",\"state\":{\"reported\":{\"mode\":\"eco\"}},\"version\":4}", _publisher.Messages[0].Text);
            Assert.Equal("{\"method\":\"update\",\"state\":{\"desired\":\"null\"},\"version\":5}", _publisher.Messages[1].Text);
        }

        [Fact]
        public void A_get_reply_that_predates_the_devices_own_requests_neither_rewinds_the_version_nor_applies_twice()
        {
            Make(4);
            Receive("{\"method\":\"control\",\"payload\":{\"status\":\"success\",\"state\":{\"desired\":{\"mode\":\"away\"}}},\"version\":5,\"timestamp\":1}");
            Assert.Equal(2, _publisher.Messages.Length);

            // The get sent at reconnect is answered with the state before the acknowledgement (versions 6, 7) arrived.
            Receive("{\"method\":\"reply\",\"payload\":{\"status\":\"success\",\"state\":{\"desired\":{\"mode\":\"away\"}}},\"version\":5,\"timestamp\":1}");

            Assert.Equal(new[] { "5:away" }, _applied);
            Assert.Equal(2, _publisher.Messages.Length);
            _shadow.ClearDesired();
            Assert.EndsWith(",\"version\":8}", _publisher.Messages[2].Text);
        }

        [Fact]
        public void Only_its_own_get_topic_is_taken_and_it_is_subscribed()
        {
            Assert.False(_shadow.Handle("/shadow/get/a1B2c3D4e5F/other", Encoding.UTF8.GetBytes("{}")));
            Assert.False(_shadow.Handle("/sys/a1B2c3D4e5F/dev1/thing/service/property/set", Encoding.UTF8.GetBytes("{}")));
            var topics = new ArrayList();
            _shadow.AddSubscriptions(topics);
            Assert.Equal(new object[] { Get }, topics.ToArray());
        }
    }
}
