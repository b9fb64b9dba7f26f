using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Esp32;
using AliyunIot.Loader;
using AliyunIot.Ports;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest.Hardware
{
    /// <summary>
    /// Brings the board online for a test that talks to the platform: I:\device.json read, WiFi joined, the clock set
    /// by SNTP (TLS needs it), the CA bundle resolved. Skips the test, with the reason, when any of that is missing.
    /// </summary>
    internal static class OnlineBoard
    {
        /// <summary>The board's config once online; <paramref name="ca"/> receives the trusted roots.</summary>
        public static DeviceConfig Prepare(ILog log, bool needSecretAndTls, out string ca)
        {
            HardwareGuard.RequireEsp32();
            ca = null;
            string text = new FlashConfigStore(new FlashStorage(FlashStorage.DefaultRoot), FlashConfigStore.DefaultName).Read();
            if (text == null)
            {
                Assert.SkipTest("No I:\\device.json on this board: provision it with flash.ps1 first.");
            }

            DeviceConfig config = new DeviceConfigParser(log).Parse(text);
            if (needSecretAndTls && (config.DeviceSecret == null || !config.UseTls))
            {
                Assert.SkipTest("The test needs a deviceSecret and TLS in I:\\device.json.");
            }

            if (!new WifiLink(new WifiNetworkAdapter(), config.WifiSsid, config.WifiPassword, new DeviceRandom(), log).Connect(60000))
            {
                Assert.SkipTest("The board could not join WiFi (store it with flash.ps1 -WifiSsid).");
            }

            Assert.IsTrue(new TimeWaiter(log).WaitForValidTime(60000), "SNTP must set the clock before TLS");
            ca = CaBundle.Resolve(config.CaCertificatesPem, config.CaCertificatesFile, log);
            Assert.IsNotNull(ca, "the embedded CA bundle is readable");
            return config;
        }
    }
}
