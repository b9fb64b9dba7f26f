using AliyunIot.Connection;
using AliyunIot.HostPorts.Platform;
using AliyunIot.NFUnitTest;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Session
{
    /// <summary>
    /// WifiLink's decisions over a board's life, through the scripted adapter the on-device tests use (it records
    /// every call and counts the configuration-block writes a full join makes, as ConnectDhcp does): a boot with the
    /// access point missing, a day of link losses, the next boot with the block already written.
    /// </summary>
    public sealed class WifiLinkTests
    {
        [Fact]
        public void A_day_of_link_losses_after_the_first_join_only_reconnects_and_never_rewrites_the_wifi_config()
        {
            using var log = new CapturingLog();
            string password = log.Secret("wifi-Pa55-word");
            var adapter = new ScriptedWifiAdapter();
            adapter.Answer(true);
            var link = new WifiLink(adapter, "workshop", password, new SystemRandom(), log);
            Assert.True(link.Connect(60000));

            // 200 losses, each back after one to three reconnect attempts.
            int expectedReconnects = 0;
            for (int loss = 0; loss < 200; loss++)
            {
                adapter.Connected = false;
                int failures = loss % 3;
                for (int i = 0; i < failures; i++)
                {
                    adapter.Answer(false);
                }

                adapter.Answer(true);
                expectedReconnects += failures + 1;
                while (!link.EnsureConnected(60000))
                {
                }
            }

            Assert.Equal(1, adapter.Count("join"));
            Assert.Equal(1, adapter.ConfigurationWrites);
            Assert.Equal(expectedReconnects, adapter.Count("reconnect"));
            Assert.Equal("join", adapter.Calls[1]);
            Assert.All(adapter.Calls.Cast<string>().Skip(2), call => Assert.Equal("reconnect", call));
        }

        [Fact]
        public void Until_the_first_join_succeeds_each_attempt_is_a_full_join_then_never_again()
        {
            using var log = new CapturingLog();
            string password = log.Secret("wifi-Pa55-word");
            var adapter = new ScriptedWifiAdapter();
            adapter.Answer(false, false, false, true, false, true);
            var link = new WifiLink(adapter, "workshop", password, new SystemRandom(), log);

            int attempts = 1;
            while (!link.Connect(60000))
            {
                attempts++;
            }

            adapter.Connected = false;
            Assert.False(link.EnsureConnected(60000));
            Assert.True(link.EnsureConnected(60000));

            Assert.Equal(4, attempts);
            Assert.Equal(new object[] { "stored?", "join", "join", "join", "join", "reconnect", "reconnect" }, adapter.Calls.ToArray());
            Assert.Equal(4, adapter.ConfigurationWrites);
            Assert.True(link.JoinedOnce);
            Assert.Null(link.LastError);
            Assert.True(log.Contains("Could not join \"workshop\": timed out waiting for an IP address"));
        }

        [Fact]
        public void The_next_boot_uses_the_block_the_first_boot_wrote()
        {
            using var log = new CapturingLog();
            string password = log.Secret("wifi-Pa55-word");
            var adapter = new ScriptedWifiAdapter();
            adapter.Answer(true);
            new WifiLink(adapter, "workshop", password, new SystemRandom(), log).Connect(60000);

            // Reboot: a new link, the same flash.
            adapter.Connected = false;
            adapter.Calls.Clear();
            adapter.Answer(true);
            var afterReboot = new WifiLink(adapter, "workshop", password, new SystemRandom(), log);
            Assert.True(afterReboot.Connect(60000));

            Assert.Equal(new object[] { "stored?", "reconnect" }, adapter.Calls.ToArray());
            Assert.Equal(1, adapter.ConfigurationWrites);
            Assert.Equal(0, afterReboot.FullJoins);
        }

        [Fact]
        public void Changed_credentials_in_device_json_are_written_once()
        {
            using var log = new CapturingLog();
            var adapter = new ScriptedWifiAdapter { StoredSsid = "old-network", StoredPassword = log.Secret("old-Pa55") };
            adapter.Answer(true);
            var link = new WifiLink(adapter, "workshop", log.Secret("new-Pa55"), new SystemRandom(), log);

            Assert.True(link.Connect(60000));

            Assert.Equal(new object[] { "stored?", "join" }, adapter.Calls.ToArray());
            Assert.Equal("workshop", adapter.StoredSsid);
            Assert.Equal(1, link.FullJoins);
        }

        [Fact]
        public void A_driver_exception_is_reported_by_its_kind_and_the_next_attempt_goes_ahead()
        {
            using var log = new CapturingLog();
            var adapter = new ThrowingOnceAdapter();
            var link = new WifiLink(adapter, null, null, new SystemRandom(), log);

            Assert.False(link.Connect(1000));
            Assert.Equal("WiFi failed (InvalidOperationException)", link.LastError);
            Assert.True(link.Connect(1000));
        }

        private sealed class ThrowingOnceAdapter : AliyunIot.Ports.IWifiAdapter
        {
            private bool _thrown;

            public bool IsConnected => false;

            public string LastFailure => null;

            public bool StoredConfigurationIs(string ssid, string password) => false;

            public bool Join(string ssid, string password, int timeoutMs) => throw new InvalidOperationException("never a full join without an SSID");

            public bool Reconnect(int timeoutMs)
            {
                if (!_thrown)
                {
                    _thrown = true;
                    throw new InvalidOperationException("driver fault");
                }

                return true;
            }
        }
    }
}
