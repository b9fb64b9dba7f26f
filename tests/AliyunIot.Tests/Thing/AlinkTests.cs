using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Json;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Thing
{
    public class AlinkTests
    {
        private static AlinkReply Reply(string json) => AlinkReply.Read(System.Text.Encoding.UTF8.GetBytes(json), out _);

        private static string ReplyProblem(string json)
        {
            Assert.Null(AlinkReply.Read(System.Text.Encoding.UTF8.GetBytes(json), out string problem));
            return problem;
        }

        [Fact]
        public void Pending_requests_match_by_id_and_topic_evict_when_full_and_cancel()
        {
            var clock = new ManualClock();
            var table = new PendingRequests(clock, 2, 1000);
            var outcomes = new List<RequestOutcome>();
            Assert.True(table.Add("1", "m", "/t/a", outcomes.Add));
            Assert.True(table.Add("2", "m", "/t/b", outcomes.Add));
            Assert.False(table.Complete("/t/b", Reply("{\"id\":\"1\",\"code\":200}")));
            Assert.False(table.Add("3", "m", "/t/c", outcomes.Add));
            Assert.Equal(RequestStatus.Evicted, Assert.Single(outcomes).Status);
            Assert.Equal("1", outcomes[0].Id);
            Assert.Equal(1, table.EvictedCount);
            Assert.True(table.Cancel("2", "not sent"));
            Assert.Equal(RequestStatus.Cancelled, outcomes[1].Status);
            Assert.Equal("not sent", outcomes[1].Message);
            clock.Advance(400);
            Assert.True(table.Complete("/t/c", Reply("{\"id\":3,\"code\":460,\"message\":\"bad\"}")));
            Assert.Equal(RequestStatus.Replied, outcomes[2].Status);
            Assert.Equal(460, outcomes[2].Code);
            Assert.Equal(400, outcomes[2].ElapsedMs);
            Assert.Equal(0, table.Count);
        }

        [Fact]
        public void Reply_parsing_accepts_any_version_and_refuses_missing_code()
        {
            var r = Reply("{\"code\":200,\"data\":{\"a\":1},\"id\":\"12\",\"message\":\"success\",\"method\":\"x\",\"version\":\"1.0.0\"}");
            Assert.Equal("12", r.Id);
            Assert.Equal(200, r.Code);
            Assert.Equal("1.0.0", r.Version);
            Assert.IsType<Hashtable>(r.Data);
            Assert.Equal("field code: missing", ReplyProblem("{\"id\":\"1\"}"));
            Assert.Equal("field code: expected number", ReplyProblem("{\"id\":\"1\",\"code\":\"200\"}"));
            Assert.Equal("field id: missing", ReplyProblem("{\"code\":200}"));
        }

        [Fact]
        public void Writers_pin_the_envelope_key_order()
        {
            var w = new AlinkRequestWriter(256);
            w.Begin("5", ack: false);
            w.Json.BeginArray();
            w.Json.EndArray();
            Assert.Equal("{\"id\":\"5\",\"version\":\"1.0\",\"params\":[],\"method\":\"m\"}", System.Text.Encoding.UTF8.GetString(w.Finish("m")));
            var r = new AlinkReplyWriter(256);
            Assert.Equal("{\"code\":460,\"data\":{},\"message\":\"x\"}", System.Text.Encoding.UTF8.GetString(r.Simple(null, 460, "x")));
            Assert.Throws<InvalidOperationException>(() => new AlinkReplyWriter(20).Simple("1", 460, "a message that is too long"));
        }

        [Theory]
        [InlineData("/sys/pk/dn/thing/service/property/set", TopicKind.PropertySet, null, null, "/sys/pk/dn/thing/service/property/set_reply")]
        [InlineData("/sys/pk/dn/thing/service/Svc_1", TopicKind.Service, "Svc_1", null, "/sys/pk/dn/thing/service/Svc_1_reply")]
        [InlineData("/sys/pk/dn/thing/service/blk:Svc", TopicKind.Service, "blk:Svc", null, "/sys/pk/dn/thing/service/blk:Svc_reply")]
        [InlineData("/sys/pk/dn/thing/service/Svc_reply", TopicKind.OwnEcho, null, null, null)]
        [InlineData("/sys/pk/dn/rrpc/request/123", TopicKind.SysRrpc, null, "123", "/sys/pk/dn/rrpc/response/123")]
        [InlineData("/ext/rrpc/abc/sys/pk/dn/thing/service/Svc", TopicKind.ExtRrpcService, "Svc", "abc", "/ext/rrpc/abc/sys/pk/dn/thing/service/Svc")]
        [InlineData("/ext/rrpc/abc/pk/dn/user/x", TopicKind.ExtRrpcUser, null, "abc", "/ext/rrpc/abc/pk/dn/user/x")]
        [InlineData("/sys/pk/dn/thing/event/property/post_reply", TopicKind.PostReply, "property", null, null)]
        [InlineData("/sys/pk/dn/thing/event/Alarm/post_reply", TopicKind.PostReply, "Alarm", null, null)]
        [InlineData("/sys/pk/dn/thing/event/property/batch/post_reply", TopicKind.PostReply, "property", null, null)]
        [InlineData("/sys/pk/dn/thing/event/post_reply", TopicKind.NotThing, null, null, null)]
        [InlineData("/sys/pk/dn/thing/ota/firmware/get_reply", TopicKind.NotThing, null, null, null)]
        [InlineData("/sys/pk/dn/thing/service/property", TopicKind.Invalid, null, null, null)]
        [InlineData("/sys/pk/dn\u0000/thing/service/Svc", TopicKind.Foreign, null, null, null)]
        [InlineData("/sys/pk/dnx/thing/service/Svc", TopicKind.Foreign, null, null, null)]
        public void Classifier_sorts_topics_and_derives_reply_topics(string topic, TopicKind kind, string identifier, string rrpcId, string reply)
        {
            var c = new AlinkTopicClassifier(new DeviceTopics("pk", "dn"));
            var t = c.Classify(topic);
            Assert.Equal(kind, t.Kind);
            Assert.Equal(identifier, t.Identifier);
            Assert.Equal(rrpcId, t.RrpcId);
            Assert.Equal(reply, t.ReplyTopic);
        }

        [Fact]
        public void Own_topic_test_is_ordinal_on_every_runtime()
        {
            var topics = new DeviceTopics("pk", "dn");
            Assert.False(topics.IsOwn("/sys/pk/d\u0000n/thing/service/property/set"));
            Assert.False(topics.IsOwn("/sys/pk\u00ad/dn/x"));
            Assert.True(topics.IsOwn("/sys/pk/dn/x"));
        }

        [Theory]
        [InlineData("/sys/pk/dn/thing/service/property/set", true)]
        [InlineData("/pk/dn/user/get", true)]
        [InlineData("/pk/dn", false)]
        [InlineData("/pk/dnX/user/get", false)]
        [InlineData("/broadcast/pk/news", true)]
        [InlineData("/broadcast/pkX/news", false)]
        [InlineData("/ota/device/upgrade/pk/dn", true)]
        [InlineData("/ota/device/upgrade/pk/dn/", false)]
        [InlineData("/ota/device/upgrade/pk/dnX", false)]
        [InlineData("/ota/device/upgrade/xpk/dn", false)]
        [InlineData("/ota/device/upgrade", false)]
        [InlineData("/ext/rrpc/7/sys/pk/dn/thing/service/Op", true)]
        [InlineData("/ext/rrpc/7/pk/dn/user/cmd", true)]
        [InlineData("/ext/rrpc/7/sys/pk/dnX/thing/service/Op", false)]
        [InlineData("/ext/rrpc/7", false)]
        [InlineData("/ext/rrpc/7/other/pk/dn/x", false)]
        [InlineData("/ext/ntp/pk/dn/response", true)]
        [InlineData("/ext/ntp/pk/dn", false)]
        [InlineData("/ext/ntp/pk/other/response", false)]
        [InlineData("/ext/", false)]
        [InlineData("/sys/pk/dn/thing/service/+", false)]
        [InlineData("/sys/other/dn/x", false)]
        public void Own_topics_are_exactly_the_devices_own(string topic, bool own)
        {
            Assert.Equal(own, new DeviceTopics("pk", "dn").IsOwn(topic));
        }
    }
}
