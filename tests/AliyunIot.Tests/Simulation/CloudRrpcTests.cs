using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// RRPC on the local cloud behaves as the platform's (RRpc API, https://help.aliyun.com/document_detail/69797.htm;
    /// aliyun-protocol.md §3.7–3.8), seen from a plain MQTT client (libmosquitto, no firmware code): the answer is
    /// matched by the messageId in its topic whatever its payload, taken at QoS 0 only, and a device that is not
    /// connected is answered OFFLINE at once.
    /// </summary>
    public class CloudRrpcTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        private readonly TempFolder _temp = new TempFolder("cloud-rrpc");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly LocalCloud _cloud;
        private readonly RegisteredDevice _device;
        private readonly string _sys;

        public CloudRrpcTests()
        {
            _cloud = CloudHosting.Start(_temp.Path, _log);
            _device = _cloud.Register(null, "rrpc-0001");
            _log.Secret(_device.DeviceSecret);
            _sys = $"/sys/{_device.ProductKey}/{_device.DeviceName}/";
        }

        public void Dispose()
        {
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        [Theory]
        [InlineData("{\"id\":\"424242\",\"code\":200,\"data\":{\"Version\":\"2.0.0\"}}")]
        [InlineData("{\"code\":200,\"data\":{\"Version\":\"2.0.0\"}}")]
        public void A_sys_form_answer_is_matched_by_the_topics_message_id_whatever_id_its_payload_carries(string answer)
        {
            using var raw = new RawDevice(_cloud, _device);
            raw.Subscribe(_sys + "rrpc/request/+");
            Task<string> answering = Task.Run(() =>
            {
                var request = raw.Next(Wait);
                raw.Publish(request.Topic.Replace("/rrpc/request/", "/rrpc/response/", StringComparison.Ordinal), answer, qos: 0);
                return request.Topic;
            });

            CommandResult result = _cloud.Rrpc(_device.ProductKey, _device.DeviceName, "Diagnose", new JsonObject(), RrpcForm.System);

            Assert.Equal(CommandResult.RrpcSuccess, result.RrpcCode);
            Assert.Equal(200, result.Code);
            Assert.Equal("2.0.0", (string)result.Data["Version"]);
            Assert.Equal(answer, result.Payload);
            Assert.Equal(answering.Result.Replace("/rrpc/request/", "/rrpc/response/", StringComparison.Ordinal), result.ReplyTopic);
        }

        [Fact]
        public void A_raw_answer_without_alink_fields_is_handed_back_as_a_success()
        {
            using var raw = new RawDevice(_cloud, _device);
            raw.Subscribe("/ext/rrpc/+" + _sys + "thing/service/+");
            Task answering = Task.Run(() => raw.Publish(raw.Next(Wait).Topic, "pong", qos: 0));

            CommandResult result = _cloud.Rrpc(_device.ProductKey, _device.DeviceName, "Diagnose", new JsonObject(), RrpcForm.Ext);
            answering.Wait(Wait);

            Assert.Equal(CommandResult.RrpcSuccess, result.RrpcCode);
            Assert.Equal("pong", result.Payload);
            Assert.True(result.Succeeded);
        }

        [Fact]
        public void An_answer_at_qos_1_is_not_taken_and_the_broker_logs_why()
        {
            using var raw = new RawDevice(_cloud, _device);
            raw.Subscribe(_sys + "rrpc/request/+");
            Task answering = Task.Run(() =>
            {
                string response = raw.Next(Wait).Topic.Replace("/rrpc/request/", "/rrpc/response/", StringComparison.Ordinal);

                // Same connection, in order: if the QoS 1 answer were taken it would be the result.
                raw.Publish(response, "{\"code\":460,\"data\":{},\"message\":\"at qos 1\"}", qos: 1);
                raw.Publish(response, "{\"code\":200,\"data\":{},\"message\":\"at qos 0\"}", qos: 0);
            });

            CommandResult result = _cloud.Rrpc(_device.ProductKey, _device.DeviceName, "Diagnose", new JsonObject(), RrpcForm.System);
            answering.Wait(Wait);

            Assert.Equal("at qos 0", result.Message);
            Assert.Contains("RRPC responses are taken at QoS 0 only", ((TestBrokerHost)_cloud.Broker).Broker.ReadLog());
        }

        [Fact]
        public void A_device_that_never_connected_is_answered_offline_at_once()
        {
            CommandResult result = _cloud.Rrpc(_device.ProductKey, _device.DeviceName, "Diagnose", new JsonObject(), RrpcForm.System);

            Assert.Equal(CommandResult.RrpcOffline, result.RrpcCode);
            Assert.False(result.Succeeded);
            Assert.Null(result.RequestTopic);
            Assert.Equal("never connected", (string)_cloud.State(_device.ProductKey, _device.DeviceName).ToJson()["status"]);
        }

        [Fact]
        public void A_device_that_disconnected_is_shown_offline_and_answered_offline()
        {
            var raw = new RawDevice(_cloud, _device);
            DeviceState state = _cloud.State(_device.ProductKey, _device.DeviceName);
            Assert.Equal("online", (string)state.ToJson()["status"]);

            raw.Dispose();

            Assert.True(_cloud.WaitUntil(() => !state.Online, Wait));
            Assert.Equal("offline", (string)state.ToJson()["status"]);
            Assert.Equal(CommandResult.RrpcOffline, _cloud.Rrpc(_device.ProductKey, _device.DeviceName, "Diagnose", new JsonObject(), RrpcForm.Ext).RrpcCode);
        }

        [Fact]
        public void A_broker_restart_drops_everyone_offline_and_a_reconnected_device_is_online_again()
        {
            var first = new RawDevice(_cloud, _device);
            DeviceState state = _cloud.State(_device.ProductKey, _device.DeviceName);

            _cloud.Broker.Restart();
            first.Dispose();

            Assert.True(_cloud.WaitUntil(() => !state.Online, Wait));
            Assert.True(_cloud.WaitUntil(() => _cloud.Bus.IsConnected, Wait));
            using var second = new RawDevice(_cloud, _device);
            Assert.True(state.Online);
        }

        [Fact]
        public void The_answer_window_is_the_rrpc_apis_1_to_8_seconds()
        {
            Assert.Throws<ArgumentException>(() => _cloud.Rrpc(_device.ProductKey, _device.DeviceName, "Diagnose", new JsonObject(), RrpcForm.System, timeout: TimeSpan.FromSeconds(9)));
            Assert.Throws<ArgumentException>(() => _cloud.Rrpc(_device.ProductKey, _device.DeviceName, "Diagnose", new JsonObject(), RrpcForm.System, timeout: TimeSpan.FromMilliseconds(999)));
        }
    }
}
