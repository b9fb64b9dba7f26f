using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Traffic;
using AliyunIot.Connection;
using AliyunIot.Ports;
using AliyunIot.RemoteConfig;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Simulation;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Components
{
    /// <summary>
    /// Remote config and log post end to end: the simulated device (the portable core with host ports) against the
    /// local cloud through the real broker and the real HTTPS server; the cloud's answers pinned byte for byte.
    /// </summary>
    public sealed class ComponentsCloudTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
        private readonly TempFolder _temp = new TempFolder("components-cloud");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly StringWriter _deviceOutput = new StringWriter();
        private readonly LocalCloud _cloud;
        private readonly RegisteredDevice _registered;
        private readonly string _pk;
        private SimulatedDevice _device;

        public ComponentsCloudTests()
        {
            _cloud = CloudHosting.Start(_temp.Sub("cloud"), _log);
            _registered = _cloud.Register(null, "cfg-dev-01", new JsonObject
            {
                ["remoteConfig"] = new JsonObject { ["maxBytes"] = 1024, ["getTimeoutMs"] = 5000 },
                ["logPost"] = new JsonObject { ["intervalMs"] = 1000 },
            });
            _log.Secret(_registered.DeviceSecret);
            _pk = _registered.ProductKey;
        }

        public void Dispose()
        {
            _device?.Dispose();
            _cloud.Dispose();
            SecretAssert.NotIn(_registered.DeviceSecret, _deviceOutput.ToString(), "the device's log");
            _log.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void The_cloud_answers_config_get_and_log_get_and_log_post_with_the_platforms_bytes()
        {
            RegisteredDevice raw = _cloud.Register(null, "raw-cfg-01");
            _log.Secret(raw.DeviceSecret);
            using var device = new RawDevice(_cloud, raw);
            string sys = $"/sys/{_pk}/raw-cfg-01/";
            device.Subscribe(sys + "thing/config/get_reply", sys + "thing/config/log/get_reply", sys + "thing/log/post_reply", sys + "thing/config/log/push");

            device.Publish(sys + "thing/config/get", "{\"id\":\"5\",\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}");
            Assert.Equal("{\"code\":200,\"data\":{},\"id\":\"5\",\"message\":\"success\",\"method\":\"thing.config.get\",\"version\":\"1.0\"}", device.Next(Wait).Payload);

            byte[] content = Encoding.UTF8.GetBytes("{\"TargetTemperature\":21.0}");
            string configId = _cloud.RemoteConfig.Set(_pk, content);
            device.Publish(sys + "thing/config/get", "{\"id\":\"6\",\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}");
            var reply = device.Next(Wait);
            Assert.Equal(sys + "thing/config/get_reply", reply.Topic);
            string sign = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content)).ToLowerInvariant();
            Assert.Matches("^\\{\"code\":200,\"data\":\\{\"configId\":\"" + configId + "\",\"configSize\":26,\"getType\":\"file\",\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\",\"url\":\"https://localhost:\\d+/config/" + _pk + "/" + configId + "/[0-9a-f]{16}/config.json\\?Expires=\\d+&OSSAccessKeyId=local&Signature=[0-9a-f]{16}\"\\},\"id\":\"6\",\"message\":\"success\",\"method\":\"thing.config.get\",\"version\":\"1.0\"\\}$", reply.Payload);

            device.Publish(sys + "thing/config/log/get", "{\"id\":\"7\",\"version\":\"1.0\",\"params\":{\"getType\":\"content\",\"configScope\":\"device\"},\"method\":\"thing.config.log.get\"}");
            Assert.Equal("{\"code\":200,\"data\":{\"getType\":\"content\",\"content\":{\"mode\":0}},\"id\":\"7\",\"message\":\"success\",\"method\":\"thing.config.log.get\",\"version\":\"1.0\"}", device.Next(Wait).Payload);

            _cloud.DeviceLogs.SetSwitch(_pk, "raw-cfg-01", 1, "warn");
            var push = device.Next(Wait);
            Assert.Equal(sys + "thing/config/log/push", push.Topic);
            Assert.Matches("^\\{\"id\":\"\\d+\",\"version\":\"1.0\",\"params\":\\{\"getType\":\"content\",\"content\":\\{\"mode\":1,\"logLevel\":\"WARN\"\\}\\},\"method\":\"thing.config.log.push\"\\}$", push.Payload);

            device.Publish(sys + "thing/log/post", "{\"id\":\"8\",\"version\":\"1.0\",\"params\":[{\"utcTime\":\"2026-12-03T01:02:03.004+0000\",\"logLevel\":\"WARN\",\"module\":\"ota\",\"code\":\"\",\"traceContext\":\"\",\"logContent\":\"retry\"}],\"method\":\"thing.log.post\"}");
            Assert.Equal("{\"code\":200,\"data\":{},\"id\":\"8\",\"message\":\"success\",\"method\":\"thing.log.post\",\"version\":\"1.0\"}", device.Next(Wait).Payload);
            Assert.Equal("retry", (string)Assert.Single(_cloud.DeviceLogs.Lines(_pk, "raw-cfg-01"))["logContent"]);

            device.Publish(sys + "thing/log/post", "{\"id\":\"9\",\"version\":\"1.0\",\"params\":[{\"logLevel\":\"WARN\"}],\"method\":\"thing.log.post\"}");
            Assert.Equal("{\"code\":460,\"data\":{},\"id\":\"9\",\"message\":\"request parameter error: utcTime must be a string\",\"method\":\"thing.log.post\",\"version\":\"1.0\"}", device.Next(Wait).Payload);
            Assert.Single(_cloud.DeviceLogs.Lines(_pk, "raw-cfg-01"));
        }

        [Fact]
        public void A_config_set_before_boot_is_fetched_at_the_first_connect_and_applied_from_flash_after_a_reboot()
        {
            string configId = _cloud.RemoteConfig.Set(_pk, Encoding.UTF8.GetBytes("{\"TargetTemperature\":21.0}"));
            PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => _device.Application.AppliedConfigId == configId, Wait), _deviceOutput.ToString());
            Assert.Equal(21.0, _device.Climate.Target);

            // Power off, and boot again where the cloud cannot be reached: the stored last good config is applied from flash.
            _device.Dispose();
            PowerOn(unreachable: true);
            Assert.Equal(configId, _device.Application.AppliedConfigId);
            Assert.Equal(21.0, _device.Climate.Target);
            Assert.True(_device.RemoteConfig.LastOutcome.Succeeded, _device.RemoteConfig.LastOutcome.Message);
            Assert.Equal("stored config " + configId + " applied", _device.RemoteConfig.LastOutcome.Message);
        }

        [Fact]
        public void Pushes_are_applied_and_oversize_corrupt_expired_and_malformed_ones_answered_with_the_reason_keeping_the_config()
        {
            PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => _device.Status == ConnectionStatus.Connected, Wait), _deviceOutput.ToString());

            string good = _cloud.RemoteConfig.Set(_pk, Encoding.UTF8.GetBytes("{\"TargetTemperature\":24.0}"));
            CommandResult applied = _cloud.PushConfig(_pk, "cfg-dev-01");
            Assert.True(applied.Succeeded, applied.Code + " " + applied.Message);
            Assert.Equal(good, _device.Application.AppliedConfigId);

            _cloud.RemoteConfig.Set(_pk, Encoding.UTF8.GetBytes("{\"Label\":\"" + new string('x', 1500) + "\"}"));
            CommandResult oversize = _cloud.PushConfig(_pk, "cfg-dev-01");
            Assert.Equal(460, oversize.Code);
            Assert.Equal("config refused: configSize 1512 exceeds this device's limit of 1024 bytes (remoteConfig.maxBytes)", oversize.Message);

            _cloud.RemoteConfig.Set(_pk, Encoding.UTF8.GetBytes("{\"TargetTemperature\":19.0}"));
            CommandResult corrupt = _cloud.PushConfig(_pk, "cfg-dev-01", corruptServedCopy: true);
            Assert.Equal(460, corrupt.Code);
            Assert.Equal("config refused: SHA-256 differs from sign (the file is corrupt or not the one offered)", corrupt.Message);
            Assert.Equal(good, _device.Application.AppliedConfigId);
            Assert.Equal(good, _device.RemoteConfig.CurrentConfigId);
            Assert.Equal(24.0, _device.Climate.Target);

            // An offer whose URL has expired (OSS answers 403): the device asks thing.config.get for a fresh URL.
            JsonObject offer = _cloud.RemoteConfig.Offer(_pk);
            _cloud.RemoteConfig.ExpireUrls(_pk);
            _cloud.Bus.Publish($"/sys/{_pk}/cfg-dev-01/thing/config/push", AlinkMessages.Request("777", offer, "thing.config.push"), 1);
            string latest = (string)offer["configId"];
            Assert.True(SimulatedDevice.WaitUntil(() => _device.Application.AppliedConfigId == latest, Wait), _deviceOutput.ToString());
            Assert.Equal(19.0, _device.Climate.Target);
            Assert.True(_cloud.WaitUntil(() => PushReplies().Any(p => p == "{\"id\":\"777\",\"code\":200,\"data\":{}}"), Wait), string.Join("\n", PushReplies()));

            _cloud.Bus.Publish($"/sys/{_pk}/cfg-dev-01/thing/config/push", Encoding.UTF8.GetBytes("{\"id\":\"778\",\"version\":\"1.0\",\"params\":\"file\",\"method\":\"thing.config.push\"}"), 1);
            Assert.True(_cloud.WaitUntil(() => PushReplies().Any(p => p == "{\"id\":\"778\",\"code\":460,\"data\":{},\"message\":\"malformed push: field params expected object\"}"), Wait), string.Join("\n", PushReplies()));
            Assert.Equal(latest, _device.RemoteConfig.CurrentConfigId);
            Assert.Equal(ConnectionStatus.Connected, _device.Status);
        }

        [Fact]
        public void Log_lines_reach_the_cloud_at_the_level_it_sets_without_secrets()
        {
            PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => _device.Status == ConnectionStatus.Connected, Wait), _deviceOutput.ToString());
            Assert.False(_device.LogPoster.Enabled);

            _cloud.DeviceLogs.SetSwitch(_pk, "cfg-dev-01", 1, "WARN");
            Assert.True(SimulatedDevice.WaitUntil(() => _device.LogPoster.Enabled, Wait));
            _device.LogPoster.Capture(LogLevel.Info, "app", "an info line the cloud did not ask for");
            _device.LogPoster.Capture(LogLevel.Warning, "app", "login with deviceSecret=" + _registered.DeviceSecret + " refused");
            _device.LogPoster.Capture(LogLevel.Error, "app", "sensor 3 failed");

            Assert.True(_cloud.WaitUntil(() => _cloud.DeviceLogs.Lines(_pk, "cfg-dev-01").Any(l => (string)l["logContent"] == "sensor 3 failed"), Wait), _deviceOutput.ToString());
            var lines = _cloud.DeviceLogs.Lines(_pk, "cfg-dev-01");
            Assert.DoesNotContain(lines, l => ((string)l["logContent"]).Contains("info line", StringComparison.Ordinal));
            JsonObject warn = Assert.Single(lines, l => (string)l["logLevel"] == "WARN" && (string)l["module"] == "app");
            Assert.Equal("login with deviceSecret=*** refused", (string)warn["logContent"]);
            Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000$", (string)warn["utcTime"]);
            SecretAssert.NotIn(_registered.DeviceSecret, string.Join("\n", lines.Select(l => l.ToJsonString())), "the cloud's device log");
            SecretAssert.NotIn(_registered.DeviceSecret, string.Join("\n", _cloud.Traffic.Since(0, "cfg-dev-01").Select(e => e.Payload)), "the traffic log");

            _cloud.DeviceLogs.SetSwitch(_pk, "cfg-dev-01", 0, null);
            Assert.True(SimulatedDevice.WaitUntil(() => !_device.LogPoster.Enabled, Wait));
        }

        private IEnumerable<string> PushReplies() =>
            _cloud.Traffic.Since(0, "cfg-dev-01", "thing/config/push_reply").Where(e => e.Kind == TrafficEntry.Up).Select(e => e.Payload);

        private void PowerOn(bool unreachable = false)
        {
            _device = new SimulatedDevice(
                new SimulatorOptions { FlashDirectory = _temp.Sub("flash"), ConfigFile = _registered.ConfigPath, SamplePeriodMs = 0, LogWriter = _deviceOutput, LogLevel = LogLevel.Debug, Port = unreachable ? 1 : 0 },
                _cloud.Registry.ModelOf(_pk));
            _device.PowerOn();
        }
    }
}
