using System.Text;
using AliyunIot.Alink;
using AliyunIot.Crypto;
using AliyunIot.Ota;
using nanoFramework.TestFramework;
using OtaPartition;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The OTA agent on the nanoCLR with an in-memory downloader and flash: a pushed job is downloaded into the
    /// inactive slot, verified and activated with exactly one final report; a corrupt image is refused (-3) and
    /// discarded; a broken download resumes with a range; an expired URL is refreshed through firmware.get; jobs
    /// the device cannot take are refused before the first byte; the boot state is confirmed on connect.
    /// </summary>
    [TestClass]
    public class OtaAgentTests
    {
        private const string Url = "https://oss.test/app.img?Expires=1&Signature=abc";

        [TestMethod]
        public void A_pushed_job_is_downloaded_verified_activated_and_restarted_into()
        {
            OtaRig rig = new OtaRig();
            rig.Push(rig.JobJson(Url, rig.Md5Hex));
            Assert.IsTrue(rig.Agent.WaitIdle(10000), "job ended");
            Assert.AreEqual(100, rig.Agent.LastOutcome.Step, rig.Agent.LastOutcome.Desc);
            Assert.AreEqual("verified; restarting into version 2.0.0", rig.Agent.LastOutcome.Desc, "desc");
            Assert.AreEqual("ota: switching to version 2.0.0", rig.Restart.Reason, "restarted");
            CollectionAssert.AreEqual(rig.Image, rig.Storage.Bytes("slotB.img"), "slot B holds the image");
            SlotManifest manifest = new SlotStore(rig.Storage).ReadManifest();
            Assert.IsTrue(manifest.State == SlotState.Pending, "pending until the next boot");
            Assert.AreEqual("2.0.0", manifest.ActiveVersion, "the new version is next");
            string progress = rig.Publisher.TextsOn(rig.Topics.OtaProgress);
            Assert.StartsWith("{\"id\":\"1\",\"params\":{\"step\":\"0\",\"desc\":\"download started\"}}", progress, "first report");
            Assert.Contains("{\"step\":\"100\",\"desc\":\"verified; restarting into version 2.0.0\"}", progress, "final report");
            Assert.AreEqual(1, Occurrences(progress, "\"step\":\"100\""), "exactly one final report");
        }

        [TestMethod]
        public void A_corrupt_image_is_refused_and_discarded()
        {
            OtaRig rig = new OtaRig();
            rig.Push(rig.JobJson(Url, "00000000000000000000000000000000"));
            Assert.IsTrue(rig.Agent.WaitIdle(10000), "job ended");
            Assert.AreEqual(-3, rig.Agent.LastOutcome.Step, "verify failed");
            Assert.AreEqual("MD5 mismatch: the image is corrupt", rig.Agent.LastOutcome.Desc, "desc");
            Assert.IsNull(rig.Restart.Reason, "no restart");
            Assert.IsNull(new SlotStore(rig.Storage).PendingDownloadTag(), "download discarded");
            Assert.IsTrue(new BootGuard(new SlotStore(rig.Storage)).Boot().Slot == 0, "still boots slot A");
            Assert.Contains("{\"step\":\"-3\",\"desc\":\"MD5 mismatch: the image is corrupt\"}", rig.Publisher.TextsOn(rig.Topics.OtaProgress), "reported");
        }

        [TestMethod]
        public void A_file_with_the_right_digest_that_is_no_ota_image_is_refused()
        {
            byte[] junk = new byte[700];
            for (int i = 0; i < junk.Length; i++)
            {
                junk[i] = (byte)i;
            }

            OtaRig rig = new OtaRig(junk);
            rig.Push(rig.JobJson(Url, rig.Md5Hex));
            Assert.IsTrue(rig.Agent.WaitIdle(10000), "job ended");
            Assert.AreEqual(-3, rig.Agent.LastOutcome.Step, "verify failed");
            Assert.StartsWith("not a valid OTA image: ", rig.Agent.LastOutcome.Desc, "desc");
            Assert.IsNull(rig.Restart.Reason, "no restart");
        }

        [TestMethod]
        public void A_broken_download_resumes_where_it_stopped()
        {
            OtaRig rig = new OtaRig();
            rig.Downloader.BreakAfterBytes = 1000;
            rig.Push(rig.JobJson(Url, rig.Md5Hex));
            Assert.IsTrue(rig.Agent.WaitIdle(10000), "job ended");
            Assert.AreEqual(100, rig.Agent.LastOutcome.Step, rig.Agent.LastOutcome.Desc);
            Assert.AreEqual(Url + "@0 " + Url + "@1000", rig.Downloader.Requests, "second request from byte 1000");
            CollectionAssert.AreEqual(rig.Image, rig.Storage.Bytes("slotB.img"), "bit-exact");
        }

        [TestMethod]
        public void A_download_interrupted_by_a_reboot_resumes_from_flash()
        {
            OtaRig rig = new OtaRig();
            SlotWriter writer = new SlotStore(rig.Storage).OpenWriter("2.0.0|md5|" + rig.Md5Hex, rig.Image.Length);
            writer.Write(rig.Image, 0, 1500);
            writer.Flush();
            writer.Dispose();

            rig.Push(rig.JobJson(Url, rig.Md5Hex));
            Assert.IsTrue(rig.Agent.WaitIdle(10000), "job ended");
            Assert.AreEqual(100, rig.Agent.LastOutcome.Step, rig.Agent.LastOutcome.Desc);
            Assert.AreEqual(Url + "@1500", rig.Downloader.Requests, "only the rest was fetched");
        }

        [TestMethod]
        public void An_expired_url_is_refreshed_through_firmware_get()
        {
            OtaRig rig = new OtaRig();
            string fresh = "https://oss.test/app.img?Expires=2&Signature=def";
            rig.Downloader.ExpiredUrl = Url;
            rig.Push(rig.JobJson(Url, rig.Md5Hex));
            Assert.IsTrue(rig.Publisher.WaitFor(rig.Topics.OtaFirmwareGet, 1), "asked for a new URL");
            rig.Agent.Handle(rig.Topics.OtaFirmwareGetReply, Encoding.UTF8.GetBytes("{\"code\":200,\"id\":\"2\",\"data\":" + rig.JobJson(fresh, rig.Md5Hex) + "}"));
            Assert.IsTrue(rig.Agent.WaitIdle(10000), "job ended");
            Assert.AreEqual(100, rig.Agent.LastOutcome.Step, rig.Agent.LastOutcome.Desc);
            Assert.AreEqual(Url + "@0 " + fresh + "@0", rig.Downloader.Requests, "the fresh URL was used");
        }

        [TestMethod]
        public void Jobs_the_device_cannot_take_are_refused_before_the_first_byte()
        {
            ExpectRefusal("{\"size\":100,\"version\":\"2.0.0\",\"url\":\"http://oss.test/a.img\",\"md5\":\"00000000000000000000000000000000\"}", -2, "refused: only https:// downloads are allowed");
            ExpectRefusal("{\"size\":999999,\"version\":\"2.0.0\",\"url\":\"https://oss.test/a.img\",\"md5\":\"00000000000000000000000000000000\"}", -1, "refused: image of 999999 bytes exceeds the slot capacity of 65536 bytes");
            ExpectRefusal("{\"size\":100,\"url\":\"https://oss.test/a.img\",\"md5\":\"00000000000000000000000000000000\"}", -1, "refused: version missing or longer than 64 characters");
            ExpectRefusal("{\"size\":100,\"version\":\"2.0.0\",\"url\":\"https://oss.test/a.img\",\"md5\":\"xyz\"}", -1, "refused: md5 is not a 32-digit hex digest");
        }

        [TestMethod]
        public void A_job_for_the_running_version_is_answered_with_an_inform()
        {
            OtaRig rig = new OtaRig();
            rig.Push("{\"size\":100,\"version\":\"1.0.0\",\"url\":\"https://oss.test/a.img\",\"md5\":\"00000000000000000000000000000000\"}");
            Assert.IsFalse(rig.Agent.IsBusy, "no job");
            Assert.AreEqual("{\"id\":\"1\",\"params\":{\"version\":\"1.0.0\"}}\n", rig.Publisher.TextsOn(rig.Topics.OtaInform), "inform");
            Assert.AreEqual("", rig.Downloader.Requests, "nothing downloaded");
        }

        [TestMethod]
        public void First_connect_informs_the_version_and_asks_for_a_job_once()
        {
            OtaRig rig = new OtaRig();
            rig.Agent.OnConnected();
            rig.Agent.OnConnected();
            Assert.AreEqual("{\"id\":\"1\",\"params\":{\"version\":\"1.0.0\"}}\n{\"id\":\"3\",\"params\":{\"version\":\"1.0.0\"}}\n", rig.Publisher.TextsOn(rig.Topics.OtaInform), "inform on every connect");
            Assert.AreEqual("{\"id\":\"2\",\"version\":\"1.0\",\"params\":{\"module\":\"default\"},\"method\":\"thing.ota.firmware.get\"}\n", rig.Publisher.TextsOn(rig.Topics.OtaFirmwareGet), "firmware.get once per boot");
        }

        [TestMethod]
        public void First_connect_confirms_an_image_on_trial()
        {
            OtaRig rig = new OtaRig();
            SlotStore store = new SlotStore(rig.Storage);
            SlotWriter writer = store.OpenWriter("job", rig.Image.Length);
            writer.Write(rig.Image, 0, rig.Image.Length);
            writer.Flush();
            writer.Dispose();
            uint verified = OtaImageReader.Validate(rig.Storage, SlotStore.SlotFileName(store.ReadManifest().InactiveSlot), new byte[512]).SignatureCrc32;
            store.ActivateInactive("2.0.0", 3, new byte[512], verified);
            Assert.IsTrue(new BootGuard(store).Boot().State == SlotState.Testing, "on trial");

            rig.Agent.OnConnected();
            Assert.IsTrue(new SlotStore(rig.Storage).ReadManifest().State == SlotState.Confirmed, "confirmed");
        }

        [TestMethod]
        public void Messages_on_other_topics_are_left_alone()
        {
            OtaRig rig = new OtaRig();
            Assert.IsFalse(rig.Agent.Handle("/sys/a1Prod/dev1/thing/service/property/set", new byte[] { (byte)'{', (byte)'}' }), "not OTA");
            Assert.IsTrue(rig.Agent.Handle(rig.Topics.OtaUpgrade, Encoding.UTF8.GetBytes("{\"data\":")), "malformed push taken");
            Assert.IsFalse(rig.Agent.IsBusy, "and ignored");
        }

        private static void ExpectRefusal(string job, int step, string desc)
        {
            OtaRig rig = new OtaRig();
            rig.Push(job);
            Assert.IsTrue(rig.Agent.WaitIdle(10000), "idle");
            Assert.IsNotNull(rig.Agent.LastOutcome, "an outcome for " + job);
            Assert.AreEqual(step, rig.Agent.LastOutcome.Step, "step for " + job);
            Assert.AreEqual(desc, rig.Agent.LastOutcome.Desc, "desc");
            Assert.AreEqual("", rig.Downloader.Requests, "nothing downloaded");
        }

        private static int Occurrences(string text, string part)
        {
            int n = 0;
            string rest = text;
            while (rest.Contains(part))
            {
                n++;
                int at = IndexOfOrdinal(rest, part);
                rest = rest.Substring(at + part.Length);
            }

            return n;
        }

        private static int IndexOfOrdinal(string text, string part)
        {
            for (int i = 0; i + part.Length <= text.Length; i++)
            {
                if (OrdinalText.StartsWith(text, i, part))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>An agent over in-memory flash (slot A holds 1.0.0) and a downloader serving a 3 KB image of 2.0.0.</summary>
        private sealed class OtaRig
        {
            public readonly DeviceTopics Topics = new DeviceTopics("a1Prod", "dev1");
            public readonly InMemoryFlashStorage Storage = new InMemoryFlashStorage();
            public readonly RecordingPublisher Publisher = new RecordingPublisher();
            public readonly RecordingRestart Restart = new RecordingRestart();
            public readonly byte[] Image;
            public readonly string Md5Hex;
            public readonly InMemoryDownloader Downloader;
            public readonly OtaAgent Agent;

            public OtaRig()
                : this(SignedTestImage.Bytes())
            {
            }

            public OtaRig(byte[] image)
            {
                Image = image;
                Md5 md5 = new Md5();
                md5.Append(image, 0, image.Length);
                Md5Hex = Hex.ToLower(md5.Finish());
                Storage.Put("slotA.img", OtaSlotTests.Image("1.0.0", 3, 100));
                Storage.Put(OtaPartition.StablePlatform.SigningKeyFile, System.Text.Encoding.UTF8.GetBytes(SignedTestImage.PublicKeyPem));
                Downloader = new InMemoryDownloader(image);
                OtaSettings settings = new OtaSettings();
                settings.ChunkSize = 512;
                settings.SlotCapacity = 65536;
                settings.RetryBaseMs = 10;
                settings.RetryCapMs = 20;

                // The jobs here carry MD5 (the console's legacy sign method); the image signature is checked either way.
                settings.AllowMd5Only = true;
                Agent = new OtaAgent(Topics, Publisher, Downloader, new SlotStore(Storage), Restart, new StepClock(), new RecordingLog(), settings, "(test roots)", "1.0.0");
            }

            public string JobJson(string url, string md5)
            {
                return "{\"size\":" + Image.Length.ToString() + ",\"version\":\"2.0.0\",\"url\":\"" + url + "\",\"md5\":\"" + md5 + "\",\"sign\":\"" + md5 + "\",\"signMethod\":\"Md5\"}";
            }

            public void Push(string jobJson)
            {
                Agent.Handle(Topics.OtaUpgrade, Encoding.UTF8.GetBytes("{\"code\":\"1000\",\"data\":" + jobJson + ",\"id\":1507707025,\"message\":\"success\"}"));
            }
        }
    }
}
