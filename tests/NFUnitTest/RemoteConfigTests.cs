using System.Text;
using AliyunIot.Alink;
using AliyunIot.Crypto;
using AliyunIot.RemoteConfig;
using nanoFramework.TestFramework;
using OtaPartition;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// Remote config on the device's runtime: the get request's bytes, a push downloaded, verified, applied and stored
    /// (over in-memory flash with littlefs' delete-then-move replace), an oversize push refused before downloading, a
    /// wrong sign refused, the stored config handed over again after a reboot and after a power cut inside the commit.
    /// </summary>
    [TestClass]
    public class RemoteConfigTests
    {
        private const string Sys = "/sys/a1Nano01/nano-dev/";
        private static readonly byte[] Config = Encoding.UTF8.GetBytes("{\"TargetTemperature\":23.5}");

        [TestMethod]
        public void Config_get_request_has_the_documented_bytes()
        {
            RecordingPublisher publisher = new RecordingPublisher();
            RemoteConfigAgent agent = Agent(publisher, new BytesDownloader(Config), new InMemoryFlashStorage(), new Handler(), 65536);

            agent.OnConnected();

            Assert.AreEqual(1, publisher.Count, "one request");
            Assert.AreEqual(Sys + "thing/config/get", publisher.Topic(0), "topic");
            Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}", publisher.Text(0), "bytes");
            Assert.AreEqual(1, publisher.Qos(0), "QoS 1");
        }

        [TestMethod]
        public void A_push_is_applied_stored_answered_and_handed_over_again_after_a_reboot()
        {
            RecordingPublisher publisher = new RecordingPublisher();
            InMemoryFlashStorage flash = new InMemoryFlashStorage();
            Handler handler = new Handler();
            RemoteConfigAgent agent = Agent(publisher, new BytesDownloader(Config), flash, handler, 65536);

            agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("21", "cfg00001", Config.Length, Sign(Config))));
            Assert.IsTrue(agent.WaitIdle(10000), "download ends");

            Assert.AreEqual("{\"id\":\"21\",\"code\":200,\"data\":{}}", publisher.LastOn(Sys + "thing/config/push_reply"), "push_reply");
            Assert.AreEqual(Encoding.UTF8.GetString(Config, 0, Config.Length), handler.Content, "application got the file");
            Assert.AreEqual("cfg00001", agent.CurrentConfigId, "stored");

            Handler rebooted = new Handler();
            RemoteConfigOutcome outcome = Agent(new RecordingPublisher(), new BytesDownloader(Config), flash, rebooted, 65536).ApplyStored();
            Assert.IsTrue(outcome.Succeeded, outcome.Message);
            Assert.AreEqual(Encoding.UTF8.GetString(Config, 0, Config.Length), rebooted.Content, "stored config after reboot");
        }

        [TestMethod]
        public void An_oversize_push_is_refused_before_downloading_and_a_wrong_sign_after()
        {
            RecordingPublisher publisher = new RecordingPublisher();
            BytesDownloader downloader = new BytesDownloader(Config);
            Handler handler = new Handler();
            RemoteConfigAgent agent = Agent(publisher, downloader, new InMemoryFlashStorage(), handler, 16);

            agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("22", "cfg00002", Config.Length, Sign(Config))));
            Assert.AreEqual("{\"id\":\"22\",\"code\":460,\"data\":{},\"message\":\"config refused: configSize 26 exceeds this device's limit of 16 bytes (remoteConfig.maxBytes)\"}", publisher.LastOn(Sys + "thing/config/push_reply"), "oversize");
            Assert.AreEqual(0, downloader.Calls, "nothing downloaded");

            agent = Agent(publisher, downloader, new InMemoryFlashStorage(), handler, 65536);
            agent.Handle(Sys + "thing/config/push", Encoding.UTF8.GetBytes(Push("23", "cfg00003", Config.Length, Sign(Encoding.UTF8.GetBytes("other")))));
            Assert.IsTrue(agent.WaitIdle(10000), "download ends");
            Assert.AreEqual("{\"id\":\"23\",\"code\":460,\"data\":{},\"message\":\"config refused: SHA-256 differs from sign (the file is corrupt or not the one offered)\"}", publisher.LastOn(Sys + "thing/config/push_reply"), "wrong sign");
            Assert.IsNull(handler.Content, "nothing applied");
            Assert.IsNull(agent.CurrentConfigId, "nothing stored");
        }

        [TestMethod]
        public void A_power_cut_anywhere_in_the_commit_leaves_a_config_that_loads()
        {
            // Cut inside the record's replace (its delete done, its move not): the record survives as rconfig.rec.new.
            InMemoryFlashStorage flash = OldAndCandidate();
            flash.CutNextReplaceAfterDelete = true;
            try
            {
                new RemoteConfigStore(flash).Commit(NewOffer());
            }
            catch (System.IO.IOException)
            {
                // The simulated power cut.
            }

            AssertLoadsNewConfig(flash, "cut in the record's replace");

            // Cut inside the config's replace: the new record is whole, rconfig.bin deleted, the candidate not moved.
            flash = OldAndCandidate();
            FlashRecord record = new FlashRecord();
            record.Set("configId", "cfg00004");
            record.SetLong("size", Config.Length);
            record.Set("sign", Sign(Config));
            RecordFiles.Write(flash, RemoteConfigStore.RecordName, record);
            flash.Delete(RemoteConfigStore.FileName);
            AssertLoadsNewConfig(flash, "cut in the config's replace");
        }

        private static InMemoryFlashStorage OldAndCandidate()
        {
            InMemoryFlashStorage flash = new InMemoryFlashStorage();
            flash.Put(RemoteConfigStore.FileName, Encoding.UTF8.GetBytes("{\"old\":1}"));
            flash.Put(RemoteConfigStore.CandidateName, Config);
            return flash;
        }

        private static RemoteConfigOffer NewOffer()
        {
            RemoteConfigOffer offer = new RemoteConfigOffer();
            offer.ConfigId = "cfg00004";
            offer.Size = Config.Length;
            offer.Sign = Sign(Config);
            return offer;
        }

        private static void AssertLoadsNewConfig(InMemoryFlashStorage flash, string what)
        {
            string problem;
            RemoteConfigFile file = new RemoteConfigStore(flash).Load(new byte[64], out problem);
            Assert.IsNotNull(file, what + ": " + problem);
            Assert.AreEqual("cfg00004", file.ConfigId, what);
            byte[] content = file.ReadAll();
            Assert.AreEqual(Encoding.UTF8.GetString(Config, 0, Config.Length), Encoding.UTF8.GetString(content, 0, content.Length), what + ": content");
            Assert.IsFalse(flash.Exists(RemoteConfigStore.CandidateName), what + ": candidate moved");
        }

        private static RemoteConfigAgent Agent(RecordingPublisher publisher, BytesDownloader downloader, InMemoryFlashStorage flash, Handler handler, int maxBytes)
        {
            RemoteConfigSettings settings = new RemoteConfigSettings();
            settings.MaxBytes = maxBytes;
            settings.ChunkSize = 256;
            settings.RetryDelayMs = 0;
            return new RemoteConfigAgent(new DeviceTopics("a1Nano01", "nano-dev"), publisher, downloader, flash, handler, new StepClock(), new NullLog(), settings, null, new AlinkIds());
        }

        private static string Push(string id, string configId, int size, string sign)
        {
            return "{\"id\":\"" + id + "\",\"version\":\"1.0\",\"params\":{\"configId\":\"" + configId + "\",\"configSize\":" + size.ToString() + ",\"getType\":\"file\",\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\",\"url\":\"https://oss.example.com/c.json?Expires=1\"},\"method\":\"thing.config.push\"}";
        }

        private static string Sign(byte[] content)
        {
            Sha256 hash = new Sha256();
            hash.Append(content, 0, content.Length);
            return Hex.ToLower(hash.Finish());
        }

        private sealed class Handler : IRemoteConfigHandler
        {
            public string Content;

            public string Apply(RemoteConfigFile file)
            {
                byte[] bytes = file.ReadAll();
                Content = Encoding.UTF8.GetString(bytes, 0, bytes.Length);
                return null;
            }
        }
    }
}
