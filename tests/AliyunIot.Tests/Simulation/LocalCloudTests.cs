using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>The local cloud on the real broker answers like the platform and drives devices (wire format pinned).</summary>
    public class LocalCloudTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        private readonly TempFolder _temp = new TempFolder("sim-cloud");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly LocalCloud _cloud;
        private readonly RegisteredDevice _device;
        private readonly RawDevice _raw;
        private readonly string _sys;

        public LocalCloudTests()
        {
            _cloud = CloudHosting.Start(_temp.Path, _log);
            _device = _cloud.Register(null, "raw-0001");
            _log.Secret(_device.DeviceSecret);
            _raw = new RawDevice(_cloud, _device);
            _sys = $"/sys/{_device.ProductKey}/{_device.DeviceName}/";
        }

        public void Dispose()
        {
            _raw.Dispose();
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void A_valid_property_post_is_answered_200_and_recorded()
        {
            _raw.Subscribe(_sys + "thing/event/property/post_reply");
            _raw.Publish(_sys + "thing/event/property/post", "{\"id\":\"7\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Temperature\":21.5,\"LightSwitch\":1},\"method\":\"thing.event.property.post\"}");
            var reply = _raw.Next(Wait);
            Assert.Equal(_sys + "thing/event/property/post_reply", reply.Topic);
            Assert.Equal("{\"code\":200,\"data\":{},\"id\":\"7\",\"message\":\"success\",\"method\":\"thing.event.property.post\",\"version\":\"1.0\"}", reply.Payload);
            DeviceState state = _cloud.State(_device.ProductKey, _device.DeviceName);
            Assert.Equal("21.5", state.Property("Temperature").ToJsonString());
            Assert.Equal(1, state.PostsAccepted);
        }

        [Fact]
        public void A_post_that_breaks_the_thing_model_gets_a_6xxx_code_naming_the_field_and_records_nothing()
        {
            _raw.Subscribe(_sys + "thing/event/+/post_reply");
            _raw.Publish(_sys + "thing/event/property/post", "{\"id\":\"8\",\"version\":\"1.0\",\"params\":{\"Temperature\":999.0},\"method\":\"thing.event.property.post\"}");
            var reply = JsonNode.Parse(_raw.Next(Wait).Payload);
            Assert.Equal(6304, (int)reply["code"]);
            Assert.Contains("Temperature", (string)reply["message"]);
            Assert.Null(_cloud.State(_device.ProductKey, _device.DeviceName).Property("Temperature"));

            _raw.Publish(_sys + "thing/event/Explosion/post", "{\"id\":\"9\",\"version\":\"1.0\",\"params\":{\"value\":{},\"time\":1},\"method\":\"thing.event.Explosion.post\"}");
            var eventReply = _raw.Next(Wait);
            Assert.Equal(_sys + "thing/event/Explosion/post_reply", eventReply.Topic);
            Assert.Equal(6300, (int)JsonNode.Parse(eventReply.Payload)["code"]);
        }

        [Fact]
        public void No_reply_when_the_device_asks_for_none()
        {
            _raw.Subscribe(_sys + "thing/event/property/post_reply");
            _raw.Publish(_sys + "thing/event/property/post", "{\"id\":\"10\",\"version\":\"1.0\",\"sys\":{\"ack\":0},\"params\":{\"Humidity\":40.0},\"method\":\"thing.event.property.post\"}");
            Assert.True(_cloud.WaitUntil(() => _cloud.State(_device.ProductKey, _device.DeviceName).PostsAccepted == 1, Wait));
            Assert.Throws<TimeoutException>(() => _raw.Next(TimeSpan.FromMilliseconds(500)));
        }

        [Theory]
        [InlineData("not json at all", 6207)]
        [InlineData("{\"id\":\"11\",\"version\":\"1.0\",\"params\":{\"Humidity\":40.0}}", 6300)]
        public void Malformed_posts_get_the_platforms_published_codes_and_record_nothing(string payload, int code)
        {
            // "Error codes for devices" (https://www.alibabacloud.com/help/doc-detail/120329.htm), TSL table:
            // 6207 the Alink data is not JSON, 6300 method does not exist.
            _raw.Subscribe(_sys + "thing/event/property/post_reply");
            _raw.Publish(_sys + "thing/event/property/post", payload);

            var reply = JsonNode.Parse(_raw.Next(Wait).Payload);

            Assert.Equal(code, (int)reply["code"]);
            DeviceState state = _cloud.State(_device.ProductKey, _device.DeviceName);
            Assert.Equal(1, state.PostsRefused);
            Assert.Equal(0, state.PostsAccepted);
            Assert.Null(state.Property("Humidity"));
        }

        [Fact]
        public void Property_set_is_published_as_alink_and_waits_for_the_set_reply()
        {
            _raw.Subscribe(_sys + "thing/service/property/set");
            var answering = Task.Run(() =>
            {
                var request = _raw.Next(Wait);
                var json = JsonNode.Parse(request.Payload);
                _raw.Publish(_sys + "thing/service/property/set_reply", "{\"id\":\"" + (string)json["id"] + "\",\"code\":200,\"data\":{}}");
                return request;
            });
            CommandResult result = _cloud.SetProperties(_device.ProductKey, _device.DeviceName, new JsonObject { ["LightSwitch"] = 1 });
            var seen = answering.Result;
            Assert.Equal(_sys + "thing/service/property/set", seen.Topic);
            Assert.Matches("^\\{\"id\":\"\\d+\",\"version\":\"1.0\",\"params\":\\{\"LightSwitch\":1\\},\"method\":\"thing.service.property.set\"\\}$", seen.Payload);
            Assert.Equal(200, result.Code);
        }

        [Fact]
        public void Both_rrpc_forms_use_the_platform_topics_and_wait_for_the_answer()
        {
            _raw.Subscribe(_sys + "rrpc/request/+", "/ext/rrpc/+" + _sys + "thing/service/+");
            foreach (RrpcForm form in new[] { RrpcForm.System, RrpcForm.Ext })
            {
                var answering = Task.Run(() =>
                {
                    var request = _raw.Next(Wait);
                    string id = (string)JsonNode.Parse(request.Payload)["id"];
                    string responseTopic = request.Topic.StartsWith("/ext/", StringComparison.Ordinal) ? request.Topic : request.Topic.Replace("/rrpc/request/", "/rrpc/response/", StringComparison.Ordinal);
                    _raw.Publish(responseTopic, "{\"id\":\"" + id + "\",\"code\":200,\"data\":{\"UptimeSeconds\":5,\"Version\":\"1.0.0\"}}", qos: 0);
                    return request.Topic;
                });
                CommandResult result = _cloud.Rrpc(_device.ProductKey, _device.DeviceName, "Diagnose", new JsonObject(), form);
                string topic = answering.Result;
                Assert.Equal(200, result.Code);
                Assert.Equal("1.0.0", (string)result.Data["Version"]);
                Assert.Matches(form == RrpcForm.System ? "^/sys/a1SimLamp01/raw-0001/rrpc/request/\\d+$" : "^/ext/rrpc/\\d+/sys/a1SimLamp01/raw-0001/thing/service/Diagnose$", topic);
            }
        }

        [Fact]
        public void A_command_nobody_answers_ends_with_a_clear_timeout()
        {
            CommandResult result = _cloud.CallService(_device.ProductKey, _device.DeviceName, "Blink", new JsonObject { ["Times"] = 1 }, timeout: TimeSpan.FromMilliseconds(300));
            Assert.Equal(0, result.Code);
            Assert.Contains("no answer", result.Message);
        }

        [Fact]
        public void Ntp_requests_get_the_server_times()
        {
            string response = $"/ext/ntp/{_device.ProductKey}/{_device.DeviceName}/response";
            _raw.Subscribe(response);
            _raw.Publish($"/ext/ntp/{_device.ProductKey}/{_device.DeviceName}/request", "{\"deviceSendTime\":\"1000\"}");
            var reply = _raw.Next(Wait);
            Assert.Equal(response, reply.Topic);
            var json = JsonNode.Parse(reply.Payload);
            Assert.Equal("1000", (string)json["deviceSendTime"]);
            Assert.True(long.Parse((string)json["serverRecvTime"]) > 1_600_000_000_000);
        }
    }
}
