using System.Collections;
using System.Text.Json.Nodes;
using AliyunIot.Alink;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Connection;
using AliyunIot.DeviceInfo;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Shadow;
using AliyunIot.Tests.Simulation;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Shadow
{
    /// <summary>
    /// Shadow and tags through the real broker against the local cloud: first what the cloud answers a bare MQTT
    /// client (the platform's reply shapes and error codes, pinned), then the firmware components end to end —
    /// report, desired state pushed, applied and acknowledged, a stale version refused on both sides, a desired state
    /// set while the device's connection was taken over applied after it reconnects, tags set, refused and deleted.
    /// </summary>
    public sealed class ShadowCloudTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        private const string Success = "^\\{\"method\":\"reply\",\"payload\":\\{\"status\":\"success\",\"version\":{0}\\},\"timestamp\":\\d+\\}$";
        private readonly TempFolder _temp = new TempFolder("cloud-shadow");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly LocalCloud _cloud;
        private readonly RegisteredDevice _device;
        private readonly string _update;
        private readonly string _get;

        public ShadowCloudTests()
        {
            _cloud = CloudHosting.Start(_temp.Path, _log);
            _device = _cloud.Register(null, "shadow-0001");
            _log.Secret(_device.DeviceSecret);
            _update = $"/shadow/update/{_device.ProductKey}/{_device.DeviceName}";
            _get = $"/shadow/get/{_device.ProductKey}/{_device.DeviceName}";
        }

        public void Dispose()
        {
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        private static string SuccessPattern(long version) => Success.Replace("{0}", version.ToString());

        private static string ErrorPattern(int code, string message) =>
            "^\\{\"method\":\"reply\",\"payload\":\\{\"status\":\"error\",\"content\":\\{\"errorcode\":\"" + code + "\",\"errormessage\":\"" + message + "\"\\}\\},\"timestamp\":\\d+\\}$";

        [Fact]
        public void The_cloud_answers_update_get_and_delete_in_the_platforms_shapes()
        {
            using var raw = new RawDevice(_cloud, _device);
            raw.Subscribe(_get);

            raw.Publish(_update, "{\"method\":\"update\",\"state\":{\"reported\":{\"color\":\"red\",\"level\":3}},\"version\":1}");
            Assert.Matches(SuccessPattern(1), raw.Next(Wait).Payload);

            raw.Publish(_update, "{\"method\":\"get\"}");
            Assert.Matches(
                "^\\{\"method\":\"reply\",\"payload\":\\{\"status\":\"success\",\"state\":\\{\"reported\":\\{\"color\":\"red\",\"level\":3\\}\\},\"metadata\":\\{\"reported\":\\{\"color\":\\{\"timestamp\":\\d+\\},\"level\":\\{\"timestamp\":\\d+\\}\\}\\}\\},\"version\":1,\"timestamp\":\\d+\\}$",
                raw.Next(Wait).Payload);

            raw.Publish(_update, "{\"method\":\"delete\",\"state\":{\"reported\":{\"color\":\"null\"}},\"version\":2}");
            Assert.Matches(SuccessPattern(2), raw.Next(Wait).Payload);
            Assert.Null(_cloud.Shadows.Reported(_device.ProductKey, _device.DeviceName, "color"));
            Assert.Equal(3, (int)_cloud.Shadows.Reported(_device.ProductKey, _device.DeviceName, "level"));
        }

        [Theory]
        [InlineData("{\"method\":\"update\",\"state\":{\"reported\":{\"color\":\"blue\"}},\"version\":5}", 409, "shadow version conflict")]
        [InlineData("{\"method\":\"update\",\"state\":{\"reported\":{\"color\":\"blue\"}},\"version\":4}", 409, "shadow version conflict")]
        [InlineData("{\"method\":\"update\",\"state\":{\"reported\":{\"color\":\"blue\"}},\"version\":\"6\"}", 403, "the shadow version is not a number")]
        [InlineData("{\"method\":\"update\",\"state\":{\"reported\":{}},\"version\":6}", 405, "the reported state is empty")]
        [InlineData("{\"method\":\"update\",\"state\":{},\"version\":6}", 404, "the shadow request has no reported state")]
        [InlineData("{\"method\":\"update\",\"version\":6}", 402, "the shadow request has no state")]
        [InlineData("{\"method\":\"upsert\",\"state\":{\"reported\":{\"color\":\"blue\"}},\"version\":6}", 406, "invalid shadow method")]
        [InlineData("{\"state\":{\"reported\":{\"color\":\"blue\"}},\"version\":6}", 401, "the shadow request has no method")]
        [InlineData("{\"method\":\"update\",", 400, "invalid JSON")]
        [InlineData("{}", 407, "the shadow content is empty")]
        public void A_bad_request_is_answered_with_the_platforms_error_and_changes_nothing(string request, int code, string message)
        {
            using var raw = new RawDevice(_cloud, _device);
            raw.Subscribe(_get);
            raw.Publish(_update, "{\"method\":\"update\",\"state\":{\"reported\":{\"color\":\"red\"}},\"version\":5}");
            Assert.Matches(SuccessPattern(5), raw.Next(Wait).Payload);

            raw.Publish(_update, request);

            Assert.Matches(ErrorPattern(code, message), raw.Next(Wait).Payload);
            Assert.Equal(5, _cloud.Shadows.VersionOf(_device.ProductKey, _device.DeviceName));
            Assert.Equal("red", (string)_cloud.Shadows.Reported(_device.ProductKey, _device.DeviceName, "color"));
        }

        [Fact]
        public void Version_minus_one_clears_the_shadow_and_restarts_at_zero()
        {
            using var raw = new RawDevice(_cloud, _device);
            raw.Subscribe(_get);
            raw.Publish(_update, "{\"method\":\"update\",\"state\":{\"reported\":{\"color\":\"red\"}},\"version\":9}");
            Assert.Matches(SuccessPattern(9), raw.Next(Wait).Payload);

            raw.Publish(_update, "{\"method\":\"update\",\"state\":{\"reported\":{\"level\":1}},\"version\":-1}");

            Assert.Matches(SuccessPattern(0), raw.Next(Wait).Payload);
            Assert.Null(_cloud.Shadows.Reported(_device.ProductKey, _device.DeviceName, "color"));
            Assert.Equal(1, (int)_cloud.Shadows.Reported(_device.ProductKey, _device.DeviceName, "level"));
        }

        [Fact]
        public void A_desired_state_is_pushed_as_control_and_a_stale_version_is_refused_by_the_cloud()
        {
            using var raw = new RawDevice(_cloud, _device);
            raw.Subscribe(_get);

            var (code, version) = _cloud.Shadows.SetDesired(_device.ProductKey, _device.DeviceName, new JsonObject { ["mode"] = "eco" }, 3);

            Assert.Equal((200, 3L), (code, version));
            Assert.Matches(
                "^\\{\"method\":\"control\",\"payload\":\\{\"status\":\"success\",\"state\":\\{\"desired\":\\{\"mode\":\"eco\"\\}\\},\"metadata\":\\{\"desired\":\\{\"mode\":\\{\"timestamp\":\\d+\\}\\}\\}\\},\"version\":3,\"timestamp\":\\d+\\}$",
                raw.Next(Wait).Payload);
            Assert.Equal((409, 3L), _cloud.Shadows.SetDesired(_device.ProductKey, _device.DeviceName, new JsonObject { ["mode"] = "off" }, 3));
            Assert.Equal(1, _cloud.Shadows.DesiredCount(_device.ProductKey, _device.DeviceName));
        }

        [Fact]
        public void Tags_are_stored_and_bad_or_unknown_keys_are_answered_460_without_changing_anything()
        {
            using var raw = new RawDevice(_cloud, _device);
            string sys = $"/sys/{_device.ProductKey}/{_device.DeviceName}/thing/deviceinfo/";
            raw.Subscribe(sys + "update_reply", sys + "delete_reply");

            raw.Publish(sys + "update", "{\"id\":\"7\",\"version\":\"1.0\",\"params\":[{\"attrKey\":\"model\",\"attrValue\":\"ESP32\"}],\"method\":\"thing.deviceinfo.update\"}");
            Assert.Equal("{\"code\":200,\"data\":{},\"id\":\"7\",\"message\":\"success\",\"method\":\"thing.deviceinfo.update\",\"version\":\"1.0\"}", raw.Next(Wait).Payload);

            raw.Publish(sys + "update", "{\"id\":\"8\",\"version\":\"1.0\",\"params\":[{\"attrKey\":\"site\",\"attrValue\":\"A\"},{\"attrKey\":\"9bad\",\"attrValue\":\"x\"}],\"method\":\"thing.deviceinfo.update\"}");
            Assert.Equal("{\"code\":460,\"data\":{},\"id\":\"8\",\"message\":\"request parameter error\",\"method\":\"thing.deviceinfo.update\",\"version\":\"1.0\"}", raw.Next(Wait).Payload);

            raw.Publish(sys + "delete", "{\"id\":\"9\",\"version\":\"1.0\",\"params\":[{\"attrKey\":\"never_set\"}],\"method\":\"thing.deviceinfo.delete\"}");
            Assert.Equal("{\"code\":460,\"data\":{},\"id\":\"9\",\"message\":\"request parameter error\",\"method\":\"thing.deviceinfo.delete\",\"version\":\"1.0\"}", raw.Next(Wait).Payload);

            Assert.Equal("{\"model\":\"ESP32\"}", _cloud.Tags.ToJson(_device.ProductKey, _device.DeviceName).ToJsonString());
        }

        [Fact]
        public void The_components_round_trip_report_desired_tags_and_keep_the_version_across_a_reconnect()
        {
            TestBroker.TestBroker broker = ((TestBrokerHost)_cloud.Broker).Broker;
            var topics = new DeviceTopics(_device.ProductKey, _device.DeviceName);
            var device = new AliyunDevice(new SessionOptions(), topics,
                new Session.FixedRequests(() => broker.CreateDeviceConnectRequest(_device.ProductKey, _device.DeviceName, _device.DeviceSecret)),
                new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), _log);
            var shadow = new DeviceShadow(topics, device.Publisher, _log, 16384, 0);
            var applied = new List<string>();
            shadow.DesiredReceived = (desired, version) =>
            {
                lock (applied)
                {
                    applied.Add(version + ":" + desired["mode"]);
                }

                var state = new Hashtable();
                state["mode"] = desired["mode"];
                return state;
            };
            var outcomes = new List<RequestOutcome>();
            var tags = new DeviceTags(topics, device.Publisher, new AlinkIds(), new SystemClock(), _log, 16384, 10000);
            tags.Completed = o => { lock (outcomes) { outcomes.Add(o); } };
            device.AddHandler(shadow);
            device.AddHandler(tags);
            device.StatusChanged += (status, reason) =>
            {
                if (status == ConnectionStatus.Connected)
                {
                    shadow.OnConnected();
                }
            };
            string pk = _device.ProductKey, dn = _device.DeviceName;
            device.Start();
            try
            {
                Assert.True(_cloud.WaitUntil(() => _cloud.State(pk, dn).Online && device.Status == ConnectionStatus.Connected, Wait));

                // Reported state.
                var reported = new Hashtable();
                reported["mode"] = "off";
                reported["temp"] = 21.5;
                Assert.Equal(PublishStatus.Sent, shadow.UpdateReported(reported));
                Assert.True(_cloud.WaitUntil(() => _cloud.Shadows.VersionOf(pk, dn) == 1 && shadow.Version == 1, Wait));
                Assert.Equal(21.5, (double)_cloud.Shadows.Reported(pk, dn, "temp"));

                // Desired state pushed, applied, reported, cleared: versions 2 (control), 3 (report), 4 (clear).
                Assert.Equal((200, 2L), _cloud.Shadows.SetDesired(pk, dn, new JsonObject { ["mode"] = "eco" }, null));
                Assert.True(_cloud.WaitUntil(() => _cloud.Shadows.VersionOf(pk, dn) == 4 && shadow.Version == 4, Wait), "version " + _cloud.Shadows.VersionOf(pk, dn));
                Assert.Equal("eco", (string)_cloud.Shadows.Reported(pk, dn, "mode"));
                Assert.Equal(0, _cloud.Shadows.DesiredCount(pk, dn));

                // A stale control (as a replayed or reordered push would be) is refused by the device.
                _cloud.Bus.Publish("/shadow/get/" + pk + "/" + dn, System.Text.Encoding.UTF8.GetBytes("{\"method\":\"control\",\"payload\":{\"status\":\"success\",\"state\":{\"desired\":{\"mode\":\"boost\"}}},\"version\":2,\"timestamp\":1}"), 1);
                Assert.True(SpinWait.SpinUntil(() => shadow.StaleRefused == 1, Wait));
                lock (applied)
                {
                    Assert.Equal(new[] { "2:eco" }, applied);
                }

                // A second login with the device's identity kicks its connection (as on the platform); the desired
                // state set around then reaches the device after it reconnects (queued push or the get that follows
                // every connect), and the versions carry on from where they were.
                long lost = device.Counters.ConnectionsLost;
                var intruder = new MosquittoTransport();
                try
                {
                    intruder.Connect(broker.CreateDeviceConnectRequest(pk, dn, _device.DeviceSecret), new NullListener());
                    Assert.True(SpinWait.SpinUntil(() => device.Counters.ConnectionsLost > lost, Wait), "the device was not kicked");
                    Assert.Equal((200, 5L), _cloud.Shadows.SetDesired(pk, dn, new JsonObject { ["mode"] = "away" }, null));
                }
                finally
                {
                    intruder.Close();
                }

                Assert.True(_cloud.WaitUntil(() => _cloud.Shadows.VersionOf(pk, dn) == 7 && shadow.Version == 7, TimeSpan.FromSeconds(30)), "version " + _cloud.Shadows.VersionOf(pk, dn) + "/" + shadow.Version);
                Assert.Equal("away", (string)_cloud.Shadows.Reported(pk, dn, "mode"));
                lock (applied)
                {
                    Assert.Equal(new[] { "2:eco", "5:away" }, applied);
                }

                // Tags: set, an unknown key's delete refused by the cloud, a real delete.
                Assert.Null(tags.Update(new[] { "model", "fw_ver" }, new[] { "ESP32-C3", "1.0.0" }));
                Assert.True(SpinWait.SpinUntil(() => { lock (outcomes) { return outcomes.Count == 1; } }, Wait));
                Assert.Null(tags.Delete(new[] { "never_set" }));
                Assert.True(SpinWait.SpinUntil(() => { lock (outcomes) { return outcomes.Count == 2; } }, Wait));
                Assert.Null(tags.Delete(new[] { "fw_ver" }));
                Assert.True(SpinWait.SpinUntil(() => { lock (outcomes) { return outcomes.Count == 3; } }, Wait));
                lock (outcomes)
                {
                    Assert.Equal(new[] { 200, 460, 200 }, outcomes.Select(o => o.Code).ToArray());
                }

                Assert.Equal("{\"model\":\"ESP32-C3\"}", _cloud.Tags.ToJson(pk, dn).ToJsonString());
            }
            finally
            {
                device.Stop();
            }
        }
    }
}
