using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Connection;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// History post (issue 16, item 5) through the real broker against the local cloud: the layout of "Report the
    /// historical data of a TSL model" (https://help.aliyun.com/document_detail/89301.html) answered 200 and recorded
    /// with the device's own times, its bad inputs answered with the platform's codes, and readings a device takes
    /// during an outage delivered after it with their times and none lost.
    /// </summary>
    public sealed class HistoryPostTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
        private readonly TempFolder _temp = new TempFolder("history-post");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly LocalCloud _cloud;

        public HistoryPostTests()
        {
            _cloud = CloudHosting.Start(Path.Combine(_temp.Path, "cloud"), _log);
        }

        public void Dispose()
        {
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        private static string Post(string id, string parameters) =>
            "{\"id\":\"" + id + "\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":" + parameters + ",\"method\":\"thing.event.property.history.post\"}";

        private static string Identity(string dn) => "{\"productKey\":\"a1SimLamp01\",\"deviceName\":\"" + dn + "\"}";

        [Fact]
        public void A_history_post_is_answered_200_and_recorded_with_the_devices_times()
        {
            RegisteredDevice device = _cloud.Register(null, "hist-0001");
            _log.Secret(device.DeviceSecret);
            using var raw = new RawDevice(_cloud, device);
            string sys = "/sys/a1SimLamp01/hist-0001/";
            raw.Subscribe(sys + "thing/event/property/history/post_reply");
            raw.Publish(sys + "thing/event/property/history/post", Post("21", "[{\"identity\":" + Identity("hist-0001") + ","
                + "\"properties\":[{\"Temperature\":{\"value\":20.5,\"time\":1767225600000}},{\"Temperature\":{\"value\":21.5,\"time\":1767225660000},\"Humidity\":{\"value\":40.0,\"time\":1767225660000}}],"
                + "\"events\":[{\"HighTemperature\":{\"value\":{\"Temperature\":31.0},\"time\":1767225670000}}]}]"));

            var reply = raw.Next(Wait);
            Assert.Equal(sys + "thing/event/property/history/post_reply", reply.Topic);
            Assert.Equal("{\"code\":200,\"data\":{},\"id\":\"21\",\"message\":\"success\",\"method\":\"thing.event.property.history.post\",\"version\":\"1.0\"}", reply.Payload);
            DeviceState state = _cloud.State("a1SimLamp01", "hist-0001");
            Assert.Equal(
                new[] { "Temperature=20.5@1767225600000", "Temperature=21.5@1767225660000", "Humidity=40.0@1767225660000", "!HighTemperature={\"Temperature\":31.0}@1767225670000" },
                state.History().Select(r => (r.IsEvent ? "!" : string.Empty) + r.Identifier + "=" + r.Value.ToJsonString() + "@" + r.TimeMs));
            Assert.Equal(4, state.HistoryReadings);

            // With no live value, the newest reading is the latest; an older history reading never replaces a newer value.
            Assert.Equal("21.5", state.Property("Temperature").ToJsonString());
            raw.Subscribe(sys + "thing/event/property/post_reply");
            raw.Publish(sys + "thing/event/property/post", "{\"id\":\"23\",\"version\":\"1.0\",\"params\":{\"Temperature\":{\"value\":25.0,\"time\":1767225700000}},\"method\":\"thing.event.property.post\"}");
            raw.Next(Wait);
            raw.Publish(sys + "thing/event/property/history/post", Post("24", "[{\"identity\":" + Identity("hist-0001") + ",\"properties\":[{\"Temperature\":{\"value\":19.0,\"time\":1767225650000}}]}]"));
            Assert.True(_cloud.WaitUntil(() => state.HistoryReadings == 5, Wait));
            Assert.Equal("25.0", state.Property("Temperature").ToJsonString());
        }

        public static IEnumerable<object[]> BadPosts()
        {
            string own = Identity("hist-0002");
            yield return new object[] { "{\"properties\":{\"Temperature\":[{\"value\":20.5,\"time\":1767225600000}]}}", 460, "array" };
            yield return new object[] { "[{\"identity\":" + Identity("someone-else") + ",\"properties\":[{\"Temperature\":{\"value\":20.5,\"time\":1767225600000}}]}]", 460, "identity" };
            yield return new object[] { "[{\"properties\":[{\"Temperature\":{\"value\":20.5,\"time\":1767225600000}}]}]", 460, "identity" };
            yield return new object[] { "[{\"identity\":" + own + ",\"properties\":[{\"Temperature\":{\"value\":20.5}}]}]", 460, "time" };
            yield return new object[] { "[{\"identity\":" + own + ",\"properties\":[{\"Temperature\":{\"value\":999.0,\"time\":1767225600000}}]}]", 6304, "Temperature" };
            yield return new object[] { "[{\"identity\":" + own + ",\"properties\":[{\"Nope\":{\"value\":1,\"time\":1767225600000}}]}]", 6320, "Nope" };
            var many = new StringBuilder("[{\"identity\":" + own + ",\"properties\":[");
            for (int i = 0; i < 200; i++)
            {
                many.Append(i == 0 ? string.Empty : ",").Append("{\"Humidity\":{\"value\":40.0,\"time\":").Append(1767225600000 + i).Append("}}");
            }

            yield return new object[] { many.Append("]}]").ToString(), 6106, "map size must less than 200" };
        }

        [Theory]
        [MemberData(nameof(BadPosts))]
        public void A_bad_history_post_gets_the_platforms_code_and_records_nothing(string parameters, int code, string named)
        {
            RegisteredDevice device = _cloud.Register(null, "hist-0002");
            _log.Secret(device.DeviceSecret);
            using var raw = new RawDevice(_cloud, device);
            string sys = "/sys/a1SimLamp01/hist-0002/";
            raw.Subscribe(sys + "thing/event/property/history/post_reply");
            raw.Publish(sys + "thing/event/property/history/post", Post("22", parameters));

            JsonNode reply = JsonNode.Parse(raw.Next(Wait).Payload);
            Assert.Equal(code, (int)reply["code"]);
            Assert.Contains(named, (string)reply["message"]);
            DeviceState state = _cloud.State("a1SimLamp01", "hist-0002");
            Assert.Empty(state.History());
            Assert.Equal(1, state.PostsRefused);
        }

        [Fact]
        public void More_readings_than_one_history_post_carries_arrive_in_two_accepted_posts_in_order()
        {
            RegisteredDevice device = _cloud.Register(null, "hist-0004", new JsonObject { ["limits"] = new JsonObject { ["offlineQueueLength"] = 300, ["maxPayloadBytes"] = 65536 } });
            _log.Secret(device.DeviceSecret);
            var output = new StringWriter();
            using var simulated = new SimulatedDevice(
                new SimulatorOptions { FlashDirectory = Path.Combine(_temp.Path, "flash4"), ConfigFile = device.ConfigPath, SamplePeriodMs = 0, LogWriter = output },
                _cloud.Registry.ModelOf(device.ProductKey));
            simulated.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => simulated.Status == ConnectionStatus.Connected, Wait), output.ToString());
            var outcomes = new System.Collections.Concurrent.ConcurrentQueue<AliyunIot.Alink.RequestOutcome>();
            simulated.Reporter.PostCompleted = outcomes.Enqueue;

            simulated.Network.Up = false;
            Assert.True(SimulatedDevice.WaitUntil(() => !simulated.Reporter.Online, Wait), "the device never noticed the outage");
            var taken = new List<string>();
            for (int i = 0; i < 250; i++)
            {
                double value = Math.Round(-20.0 + (i * 0.5), 1);
                Assert.Null(simulated.Reporter.ReportProperty("Temperature", value));
                taken.Add(value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
            }

            simulated.Network.Up = true;
            DeviceState state = _cloud.State(device.ProductKey, device.DeviceName);
            Assert.True(_cloud.WaitUntil(() => state.HistoryReadings == 250, Wait), "history readings at the cloud: " + state.HistoryReadings + "\n" + output);
            Assert.Equal(taken, state.History().Select(r => r.Value.ToJsonString()));
            Assert.True(SimulatedDevice.WaitUntil(() => outcomes.Count(o => o.Method == "thing.event.property.history.post") == 2, Wait), output.ToString());
            Assert.All(outcomes.Where(o => o.Method == "thing.event.property.history.post"), o => Assert.Equal(200, o.Code));
            Assert.Equal(0, state.PostsRefused);
            Assert.Equal(0, simulated.Reporter.DroppedReadings);
        }

        [Fact]
        public void Readings_taken_during_an_outage_reach_the_cloud_afterwards_with_their_times_and_none_is_lost()
        {
            RegisteredDevice device = _cloud.Register(null, "hist-0003");
            _log.Secret(device.DeviceSecret);
            var output = new StringWriter();
            using var simulated = new SimulatedDevice(
                new SimulatorOptions { FlashDirectory = Path.Combine(_temp.Path, "flash"), ConfigFile = device.ConfigPath, SamplePeriodMs = 0, LogWriter = output },
                _cloud.Registry.ModelOf(device.ProductKey));
            simulated.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => simulated.Status == ConnectionStatus.Connected, Wait), output.ToString());

            // The device's own outage (its network), the cloud staying up as the platform does: a broker restart
            // would race the cloud's reconnection against the device's.
            simulated.Network.Up = false;
            Assert.True(SimulatedDevice.WaitUntil(() => !simulated.Reporter.Online, Wait), "the device never noticed the outage");
            long startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var values = new[] { 18.5, 19.0, 19.5, 20.0, 20.5 };
            foreach (double value in values)
            {
                Assert.Null(simulated.Reporter.ReportProperty("Temperature", value));
                Thread.Sleep(5); // distinct times, so the check below sees them kept in order
            }

            long endMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.Equal(5, simulated.Reporter.BufferedReadings);
            simulated.Network.Up = true;

            DeviceState state = _cloud.State(device.ProductKey, device.DeviceName);
            Assert.True(_cloud.WaitUntil(() => state.HistoryReadings == 5, Wait), "history readings at the cloud: " + state.HistoryReadings + "\n" + output);
            var history = state.History();
            Assert.Equal(values.Select(v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)), history.Select(r => r.Value.ToJsonString()));
            Assert.All(history, r => Assert.InRange(r.TimeMs, startMs, endMs));
            Assert.Equal(history.Select(r => r.TimeMs).OrderBy(t => t), history.Select(r => r.TimeMs));
            Assert.True(SimulatedDevice.WaitUntil(() => simulated.Reporter.LastReplyCode == 200, Wait), "history post_reply " + simulated.Reporter.LastReplyCode);
            Assert.Equal(0, simulated.Reporter.BufferedReadings);
            Assert.Equal(0, simulated.Reporter.DroppedReadings);
            Assert.Equal(0, state.PostsRefused);
            SecretAssert.NotIn(device.DeviceSecret, output.ToString(), "the simulator output");
        }
    }
}
