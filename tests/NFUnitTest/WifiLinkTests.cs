using AliyunIot.Connection;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// WifiLink on the nanoCLR with a scripted adapter: the full join (a flash write of the WiFi configuration block)
    /// happens once per boot at most, every later join is a reconnect with the stored configuration, a block that
    /// already holds the credentials is used without rewriting it, and the pauses grow from 5 s to 60 s.
    /// </summary>
    [TestClass]
    public class WifiLinkTests
    {
        [TestMethod]
        public void After_the_first_join_only_reconnect_is_used()
        {
            ScriptedWifiAdapter adapter = new ScriptedWifiAdapter();
            adapter.Answer(true, false, false, true, true);
            WifiLink link = new WifiLink(adapter, "workshop", "secret-pw", new EdgeRandom(true), new NullLog());

            Assert.IsTrue(link.Connect(1000), "first join");
            for (int i = 0; i < 3; i++)
            {
                adapter.Connected = false;
                link.EnsureConnected(1000);
            }

            Assert.IsTrue(link.EnsureConnected(1000), "the link came back");
            Assert.AreEqual(1, adapter.Count("join"), "one full join");
            Assert.AreEqual(1, adapter.ConfigurationWrites, "the configuration block is written once");
            Assert.AreEqual(3, adapter.Count("reconnect"), "every later join reconnects");
        }

        [TestMethod]
        public void A_stored_configuration_with_the_same_credentials_is_not_rewritten()
        {
            ScriptedWifiAdapter adapter = new ScriptedWifiAdapter();
            adapter.StoredSsid = "workshop";
            adapter.StoredPassword = "secret-pw";
            adapter.Answer(true);
            WifiLink link = new WifiLink(adapter, "workshop", "secret-pw", new EdgeRandom(true), new NullLog());

            Assert.IsTrue(link.Connect(1000), "joined");
            Assert.AreEqual("stored?", (string)adapter.Calls[0], "reads the stored block first");
            Assert.AreEqual("reconnect", (string)adapter.Calls[1], "joins with it");
            Assert.AreEqual(0, adapter.ConfigurationWrites, "no flash write");
        }

        [TestMethod]
        public void Falls_back_to_a_full_join_when_the_stored_configuration_does_not_join()
        {
            ScriptedWifiAdapter adapter = new ScriptedWifiAdapter();
            adapter.StoredSsid = "workshop";
            adapter.StoredPassword = "secret-pw";
            adapter.Answer(false, true);
            WifiLink link = new WifiLink(adapter, "workshop", "secret-pw", new EdgeRandom(true), new NullLog());

            Assert.IsFalse(link.Connect(1000), "the driver did not join by itself");
            Assert.IsTrue(link.Connect(1000), "a full join did");
            Assert.AreEqual("join", (string)adapter.Calls[2], "the fallback is a full join");
            Assert.AreEqual("workshop", adapter.JoinedSsid, "with device.json's network");
            Assert.AreEqual(1, adapter.ConfigurationWrites, "one write");
        }

        [TestMethod]
        public void Without_an_ssid_the_stored_network_is_used_and_nothing_is_written()
        {
            ScriptedWifiAdapter adapter = new ScriptedWifiAdapter();
            adapter.Answer(false, true);
            WifiLink link = new WifiLink(adapter, null, null, new EdgeRandom(true), new NullLog());

            Assert.IsFalse(link.Connect(1000), "first attempt");
            Assert.IsTrue(link.Connect(1000), "second attempt");
            Assert.AreEqual(2, adapter.Count("reconnect"), "reconnects only");
            Assert.AreEqual(0, adapter.ConfigurationWrites, "no flash write");
        }

        [TestMethod]
        public void Pauses_grow_from_five_to_sixty_seconds_and_restart_after_a_join()
        {
            ScriptedWifiAdapter adapter = new ScriptedWifiAdapter();
            adapter.Answer(true);
            WifiLink link = new WifiLink(adapter, "workshop", "secret-pw", new EdgeRandom(true), new NullLog());
            int[] expected = new int[] { 5000, 10000, 20000, 40000, 60000, 60000 };
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], link.NextPauseMs(), "pause " + i.ToString());
            }

            Assert.IsTrue(link.Connect(1000), "joined");
            Assert.AreEqual(5000, link.NextPauseMs(), "from the first pause again");
        }
    }
}
