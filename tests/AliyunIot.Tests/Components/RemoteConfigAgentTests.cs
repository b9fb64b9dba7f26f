using System.Security.Cryptography;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.HostPorts.Http;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Storage;
using AliyunIot.RemoteConfig;
using AliyunIot.TestBroker.Https;
using AliyunIot.Tests.Ota;
using AliyunIot.Tests.Support;
using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Components
{
    /// <summary>
    /// The remote config agent on its own: exact wire bytes, a real HTTPS server and real files for the downloads, the
    /// application handler, and every bad input answered on push_reply with the reason while the stored config stays.
    /// </summary>
    public sealed class RemoteConfigAgentTests : IDisposable
    {
        private const string Pk = "a1RConfig01";
        private const string Dn = "dev-0001";
        private const string Sys = "/sys/" + Pk + "/" + Dn + "/";
        private static readonly byte[] GoodConfig = Encoding.UTF8.GetBytes("{\"TargetTemperature\":23.5,\"SamplePeriodMs\":2000}");
        private readonly TempFolder _temp = new TempFolder("rconfig");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly CapturingPublisher _publisher = new CapturingPublisher();
        private readonly HttpsTestServer _server = HttpsTestServer.Start(OtaTestCa.Shared.ServerCertificate);
        private readonly FileFlashStorage _flash;
        private readonly RecordingHandler _handler = new RecordingHandler();
        private RemoteConfigAgent _agent;

        public RemoteConfigAgentTests()
        {
            _flash = new FileFlashStorage(_temp.Sub("flash"));
            _agent = NewAgent(new RemoteConfigSettings { RetryDelayMs = 0, GetTimeoutMs = 1500 });
        }

        public void Dispose()
        {
            _agent.Stop();
            _server.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void Config_get_is_the_documented_request_on_the_get_topic_at_qos_1_once_per_boot()
        {
            _agent.OnConnected();
            _agent.OnConnected();

            Published get = Assert.Single(_publisher.Messages);
            Assert.Equal(Sys + "thing/config/get", get.Topic);
            Assert.Equal("{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}", get.Text);
            Assert.Equal(1, get.Qos);
        }

        [Fact]
        public void A_pushed_config_is_downloaded_verified_applied_stored_and_answered_200()
        {
            string push = Push("42", Offer("c0ffee01", GoodConfig, Serve(GoodConfig)));

            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(push));
            Assert.True(_agent.WaitIdle(10000));

            Published reply = Assert.Single(_publisher.Messages);
            Assert.Equal(Sys + "thing/config/push_reply", reply.Topic);
            Assert.Equal("{\"id\":\"42\",\"code\":200,\"data\":{}}", reply.Text);
            Assert.Equal(0, reply.Qos);
            Assert.Equal(GoodConfig, _handler.LastContent);
            Assert.Equal(RemoteConfigSource.Pushed, _handler.LastSource);
            Assert.Equal("c0ffee01", _agent.CurrentConfigId);
            Assert.Equal(GoodConfig, File.ReadAllBytes(Path.Combine(_flash.Folder, RemoteConfigStore.FileName)));
            Assert.False(_flash.Exists(RemoteConfigStore.CandidateName));
        }

        [Fact]
        public void The_stored_config_is_handed_over_again_after_a_reboot_and_the_same_config_is_not_downloaded_twice()
        {
            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("1", Offer("c0ffee02", GoodConfig, Serve(GoodConfig)))));
            Assert.True(_agent.WaitIdle(10000));
            _agent.Stop();

            var rebooted = new RecordingHandler();
            _agent = NewAgent(null, rebooted);
            RemoteConfigOutcome outcome = _agent.ApplyStored();

            Assert.True(outcome.Succeeded, outcome.Message);
            Assert.Equal(GoodConfig, rebooted.LastContent);
            Assert.Equal(RemoteConfigSource.Stored, rebooted.LastSource);

            int requests = _server.Requests.Count;
            _publisher.Clear();
            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("2", Offer("c0ffee02", GoodConfig, Serve(GoodConfig)))));
            Assert.True(_agent.WaitIdle(10000));
            Assert.Equal(requests, _server.Requests.Count);
            Assert.Equal("{\"id\":\"2\",\"code\":200,\"data\":{}}", Assert.Single(_publisher.Messages).Text);
        }

        [Fact]
        public void An_oversize_config_is_refused_on_its_configSize_before_any_download()
        {
            _agent = NewAgent(new RemoteConfigSettings { MaxBytes = 1024 });
            byte[] big = new byte[2000];
            Array.Fill(big, (byte)' ');
            string url = Serve(big);

            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("7", Offer("big00001", big, url))));

            Assert.Equal("{\"id\":\"7\",\"code\":460,\"data\":{},\"message\":\"config refused: configSize 2000 exceeds this device's limit of 1024 bytes (remoteConfig.maxBytes)\"}", Assert.Single(_publisher.Messages).Text);
            Assert.Empty(_server.Requests);
            Assert.Null(_handler.LastContent);
        }

        [Fact]
        public void A_file_whose_sha256_differs_from_sign_is_refused_and_the_stored_config_stays()
        {
            StoreGoodConfig("c0ffee03");
            byte[] other = Encoding.UTF8.GetBytes("{\"TargetTemperature\":99.0,\"SamplePeriodMs\":2000}");
            string offer = Offer("bad00001", other, Serve(other), signOf: GoodConfig);

            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("8", offer)));
            Assert.True(_agent.WaitIdle(10000));

            Assert.Equal("{\"id\":\"8\",\"code\":460,\"data\":{},\"message\":\"config refused: SHA-256 differs from sign (the file is corrupt or not the one offered)\"}", Assert.Single(_publisher.Messages).Text);
            Assert.Null(_handler.LastContent);
            Assert.Equal("c0ffee03", _agent.CurrentConfigId);
            Assert.Equal(GoodConfig, File.ReadAllBytes(Path.Combine(_flash.Folder, RemoteConfigStore.FileName)));
            Assert.False(_flash.Exists(RemoteConfigStore.CandidateName));
        }

        [Theory]
        [InlineData("not json", null, "malformed push: ")]
        [InlineData("{\"version\":\"1.0\",\"params\":{}}", null, "malformed push: field id missing")]
        [InlineData("{\"id\":\"9\",\"version\":\"1.0\",\"params\":[1]}", "9", "malformed push: field params expected object")]
        [InlineData("{\"id\":\"9\",\"params\":{\"configId\":\"x1\",\"configSize\":10,\"sign\":\"00\",\"signMethod\":\"Md5\",\"url\":\"https://h/x\"}}", "9", "config refused: signMethod \"Md5\" is not supported (Sha256 is)")]
        [InlineData("{\"id\":\"9\",\"params\":{\"configId\":\"x1\",\"configSize\":10,\"sign\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"signMethod\":\"Sha256\",\"url\":\"http://h/x\"}}", "9", "config refused: url must be an https:// URL")]
        [InlineData("{\"id\":\"9\",\"params\":{\"configId\":\"x1\",\"configSize\":\"ten\",\"sign\":\"00\",\"signMethod\":\"Sha256\",\"url\":\"https://h/x\"}}", "9", "config refused: field configSize expected number")]
        [InlineData("{\"id\":\"9\",\"params\":{\"configId\":\"x1\",\"configSize\":10,\"getType\":\"content\",\"sign\":\"00\",\"signMethod\":\"Sha256\",\"url\":\"https://h/x\"}}", "9", "config refused: getType \"content\" is not supported (file is)")]
        public void A_malformed_push_is_answered_460_with_the_reason_and_nothing_changes(string payload, string id, string reason)
        {
            StoreGoodConfig("c0ffee04");
            _publisher.Clear();

            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(payload));

            Published reply = Assert.Single(_publisher.Messages);
            Assert.Equal(Sys + "thing/config/push_reply", reply.Topic);
            var json = System.Text.Json.Nodes.JsonNode.Parse(reply.Text);
            Assert.Equal(id, (string)json["id"]);
            Assert.Equal(460, (int)json["code"]);
            Assert.Equal("{}", json["data"].ToJsonString());
            Assert.StartsWith(reason, (string)json["message"]);
            Assert.Equal("c0ffee04", _agent.CurrentConfigId);
            Assert.False(_agent.IsBusy);
        }

        [Fact]
        public void An_expired_url_is_refreshed_with_config_get_and_the_download_completes()
        {
            string path = "/config/" + Guid.NewGuid().ToString("N") + "/config.json";
            string expired = _server.AddFile(path, GoodConfig, "?Expires=1&Signature=abc");
            _server.Expire(path);

            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("11", Offer("fresh001", GoodConfig, expired))));
            Published get = WaitFor(m => m.Topic == Sys + "thing/config/get");
            string getId = (string)System.Text.Json.Nodes.JsonNode.Parse(get.Text)["id"];
            string reply = "{\"code\":200,\"data\":" + Offer("fresh001", GoodConfig, Serve(GoodConfig)) + ",\"id\":\"" + getId + "\",\"message\":\"success\",\"method\":\"thing.config.get\",\"version\":\"1.0\"}";
            _agent.Handle(Sys + "thing/config/get_reply", Encoding.UTF8.GetBytes(reply));
            Assert.True(_agent.WaitIdle(10000));

            Assert.Equal("{\"id\":\"11\",\"code\":200,\"data\":{}}", WaitFor(m => m.Topic.EndsWith("push_reply", StringComparison.Ordinal)).Text);
            Assert.Equal(GoodConfig, _handler.LastContent);
            Assert.True(_log.Contains("config URL expired (HTTP 403)"));
            Assert.False(_log.Contains("Signature=abc"), "a URL query (OSS signature) reached the log");
        }

        [Fact]
        public void An_expired_url_without_a_fresh_one_ends_with_400_and_the_reason()
        {
            string path = "/config/" + Guid.NewGuid().ToString("N") + "/config.json";
            string expired = _server.AddFile(path, GoodConfig);
            _server.Expire(path);

            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("12", Offer("stale001", GoodConfig, expired))));
            Assert.True(_agent.WaitIdle(10000));

            Assert.Equal("{\"id\":\"12\",\"code\":400,\"data\":{},\"message\":\"config not downloaded: URL expired (HTTP 403) and no new URL arrived\"}", WaitFor(m => m.Topic.EndsWith("push_reply", StringComparison.Ordinal)).Text);
            Assert.Null(_agent.CurrentConfigId);
            Assert.False(_flash.Exists(RemoteConfigStore.CandidateName));
        }

        [Fact]
        public void A_config_the_application_refuses_is_answered_460_with_its_reason_and_not_stored()
        {
            StoreGoodConfig("c0ffee05");
            _handler.Refusal = "TargetTemperature must be a number";
            _publisher.Clear();

            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("13", Offer("refused1", GoodConfig, Serve(GoodConfig)))));
            Assert.True(_agent.WaitIdle(10000));

            Assert.Equal("{\"id\":\"13\",\"code\":460,\"data\":{},\"message\":\"config refused1 refused by the application: TargetTemperature must be a number\"}", Assert.Single(_publisher.Messages).Text);
            Assert.Equal("c0ffee05", _agent.CurrentConfigId);
        }

        [Fact]
        public void A_get_reply_to_a_request_this_device_did_not_send_is_ignored()
        {
            string reply = "{\"code\":200,\"data\":" + Offer("other001", GoodConfig, Serve(GoodConfig)) + ",\"id\":\"999\",\"message\":\"success\",\"version\":\"1.0\"}";

            _agent.Handle(Sys + "thing/config/get_reply", Encoding.UTF8.GetBytes(reply));

            Assert.False(_agent.IsBusy);
            Assert.Empty(_server.Requests);
        }

        [Fact]
        public void A_power_cut_after_the_record_before_the_replace_finishes_the_commit_at_boot()
        {
            StoreGoodConfig("c0ffee06");
            byte[] next = Encoding.UTF8.GetBytes("{\"TargetTemperature\":25.0}");

            // The state a cut leaves between RecordFiles.Write and Replace: record and candidate of the new config.
            File.WriteAllBytes(Path.Combine(_flash.Folder, RemoteConfigStore.CandidateName), next);
            var record = new FlashRecord();
            record.Set("configId", "c0ffee07");
            record.SetLong("size", next.Length);
            record.Set("sign", Convert.ToHexString(SHA256.HashData(next)).ToLowerInvariant());
            RecordFiles.Write(_flash, RemoteConfigStore.RecordName, record);

            var handler = new RecordingHandler();
            _agent = NewAgent(null, handler);
            Assert.True(_agent.ApplyStored().Succeeded);
            Assert.Equal(next, handler.LastContent);
            Assert.False(_flash.Exists(RemoteConfigStore.CandidateName));
        }

        [Fact]
        public void A_power_cut_during_a_download_keeps_the_old_config_and_a_damaged_store_is_refused_by_name()
        {
            StoreGoodConfig("c0ffee08");
            File.WriteAllBytes(Path.Combine(_flash.Folder, RemoteConfigStore.CandidateName), new byte[] { (byte)'{', (byte)'"' });
            var handler = new RecordingHandler();
            _agent = NewAgent(null, handler);
            Assert.True(_agent.ApplyStored().Succeeded);
            Assert.Equal(GoodConfig, handler.LastContent);

            byte[] damaged = (byte[])GoodConfig.Clone();
            damaged[3] ^= 1;
            File.WriteAllBytes(Path.Combine(_flash.Folder, RemoteConfigStore.FileName), damaged);
            var second = new RecordingHandler();
            _agent = NewAgent(null, second);
            RemoteConfigOutcome outcome = _agent.ApplyStored();
            Assert.False(outcome.Succeeded);
            Assert.Equal("the stored config c0ffee08 is missing or damaged (size or SHA-256 differ from its record)", outcome.Message);
            Assert.Null(second.LastContent);
        }

        [Fact]
        public void Where_two_tls_sessions_do_not_fit_mqtt_is_closed_for_the_download_and_the_reply_waits_at_qos_1()
        {
            var control = new RecordingControl(_server);
            _agent.ConnectionControl = control;

            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("14", Offer("tls00001", GoodConfig, Serve(GoodConfig)))));
            Assert.True(_agent.WaitIdle(10000));

            Assert.Equal("suspend, download while suspended, resume", string.Join(", ", control.Events));
            Published reply = Assert.Single(_publisher.Messages);
            Assert.Equal("{\"id\":\"14\",\"code\":200,\"data\":{}}", reply.Text);
            Assert.Equal(1, reply.Qos);
        }

        private void StoreGoodConfig(string id)
        {
            _agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("100", Offer(id, GoodConfig, Serve(GoodConfig)))));
            Assert.True(_agent.WaitIdle(10000));
            Assert.Equal(id, _agent.CurrentConfigId);
            _handler.LastContent = null;
            _publisher.Clear();
        }

        private RemoteConfigAgent NewAgent(RemoteConfigSettings settings, RecordingHandler handler = null)
        {
            settings ??= new RemoteConfigSettings { RetryDelayMs = 0, GetTimeoutMs = 1500 };
            return new RemoteConfigAgent(new DeviceTopics(Pk, Dn), _publisher, new HttpDownloader(10000), _flash, handler ?? _handler, new SystemClock(), _log, settings, OtaTestCa.Shared.CertificatePem, new AlinkIds());
        }

        private string Serve(byte[] content) => _server.AddFile("/config/" + Guid.NewGuid().ToString("N") + "/config.json", content);

        private static string Offer(string id, byte[] content, string url, byte[] signOf = null) =>
            "{\"configId\":\"" + id + "\",\"configSize\":" + content.Length + ",\"getType\":\"file\",\"sign\":\"" + Convert.ToHexString(SHA256.HashData(signOf ?? content)).ToLowerInvariant() + "\",\"signMethod\":\"Sha256\",\"url\":\"" + url + "\"}";

        private static string Push(string id, string offer) => "{\"id\":\"" + id + "\",\"version\":\"1.0\",\"params\":" + offer + ",\"method\":\"thing.config.push\"}";

        private Published WaitFor(Func<Published, bool> match)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                Published found = _publisher.Messages.FirstOrDefault(match);
                if (found != null)
                {
                    return found;
                }

                Thread.Sleep(10);
            }

            throw new TimeoutException("nothing published that matches");
        }

        private sealed class RecordingControl : AliyunIot.Connection.IDownloadConnectionControl
        {
            private readonly HttpsTestServer _server;
            private bool _suspended;
            private int _requestsAtSuspend;

            public RecordingControl(HttpsTestServer server) => _server = server;

            public List<string> Events { get; } = new List<string>();

            public void Suspend()
            {
                _suspended = true;
                _requestsAtSuspend = _server.Requests.Count;
                Events.Add("suspend");
            }

            public void Resume()
            {
                if (_suspended && _server.Requests.Count > _requestsAtSuspend)
                {
                    Events.Add("download while suspended");
                }

                _suspended = false;
                Events.Add("resume");
            }
        }

        private sealed class RecordingHandler : IRemoteConfigHandler
        {
            public byte[] LastContent { get; set; }

            public RemoteConfigSource LastSource { get; private set; }

            public string Refusal { get; set; }

            public string Apply(RemoteConfigFile file)
            {
                if (Refusal != null)
                {
                    return Refusal;
                }

                LastContent = file.ReadAll();
                LastSource = file.Source;
                return null;
            }
        }
    }
}
