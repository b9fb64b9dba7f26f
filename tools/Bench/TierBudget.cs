using AliyunIot.Config;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Part of section budget: per portable assembly (the core and each component) the net10.0 Release DLL and its
    /// .pe estimate, and per board profile what the two update tiers leave at the application's entry. The platform
    /// tier (the core and the components the product references, deployed by flash.ps1 with the loader) runs from
    /// flash and costs only its runtime tables; the application tier (Esp32App.pe in the OTA image) is loaded with
    /// Assembly.Load and costs its whole .pe plus tables. Estimates, not device measurements: the factors and the
    /// measured baselines are the constants below (issue 12, real toolchain, 32-bit interpreter).
    /// </summary>
    public static class TierBudget
    {
        /// <summary>.pe bytes per host DLL byte (real metadata processor: AliyunIot 168,960 → 110,900; OtaPartition 20,992 → 11,576).</summary>
        public const double PeRatio = 0.6;

        /// <summary>Heap bytes per .pe byte loaded with Assembly.Load (the byte[] stays the assembly's file, plus tables).</summary>
        public const double LoadHeapPerPeByte = 1.08;

        /// <summary>
        /// Heap bytes per .pe byte deployed in flash (runtime tables only): measured 7.5 % (AliyunIot + Esp32App deployed
        /// took 48,744 − 37,836 = 10,908 B for 145,464 B of .pe); 10 % here, the upper end of the 8–10 % range.
        /// </summary>
        public const double TablesPerPeByte = 0.10;

        /// <summary>Esp32App.pe (shell + composition root) from the real metadata processor (no host build exists).</summary>
        public const long Esp32AppPeBytes = 34_564;

        /// <summary>Room on I: kept for device.json, the manifest, the download record and the config block's files.</summary>
        public const long SlotReserveBytes = 32 * 1024;

        /// <summary>What the application needs free at its entry on a board without PSRAM (issue 12).</summary>
        public const long RequiredFreeAtEntry = 40 * 1024;

        /// <summary>
        /// One type per portable assembly of the platform tier, in deployment order; the second value says whether the
        /// reference product (firmware/Esp32App) references it and flash.ps1 therefore deploys it.
        /// </summary>
        private static readonly (Type Anchor, bool UsedByProduct)[] Assemblies =
        {
            (typeof(AliyunIot.Alink.AlinkEnvelope), true),
            (typeof(AliyunIot.DeviceInfo.DeviceTags), false),
            (typeof(AliyunIot.LogPost.LogPoster), true),
            (typeof(AliyunIot.Ota.OtaAgent), true),
            (typeof(AliyunIot.Provisioning.DynamicRegistration), true),
            (typeof(AliyunIot.RemoteConfig.RemoteConfigAgent), true),
            (typeof(AliyunIot.Sensors.SensorPoller), true),
            (typeof(AliyunIot.Shadow.DeviceShadow), true),
            (typeof(AliyunIot.Thing.ThingModel), true),
            (typeof(AliyunIot.Time.NtpSync), true),
        };

        /// <summary>Adds the per-assembly rows and the per-profile tier rows to <paramref name="results"/>.</summary>
        public static void Run(Results results)
        {
            long platformPe = 0;
            foreach ((Type anchor, bool used) in Assemblies)
            {
                string path = anchor.Assembly.Location;
                long dll = new FileInfo(path).Length;
                long pe = (long)Math.Round(dll * PeRatio);
                string name = Path.GetFileNameWithoutExtension(path);
                string release = path.Contains("Release", StringComparison.Ordinal) ? "" : "not a Release build; ";
                results.Add("budget", name + ": host DLL (net10.0 Release)", dll, "B", release.TrimEnd(' ', ';'));
                results.Add("budget", name + ": .pe estimate (DLL x 0.6)", pe, "B",
                    $"{release}in flash ~{Math.Round(pe * TablesPerPeByte):N0} B of tables; if Assembly.Loaded ~{Math.Round(pe * LoadHeapPerPeByte):N0} B; {(used ? "deployed by flash.ps1 for Esp32App" : "not used by Esp32App, not deployed")}");
                platformPe += used ? pe : 0;
            }

            string otaPartition = typeof(OtaPartition.SlotStore).Assembly.Location;
            long otaDll = new FileInfo(otaPartition).Length;
            results.Add("budget", "OtaPartition: .pe estimate (DLL x 0.6)", Math.Round(otaDll * PeRatio), "B", "deployed with the loader; in the measured baselines below");
            results.Add("budget", "platform tier of Esp32App: core + 8 components, .pe estimate", platformPe, "B", $"runs from flash: ~{Math.Round(platformPe * TablesPerPeByte):N0} B of tables in the heap");
            results.Add("budget", "application tier: Esp32App.pe (measured)", Esp32AppPeBytes, "B", $"loaded from the OTA slot: ~{Math.Round(Esp32AppPeBytes * LoadHeapPerPeByte):N0} B of heap");

            foreach (string name in new[] { BoardProfile.Esp32Wroom, BoardProfile.Esp32C3 })
            {
                BoardProfile profile = BoardProfile.Find(name);
                long baseline = BaselineFree(name);
                long platformOnly = baseline - (long)Math.Round(platformPe * TablesPerPeByte);
                long withTier = platformOnly - (long)Math.Round(Esp32AppPeBytes * LoadHeapPerPeByte);
                long allInFlash = platformOnly - (long)Math.Round(Esp32AppPeBytes * TablesPerPeByte);
                results.AddTarget("budget", name + ": free at the application's entry, platform in flash + application tier loaded", withTier, "B",
                    ">= " + RequiredFreeAtEntry.ToString("N0") + " B", withTier >= RequiredFreeAtEntry,
                    $"baseline {baseline:N0} B (framework + loader + OtaPartition deployed, measured) − tables − Esp32App.pe x 1.08");
                results.AddTarget("budget", name + ": free at the application's entry, everything in flash (no OTA tier)", allInFlash, "B",
                    ">= " + RequiredFreeAtEntry.ToString("N0") + " B", allInFlash >= RequiredFreeAtEntry,
                    "code OTA " + (profile.CodeOta ? "on" : "off") + " for this profile (docs/board.md)");
            }

            foreach (string name in new[] { BoardProfile.Esp32Wrover, BoardProfile.Esp32S3Psram })
            {
                BoardProfile profile = BoardProfile.Find(name);
                long full = platformPe + Esp32AppPeBytes;
                long heap = (long)Math.Round(full * LoadHeapPerPeByte);
                long slot = (profile.ConfigPartitionBytes - SlotReserveBytes) / 2;
                results.AddTarget("budget", name + ": full image (platform + application) loaded with Assembly.Load", heap, "B",
                    "<= the " + (profile.ManagedHeapBytes / 1024).ToString("N0") + " KB heap", heap <= profile.ManagedHeapBytes, $".pe {full:N0} B");
                results.AddTarget("budget", name + ": full image .pe against one slot of I: on the smallest module", full, "B",
                    "<= " + slot.ToString("N0") + " B", full <= slot,
                    $"I: {profile.ConfigPartitionBytes / 1024:N0} KB, two slots after {SlotReserveBytes / 1024} KB for device.json, manifest, WiFi/CA files");
            }
        }

        // Free heap with framework + loader + OtaPartition deployed and nothing loaded (issue 12, measured at 90 KB; the
        // C3's 54 KB heap leaves ~11,900 B).
        private static long BaselineFree(string profile) => profile == BoardProfile.Esp32C3 ? 11_900 : 48_744;
    }
}
