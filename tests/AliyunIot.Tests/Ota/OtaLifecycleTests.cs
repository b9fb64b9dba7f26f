using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ota;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// The OTA job's life around the session: AliyunDevice.Stop stops it, an expired URL is refreshed even with MQTT
    /// closed for the download, and the final report survives an outbox that cannot take it at that moment.
    /// </summary>
    public sealed class OtaLifecycleTests
    {
        private static readonly byte[] V1 = OtaTestImages.Build("1.0.0", 100, 20_000, 9_000);
        private static readonly byte[] V2 = OtaTestImages.Build("2.0.0", 200, 40_000, 21_000);

        [Fact]
        public void Device_stop_stops_a_running_ota_job_which_resumes_after_the_next_start()
        {
            using var rig = new OtaRig(s => s.RetryBaseMs = 60_000);
            rig.Provision(V1);
            rig.Boot();
            Assert.Equal("1.0.0", rig.NextInform());
            string url = rig.Server.AddFile("/ota/app.img", V2);
            rig.Server.DropConnectionAt("/ota/app.img", 30_000);
            rig.Push(OtaRig.Job("2.0.0", url, V2));
            Assert.True(SpinWait.SpinUntil(() => rig.Log.Contains("download interrupted"), 20000), "job waiting to retry");
            Assert.True(rig.Agent.IsBusy);

            rig.Device.Stop();

            Assert.False(rig.Agent.IsBusy);
            Assert.True(rig.Log.Contains("paused; it resumes after the next start"));
            Assert.Null(rig.Agent.LastOutcome);
        }

        [Fact]
        public void Expired_url_is_refreshed_while_mqtt_is_closed_for_the_download()
        {
            using var rig = new OtaRig(s => s.CloseMqttDuringDownload = true);
            rig.Provision(V1);
            rig.Boot();
            Assert.Equal("1.0.0", rig.NextInform());
            Assert.True(SpinWait.SpinUntil(() => rig.FirmwareGetCount == 1, 10000), "firmware.get at boot");

            string url = rig.Server.AddFile("/ota/old.img", V2, "?Expires=1");
            rig.Server.DropConnectionAt("/ota/old.img", 25_000);
            rig.Server.Expire("/ota/old.img", afterRequests: 1);
            string fresh = rig.Server.AddFile("/ota/fresh.img", V2, "?Expires=2");
            rig.FirmwareGetAnswer = () => OtaRig.Job("2.0.0", fresh, V2, "sha256");
            rig.Push(OtaRig.Job("2.0.0", url, V2, "sha256"));

            var final = rig.ProgressUntilFinal().Last();
            Assert.Equal("100", final.Step);
            Assert.Equal(2, rig.FirmwareGetCount);
            Assert.Equal(206, rig.Server.Requests.Single(r => r.Path == "/ota/fresh.img").StatusCode);
            Assert.Equal(V2, rig.SlotBytes(1));
            Assert.True(rig.Log.Contains("reconnecting MQTT briefly"));
        }

        [Fact]
        public void A_final_report_refused_by_a_full_outbox_is_retried_and_sent_once()
        {
            using var folder = new TempFolder();
            using var log = new CapturingLog();
            var topics = new DeviceTopics("pk", "dn");
            var publisher = new ScriptedPublisher(topics) { RefuseFinalReports = 2 };
            var settings = new OtaSettings { MaxRetries = 0, RetryBaseMs = 1, RetryCapMs = 5 };
            var agent = new OtaAgent(topics, publisher, new NotFoundDownloader(), new SlotStore(new FileFlashStorage(folder.Path)),
                new RecordingRestart(), new SystemClock(), log, settings, OtaTestCa.Shared.CertificatePem, "1.0.0");

            agent.Handle(topics.OtaUpgrade, Push(OtaRig.Job("2.0.0", "https://example.invalid/app.img", V2)));
            Assert.True(agent.WaitIdle(20000));

            Assert.Equal(3, publisher.FinalAttempts);
            Assert.Equal(new[] { "-2" }, publisher.AcceptedFinalSteps);
        }

        [Fact]
        public void A_final_report_the_outbox_cannot_take_is_sent_after_the_next_connect()
        {
            using var folder = new TempFolder();
            using var log = new CapturingLog();
            var topics = new DeviceTopics("pk", "dn");
            var publisher = new ScriptedPublisher(topics) { RefuseFinalReports = int.MaxValue };
            var agent = new OtaAgent(topics, publisher, new NotFoundDownloader(), new SlotStore(new FileFlashStorage(folder.Path)),
                new RecordingRestart(), new SystemClock(), log, new OtaSettings(), OtaTestCa.Shared.CertificatePem, "1.0.0");

            // Refused at once (not https), on the session's worker: one try, then pending.
            agent.Handle(topics.OtaUpgrade, Push(OtaRig.Job("2.0.0", "http://example.invalid/app.img", V2)));
            Assert.Empty(publisher.AcceptedFinalSteps);
            Assert.True(log.Contains("it is sent after the next connect"));

            publisher.RefuseFinalReports = 0;
            agent.OnConnected();
            agent.OnConnected();
            Assert.Equal(new[] { "-2" }, publisher.AcceptedFinalSteps);
        }

        [Fact]
        public void A_download_started_report_the_outbox_refuses_still_reaches_the_cloud_before_the_final_one()
        {
            using var folder = new TempFolder();
            using var log = new CapturingLog();
            var topics = new DeviceTopics("pk", "dn");
            var publisher = new ScriptedPublisher(topics);
            publisher.RefuseProgress["0"] = 2; // in-flight window full when the job starts
            var settings = new OtaSettings { MaxRetries = 0, RetryBaseMs = 1, RetryCapMs = 5 };
            var agent = new OtaAgent(topics, publisher, new NotFoundDownloader(), new SlotStore(new FileFlashStorage(folder.Path)),
                new RecordingRestart(), new SystemClock(), log, settings, OtaTestCa.Shared.CertificatePem, "1.0.0");

            agent.Handle(topics.OtaUpgrade, Push(OtaRig.Job("2.0.0", "https://example.invalid/app.img", V2)));
            Assert.True(agent.WaitIdle(20000));

            Assert.Equal(new[] { "0", "-2" }, publisher.AcceptedSteps);
        }

        [Fact]
        public void The_last_progress_report_before_the_outcome_is_not_lost_when_the_outbox_refuses_it()
        {
            using var folder = new TempFolder();
            using var log = new CapturingLog();
            File.WriteAllBytes(Path.Combine(folder.Path, "slotA.img"), V1);
            OtaTestKey.Deploy(folder.Path);
            var topics = new DeviceTopics("pk", "dn");
            var publisher = new ScriptedPublisher(topics);
            publisher.RefuseProgress["90"] = 1; // refused when the second-to-last chunk arrives; the last one ends the download

            // Ten chunks: the ninth crosses 90 %, the tenth completes the image (no further decile to report with).
            var settings = new OtaSettings { ChunkSize = (V2.Length * 2 + 18) / 19 };
            var restart = new RecordingRestart();
            var agent = new OtaAgent(topics, publisher, new InMemoryImageDownloader(V2), new SlotStore(new FileFlashStorage(folder.Path)),
                restart, new SystemClock(), log, settings, OtaTestCa.Shared.CertificatePem, "1.0.0");

            agent.Handle(topics.OtaUpgrade, Push(OtaRig.Job("2.0.0", "https://example.invalid/app.img", V2)));
            Assert.True(agent.WaitIdle(20000));

            Assert.Equal(new[] { "0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100" }, publisher.AcceptedSteps);
            Assert.True(restart.Wait(0), "restart after the verified image");
        }

        [Fact]
        public void Progress_and_final_reports_the_outbox_cannot_take_are_sent_after_the_next_connect_in_order_and_once()
        {
            using var folder = new TempFolder();
            using var log = new CapturingLog();
            var topics = new DeviceTopics("pk", "dn");
            var publisher = new ScriptedPublisher(topics) { RefuseFinalReports = int.MaxValue };
            publisher.RefuseProgress["0"] = int.MaxValue; // offline queue full for the whole job
            var settings = new OtaSettings { MaxRetries = 0, RetryBaseMs = 1, RetryCapMs = 5 };
            var clock = new ManualClock(); // the job thread offers the final report for 30 s of virtual time
            var agent = new OtaAgent(topics, publisher, new NotFoundDownloader(), new SlotStore(new FileFlashStorage(folder.Path)),
                new RecordingRestart(), clock, log, settings, OtaTestCa.Shared.CertificatePem, "1.0.0");

            agent.Handle(topics.OtaUpgrade, Push(OtaRig.Job("2.0.0", "https://example.invalid/app.img", V2)));
            Assert.True(agent.WaitIdle(20000));
            Assert.Empty(publisher.AcceptedSteps);
            Assert.True(log.Contains("it is sent after the next connect"));

            publisher.RefuseProgress["0"] = 0;
            publisher.RefuseFinalReports = 0;
            agent.OnConnected();
            agent.OnConnected();

            Assert.Equal(new[] { "0", "-2" }, publisher.AcceptedSteps);
        }

        private static byte[] Push(JsonObject data) => Encoding.UTF8.GetBytes(new JsonObject { ["code"] = "1000", ["id"] = 1, ["message"] = "success", ["data"] = data }.ToJsonString());

        /// <summary>
        /// Records OTA progress reports in the order the outbox kept them; refuses the first N final ones, and the
        /// first N of a given progress step, as a full in-flight window or offline queue would (nothing kept).
        /// </summary>
        private sealed class ScriptedPublisher : IPublisherWithOptions
        {
            private readonly DeviceTopics _topics;
            private readonly object _gate = new object();
            private readonly List<string> _accepted = new List<string>();
            private int _finalAttempts;

            public ScriptedPublisher(DeviceTopics topics) => _topics = topics;

            public int RefuseFinalReports;

            /// <summary>Progress step ("0", "90") → how many more times to refuse it.</summary>
            public readonly Dictionary<string, int> RefuseProgress = new Dictionary<string, int>();

            public int FinalAttempts { get { lock (_gate) { return _finalAttempts; } } }

            public string[] AcceptedSteps { get { lock (_gate) { return _accepted.ToArray(); } } }

            public string[] AcceptedFinalSteps { get { lock (_gate) { return _accepted.Where(IsFinal).ToArray(); } } }

            private static bool IsFinal(string step) => step.StartsWith('-') || step == "100";

            public PublishStatus Publish(string topic, byte[] payload, int qos) => Publish(topic, payload, qos, null);

            public PublishStatus Publish(string topic, byte[] payload, int qos, PublishOptions options)
            {
                if (topic != _topics.OtaProgress)
                {
                    return PublishStatus.Sent;
                }

                string step = (string)JsonNode.Parse(payload)!["params"]!["step"];
                lock (_gate)
                {
                    if (!IsFinal(step))
                    {
                        if (RefuseProgress.TryGetValue(step, out int left) && left > 0)
                        {
                            RefuseProgress[step] = left == int.MaxValue ? left : left - 1;
                            return PublishStatus.QueueFull;
                        }

                        _accepted.Add(step);
                        return PublishStatus.Sent;
                    }

                    _finalAttempts++;
                    if (RefuseFinalReports > 0)
                    {
                        RefuseFinalReports--;
                        return PublishStatus.InFlightFull;
                    }

                    _accepted.Add(step);
                }

                // A success waits for its PUBACK before the restart: acknowledge at once, as a broker would.
                options?.Delivered?.Invoke(options.Token, DeliveryOutcome.Acknowledged, 0);
                return PublishStatus.Sent;
            }
        }

        private sealed class NotFoundDownloader : IHttpDownloader
        {
            public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
                => new HttpDownloadResult(HttpDownloadStatus.HttpError, 404, 0, "HTTP 404");
        }
    }
}
