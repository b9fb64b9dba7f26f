using System.Net;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Traffic;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// Traffic you can watch (issue 15, deliverable 4): a device's connect, a property post and its reply, a set and
    /// its reply, an ACL denial with the rule that refused and a refused login all appear live in the cloud's
    /// traffic log, in <c>GET /traffic</c> (what <c>cloud watch</c> follows, with its filters) and in a bounded
    /// 0600 file under the cloud's folder that survives the broker restarting; secrets are masked.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class CloudTrafficTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        private readonly TempFolder _temp = new TempFolder("cloud-traffic");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly AutoResetEvent _recorded = new AutoResetEvent(false);
        private readonly LocalCloud _cloud;
        private readonly RegisteredDevice _device;
        private readonly string _sys;

        public CloudTrafficTests()
        {
            _cloud = CloudHosting.Start(_temp.Path, _log);
            _cloud.Traffic.Recorded += _ => _recorded.Set();
            _device = _cloud.Register(null, "watch-001");
            _log.Secret(_device.DeviceSecret);
            _sys = $"/sys/{_device.ProductKey}/{_device.DeviceName}/";
        }

        public void Dispose()
        {
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
            _recorded.Dispose();
        }

        [Fact]
        public void Connect_post_set_denial_and_refused_login_are_recorded_live()
        {
            using var raw = new RawDevice(_cloud, _device);
            WaitFor(e => e.Kind == TrafficEntry.Connect && e.DeviceName == _device.DeviceName);

            raw.Subscribe(_sys + "thing/event/property/post_reply", _sys + "thing/service/property/set");
            raw.Publish(_sys + "thing/event/property/post", "{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"Humidity\":40.0},\"method\":\"thing.event.property.post\"}");
            TrafficEntry post = WaitFor(e => e.Kind == TrafficEntry.Up && e.Topic == _sys + "thing/event/property/post");
            TrafficEntry reply = WaitFor(e => e.Kind == TrafficEntry.Down && e.Topic == _sys + "thing/event/property/post_reply");
            Assert.Contains("\"Humidity\":40.0", post.Payload);
            Assert.Equal(post.Payload.Length, post.Size);
            Assert.Contains("\"code\":200", reply.Payload);
            raw.Next(Wait);

            Task<CommandResult> set = Task.Run(() => _cloud.SetProperties(_device.ProductKey, _device.DeviceName, new JsonObject { ["LightSwitch"] = 1 }));
            var request = raw.Next(Wait);
            raw.Publish(_sys + "thing/service/property/set_reply", "{\"id\":\"" + (string)JsonNode.Parse(request.Payload)["id"] + "\",\"code\":200,\"data\":{}}");
            Assert.Equal(200, set.Result.Code);
            WaitFor(e => e.Kind == TrafficEntry.Down && e.Topic == _sys + "thing/service/property/set");
            WaitFor(e => e.Kind == TrafficEntry.Up && e.Topic == _sys + "thing/service/property/set_reply");

            raw.Publish(_sys + "thing/service/property/set", "{}");
            TrafficEntry denied = WaitFor(e => e.Kind == TrafficEntry.Denied);
            Assert.Equal(_device.DeviceName, denied.DeviceName);
            Assert.Equal(_sys + "thing/service/property/set", denied.Topic);
            Assert.Contains("a device may not publish on a downlink topic", denied.Detail);

            var broker = ((TestBrokerHost)_cloud.Broker).Broker;
            using (var intruder = new MosquittoTransport())
            {
                intruder.Connect(broker.CreateDeviceConnectRequest(_device.ProductKey, _device.DeviceName, "not-the-secret", clientId: "intruder"), new NullListener());
            }

            TrafficEntry refused = WaitFor(e => e.Kind == TrafficEntry.LoginRefused);
            Assert.Equal(_device.DeviceName, refused.DeviceName);
            Assert.Contains("sign mismatch", refused.Detail);
        }

        [Fact]
        public void A_login_whose_securemode_does_not_match_the_port_is_recorded_with_the_mismatch()
        {
            // Signed right, but securemode=2 (TLS) on the plain TCP port: refused, and the watch says why.
            var broker = ((TestBrokerHost)_cloud.Broker).Broker;
            MqttConnectRequest request = broker.CreateDeviceConnectRequest(_device.ProductKey, _device.DeviceName, _device.DeviceSecret, useTls: false, clientId: "crossed");
            request.ClientIdentifier = request.ClientIdentifier.Replace("|securemode=3,", "|securemode=2,", StringComparison.Ordinal);
            MqttConnectResult result;
            using (var crossed = new MosquittoTransport())
            {
                result = crossed.Connect(request, new NullListener());
            }

            Assert.Equal(5, result.ReasonCode);
            TrafficEntry refused = WaitFor(e => e.Kind == TrafficEntry.LoginRefused);
            Assert.Equal(_device.DeviceName, refused.DeviceName);
            Assert.Equal(_device.ProductKey, refused.ProductKey);
            Assert.Contains("securemode=2 on the plain TCP listener (it takes securemode=3)", refused.Detail);
            SecretAssert.NotIn(_device.DeviceSecret, refused.Detail, "the traffic entry");
            SecretAssert.NotIn(request.Password, refused.Detail, "the traffic entry");
            Assert.False(_cloud.State(_device.ProductKey, _device.DeviceName).Online);
        }

        [Fact]
        public void Secrets_in_payloads_are_masked_in_memory_and_in_the_file()
        {
            using var raw = new RawDevice(_cloud, _device);
            raw.Publish($"/{_device.ProductKey}/{_device.DeviceName}/user/leak", "{\"deviceSecret\":\"" + _device.DeviceSecret + "\",\"n\":1}");

            TrafficEntry entry = WaitFor(e => e.Topic != null && e.Topic.EndsWith("/user/leak", StringComparison.Ordinal) && e.Kind == TrafficEntry.Up);

            Assert.Equal("{\"deviceSecret\":\"***\",\"n\":1}", entry.Payload);
            _cloud.Dispose();
            SecretAssert.NotIn(_device.DeviceSecret, File.ReadAllText(_cloud.Traffic.FilePath), "the traffic log");
        }

        [Fact]
        public void The_log_file_is_private_and_survives_a_broker_restart()
        {
            using (var first = new RawDevice(_cloud, _device))
            {
                WaitFor(e => e.Kind == TrafficEntry.Connect);
            }

            _cloud.Broker.Restart();
            Assert.True(_cloud.WaitUntil(() => _cloud.Bus.IsConnected, Wait));
            using var second = new RawDevice(_cloud, _device);
            second.Publish(_sys + "thing/event/property/post", "{\"id\":\"2\",\"version\":\"1.0\",\"params\":{\"Humidity\":41.0},\"method\":\"thing.event.property.post\"}");
            WaitFor(e => e.Kind == TrafficEntry.Up && e.Payload.Contains("41.0", StringComparison.Ordinal));
            _cloud.Dispose();

            string[] lines = File.ReadAllLines(_cloud.Traffic.FilePath);
            Assert.True(lines.Count(l => (string)JsonNode.Parse(l)["kind"] == TrafficEntry.Connect) >= 2, "both connects, before and after the restart");
            Assert.Contains(lines, l => l.Contains("41.0", StringComparison.Ordinal));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cloud.Traffic.FilePath));
        }

        [Fact]
        public void The_control_api_serves_the_traffic_after_a_sequence_filtered_by_device_and_topic()
        {
            RegisteredDevice other = _cloud.Register(null, "watch-002");
            _log.Secret(other.DeviceSecret);
            using var control = new ControlServer(_cloud, _log);
            _log.Secret(control.Token);
            using var a = new RawDevice(_cloud, _device);
            using var b = new RawDevice(_cloud, other);
            a.Publish(_sys + "thing/event/property/post", "{\"id\":\"3\",\"version\":\"1.0\",\"params\":{},\"method\":\"thing.event.property.post\"}");
            WaitFor(e => e.Kind == TrafficEntry.Down && e.DeviceName == _device.DeviceName);
            using var http = new HttpClient { BaseAddress = new Uri(control.Url) };
            http.DefaultRequestHeaders.Add("Authorization", "Bearer " + control.Token);

            JsonNode mine = JsonNode.Parse(http.GetStringAsync("/traffic?after=0&deviceName=" + _device.DeviceName).Result);
            JsonNode posts = JsonNode.Parse(http.GetStringAsync("/traffic?after=0&topic=property/post_reply").Result);
            long last = (long)mine["last"];
            JsonNode nothingNew = JsonNode.Parse(http.GetStringAsync("/traffic?after=" + last + "&deviceName=" + _device.DeviceName).Result);

            Assert.NotEmpty(mine["entries"].AsArray());
            Assert.All(mine["entries"].AsArray(), e => Assert.Equal(_device.DeviceName, (string)e["deviceName"]));
            Assert.All(posts["entries"].AsArray(), e => Assert.EndsWith("property/post_reply", (string)e["topic"]));
            Assert.Single(posts["entries"].AsArray());
            Assert.Empty(nothingNew["entries"].AsArray());
            Assert.Contains("→ cloud", TrafficEntry.Describe(mine["entries"].AsArray().First(e => (string)e["kind"] == TrafficEntry.Up)));
        }

        private TrafficEntry WaitFor(Func<TrafficEntry, bool> match)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (true)
            {
                TrafficEntry found = _cloud.Traffic.Since(0, max: int.MaxValue).FirstOrDefault(match);
                if (found != null)
                {
                    return found;
                }

                TimeSpan left = deadline - DateTime.UtcNow;
                Assert.True(left > TimeSpan.Zero, "not recorded within 10 s; recorded: " + string.Join(" | ", _cloud.Traffic.Since(0).Select(e => e.Kind + " " + e.Topic)));
                _recorded.WaitOne(left);
            }
        }
    }
}
