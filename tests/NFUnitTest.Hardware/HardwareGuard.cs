using nanoFramework.Runtime.Native;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest.Hardware
{
    /// <summary>
    /// nanoFramework.TestFramework has no categories, so the hardware tests live in their own project (run with
    /// nano.runsettings = IsRealHardware True) AND check the platform at the start of every test: started on the
    /// virtual nanoCLR by mistake, they report "skipped" with the reason instead of failing for the wrong cause.
    /// </summary>
    internal static class HardwareGuard
    {
        /// <summary>Skips the calling test unless it runs on an ESP32.</summary>
        public static void RequireEsp32()
        {
            string platform = SystemInfo.Platform;
            if (platform == null || platform.IndexOf("ESP32") < 0)
            {
                Assert.SkipTest("Needs an ESP32 (this is " + (platform == null ? "an unknown platform" : platform) + "): run with the real-hardware runsettings.");
            }
        }
    }
}
