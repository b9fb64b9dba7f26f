using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.DeviceInfo;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Shadow
{
    /// <summary>
    /// The exact bytes DeviceTags sends (thing.deviceinfo.update/delete, aliyun-protocol.md §3.16), the platform's
    /// key/value limits checked before sending, and replies matched to their requests.
    /// </summary>
    public sealed class DeviceTagsTests
    {
        private const string Sys = "/sys/a1B2c3D4e5F/dev1/thing/deviceinfo/";
        private readonly CapturingPublisher _publisher = new CapturingPublisher();
        private readonly CapturingLog _log = new CapturingLog();
        private readonly ManualClock _clock = new ManualClock();
        private readonly List<RequestOutcome> _outcomes = new List<RequestOutcome>();
        private readonly DeviceTags _tags;

        public DeviceTagsTests()
        {
            _tags = new DeviceTags(new DeviceTopics("a1B2c3D4e5F", "dev1"), _publisher, new AlinkIds(), _clock, _log, 4096, 5000);
            _tags.Completed = o => _outcomes.Add(o);
        }

        [Fact]
        public void Update_and_delete_are_alink_requests_with_attrKey_and_attrValue_at_qos_1()
        {
            Assert.Null(_tags.Update(new[] { "model", "fw_ver" }, new[] { "ESP32-C3", "1.0.0" }));
            Assert.Null(_tags.Delete(new[] { "model" }));

            Published[] sent = _publisher.Messages;
            Assert.Equal(Sys + "update", sent[0].Topic);
            Assert.Equal("{\"id\":\"1\",\"version\":\"1.0\",\"params\":[{\"attrKey\":\"model\",\"attrValue\":\"ESP32-C3\"},{\"attrKey\":\"fw_ver\",\"attrValue\":\"1.0.0\"}],\"method\":\"thing.deviceinfo.update\"}", sent[0].Text);
            Assert.Equal(Sys + "delete", sent[1].Topic);
            Assert.Equal("{\"id\":\"2\",\"version\":\"1.0\",\"params\":[{\"attrKey\":\"model\"}],\"method\":\"thing.deviceinfo.delete\"}", sent[1].Text);
            Assert.All(sent, m => Assert.Equal(1, m.Qos));
        }

        [Theory]
        [InlineData("9lives", "must not start with a digit")]
        [InlineData("a", "1 characters, the platform takes 2 to 32")]
        [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "33 characters")]
        [InlineData("fw-ver", "only letters, digits and _ are allowed")]
        [InlineData("fw ver", "only letters, digits and _ are allowed")]
        [InlineData("", "a tag key is empty")]
        public void A_key_the_platform_refuses_is_refused_before_sending(string key, string why)
        {
            string problem = _tags.Update(new[] { key }, new[] { "v" });

            Assert.NotNull(problem);
            Assert.Contains(why, problem);
            Assert.Empty(_publisher.Messages);
            Assert.Equal(0, _tags.Pending.Count);
        }

        [Fact]
        public void Values_are_limited_to_128_characters_with_non_ascii_counting_two()
        {
            Assert.Null(_tags.Update(new[] { "ok" }, new[] { new string('x', 128) }));
            Assert.Null(_tags.Update(new[] { "cn" }, new[] { new string('中', 64) }));
            Assert.Contains("129 characters long", _tags.Update(new[] { "long" }, new[] { new string('x', 129) }));
            Assert.Contains("130 characters long", _tags.Update(new[] { "cn" }, new[] { new string('中', 65) }));
            Assert.Contains("control character", _tags.Update(new[] { "nl" }, new[] { "a\nb" }));
            Assert.Contains("empty", _tags.Update(new[] { "empty" }, new[] { string.Empty }));
            Assert.Equal(2, _publisher.Messages.Length);
        }

        [Fact]
        public void Counts_duplicates_and_mismatched_values_are_refused()
        {
            string[] many = Enumerable.Range(0, 101).Select(i => "k" + i).ToArray();
            Assert.Contains("at most 100", _tags.Update(many, many));
            Assert.Contains("appears twice", _tags.Delete(new[] { "ab", "ab" }));
            Assert.Contains("one value per tag key", _tags.Update(new[] { "ab", "cd" }, new[] { "1" }));
            Assert.Contains("no tag given", _tags.Delete(new string[0]));
            Assert.Empty(_publisher.Messages);
        }

        [Fact]
        public void Replies_complete_their_request_by_id_and_topic_with_the_clouds_code()
        {
            _tags.Update(new[] { "model" }, new[] { "ESP32" });
            _tags.Delete(new[] { "gone" });

            Assert.True(_tags.Handle(Sys + "update_reply", Encoding.UTF8.GetBytes("{\"code\":200,\"data\":{},\"id\":\"1\",\"message\":\"success\",\"method\":\"thing.deviceinfo.update\",\"version\":\"1.0\"}")));
            // Same id on the other reply topic is not the delete's (id 2): it must not complete it.
            Assert.True(_tags.Handle(Sys + "update_reply", Encoding.UTF8.GetBytes("{\"code\":460,\"data\":{},\"id\":\"2\",\"message\":\"request parameter error\"}")));
            Assert.True(_tags.Handle(Sys + "delete_reply", Encoding.UTF8.GetBytes("{\"code\":460,\"data\":{},\"id\":\"2\",\"message\":\"request parameter error\",\"method\":\"thing.deviceinfo.delete\",\"version\":\"1.0\"}")));

            Assert.Equal(2, _outcomes.Count);
            Assert.True(_outcomes[0].Succeeded);
            Assert.Equal("thing.deviceinfo.update", _outcomes[0].Method);
            Assert.Equal(460, _outcomes[1].Code);
            Assert.Equal("thing.deviceinfo.delete", _outcomes[1].Method);
            Assert.True(_log.Contains("thing.deviceinfo.delete refused by the cloud: 460 request parameter error"));
        }

        [Fact]
        public void An_unanswered_request_times_out_and_a_refused_publish_is_reported()
        {
            _tags.Update(new[] { "model" }, new[] { "ESP32" });
            _clock.Advance(5000);
            _tags.Tick();
            Assert.Equal(RequestStatus.TimedOut, Assert.Single(_outcomes).Status);

            _publisher.Status = PublishStatus.QueueFull;
            Assert.Contains("offline queue full", _tags.Update(new[] { "model" }, new[] { "ESP32" }));
            Assert.Equal(RequestStatus.Cancelled, _outcomes[1].Status);
        }

        [Fact]
        public void It_subscribes_and_takes_only_its_reply_topics()
        {
            var topics = new System.Collections.ArrayList();
            _tags.AddSubscriptions(topics);
            Assert.Equal(new object[] { Sys + "update_reply", Sys + "delete_reply" }, topics.ToArray());
            Assert.False(_tags.Handle("/sys/a1B2c3D4e5F/dev1/thing/event/property/post_reply", new byte[0]));
        }
    }
}
