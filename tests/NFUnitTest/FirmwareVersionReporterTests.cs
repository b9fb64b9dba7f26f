using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Json;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The core's OTA side of a build without code OTA (the esp32-wroom build) on the nanoCLR: the running version on
    /// every connect, every pushed job refused with step -1 and the reason, a push for the running version answered
    /// with inform, other modules and malformed pushes ignored; the bytes are those the OTA component writes.
    /// </summary>
    [TestClass]
    public class FirmwareVersionReporterTests
    {
        private const string Job = "{\"code\":\"1000\",\"data\":{\"size\":1024,\"version\":\"2.0.0\",\"url\":\"https://oss.test/app.img\",\"md5\":\"00000000000000000000000000000000\"},\"id\":1,\"message\":\"success\"}";

        [TestMethod]
        public void The_messages_are_written_as_the_platform_reads_them()
        {
            JsonWriter json = new JsonWriter(16, 1024);

            Assert.AreEqual("{\"id\":\"7\",\"params\":{\"version\":\"1.4.2\"}}", Text(OtaMessages.Inform(json, "7", "1.4.2", OtaMessages.DefaultModule)), "inform, default module not written");
            Assert.AreEqual("{\"id\":\"7\",\"params\":{\"version\":\"1.4.2\"}}", Text(OtaMessages.Inform(json, "7", "1.4.2", null)), "inform, no module");
            Assert.AreEqual("{\"id\":\"8\",\"params\":{\"step\":\"-1\",\"desc\":\"say \\\"no\\\"\",\"module\":\"mcu\"}}", Text(OtaMessages.Progress(json, "8", OtaMessages.StepUpgradeFailed, "say \"no\"", "mcu")), "progress, escaped desc, module written");
            Assert.AreEqual(0, OtaMessages.ReadData(Encoding.UTF8.GetBytes("{\"code\":200}"), new RecordingLog()).Count, "no data: no job");
            Assert.IsNull(OtaMessages.ReadData(Encoding.UTF8.GetBytes("{\"data\":[1]}"), new RecordingLog()), "data not an object: ignored");
        }

        [TestMethod]
        public void Every_connect_reports_the_running_version_on_inform()
        {
            DeviceTopics topics = new DeviceTopics("a1Prod", "dev1");
            RecordingPublisher publisher = new RecordingPublisher();
            FirmwareVersionReporter reporter = new FirmwareVersionReporter(topics, publisher, new RecordingLog(), "1.4.2", null);

            reporter.OnConnected();
            reporter.OnConnected();

            Assert.AreEqual("{\"id\":\"1\",\"params\":{\"version\":\"1.4.2\"}}\n{\"id\":\"2\",\"params\":{\"version\":\"1.4.2\"}}\n", publisher.TextsOn(topics.OtaInform), "inform on every connect");
            Assert.AreEqual("/ota/device/inform/a1Prod/dev1", publisher.Topic(0), "topic");
            Assert.AreEqual(1, publisher.Qos(0), "QoS 1");
        }

        [TestMethod]
        public void A_pushed_job_gets_one_refusal_with_step_minus_one_and_the_reason()
        {
            DeviceTopics topics = new DeviceTopics("a1Prod", "dev1");
            RecordingPublisher publisher = new RecordingPublisher();
            RecordingLog log = new RecordingLog();
            FirmwareVersionReporter reporter = new FirmwareVersionReporter(topics, publisher, log, "1.4.2", "default");

            Assert.IsTrue(reporter.Handle(topics.OtaUpgrade, Encoding.UTF8.GetBytes(Job)), "the upgrade topic is the reporter's");

            Assert.AreEqual(1, publisher.Count, "exactly one message");
            Assert.AreEqual("{\"id\":\"1\",\"params\":{\"step\":\"-1\",\"desc\":\"" + FirmwareVersionReporter.RefusalReason + "\"}}\n", publisher.TextsOn(topics.OtaProgress), "refusal");
            Assert.Contains("flash.ps1", FirmwareVersionReporter.RefusalReason, "the reason names the way to update");
            Assert.IsTrue(log.Contains("for version 2.0.0"), "logged with the job's version");
        }

        [TestMethod]
        public void A_push_for_the_running_version_is_answered_with_inform()
        {
            DeviceTopics topics = new DeviceTopics("a1Prod", "dev1");
            RecordingPublisher publisher = new RecordingPublisher();
            FirmwareVersionReporter reporter = new FirmwareVersionReporter(topics, publisher, new RecordingLog(), "2.0.0", null);

            reporter.Handle(topics.OtaUpgrade, Encoding.UTF8.GetBytes(Job));

            Assert.AreEqual(0, publisher.CountOn(topics.OtaProgress), "no refusal");
            Assert.AreEqual("{\"id\":\"1\",\"params\":{\"version\":\"2.0.0\"}}\n", publisher.TextsOn(topics.OtaInform), "inform");
        }

        [TestMethod]
        public void A_module_other_than_default_is_written_and_jobs_for_other_modules_are_ignored()
        {
            DeviceTopics topics = new DeviceTopics("a1Prod", "dev1");
            RecordingPublisher publisher = new RecordingPublisher();
            FirmwareVersionReporter reporter = new FirmwareVersionReporter(topics, publisher, new RecordingLog(), "1.4.2", "mcu");

            reporter.OnConnected();
            reporter.Handle(topics.OtaUpgrade, Encoding.UTF8.GetBytes(Job));
            reporter.Handle(topics.OtaUpgrade, Encoding.UTF8.GetBytes("{\"data\":{\"version\":\"2.0.0\",\"module\":\"mcu\"}}"));

            Assert.AreEqual("{\"id\":\"1\",\"params\":{\"version\":\"1.4.2\",\"module\":\"mcu\"}}\n", publisher.TextsOn(topics.OtaInform), "inform names the module");
            Assert.AreEqual("{\"id\":\"2\",\"params\":{\"step\":\"-1\",\"desc\":\"" + FirmwareVersionReporter.RefusalReason + "\",\"module\":\"mcu\"}}\n", publisher.TextsOn(topics.OtaProgress), "only the mcu job is refused");
        }

        [TestMethod]
        public void Malformed_pushes_are_ignored_and_other_topics_are_not_the_reporters()
        {
            DeviceTopics topics = new DeviceTopics("a1Prod", "dev1");
            RecordingPublisher publisher = new RecordingPublisher();
            RecordingLog log = new RecordingLog();
            FirmwareVersionReporter reporter = new FirmwareVersionReporter(topics, publisher, log, "1.4.2", null);
            string[] malformed = { "{not json", "[1,2]", "{\"data\":\"2.0.0\"}", "{\"data\":{}}", "" };

            for (int i = 0; i < malformed.Length; i++)
            {
                Assert.IsTrue(reporter.Handle(topics.OtaUpgrade, Encoding.UTF8.GetBytes(malformed[i])), "handled: " + malformed[i]);
            }

            Assert.IsTrue(reporter.Handle(topics.OtaUpgrade, null), "handled: null");
            Assert.IsFalse(reporter.Handle(topics.OtaFirmwareGetReply, Encoding.UTF8.GetBytes(Job)), "firmware.get is not asked, its reply not taken");
            Assert.AreEqual(0, publisher.Count, "nothing published");
            Assert.IsTrue(log.Contains("OTA message ignored"), "the reason is logged");

            ArrayList subscriptions = new ArrayList();
            reporter.AddSubscriptions(subscriptions);
            Assert.AreEqual(1, subscriptions.Count, "one subscription");
            Assert.AreEqual(topics.OtaUpgrade, (string)subscriptions[0], "the upgrade topic");
        }

        private static string Text(byte[] bytes)
        {
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }
    }
}
