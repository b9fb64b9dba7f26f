using AliyunIot.Config;

namespace AliyunIot.Bench
{
    /// <summary>A framework library whose deployment differs from the one the measured baselines had.</summary>
    /// <param name="Name">Assembly name.</param>
    /// <param name="PeBytes">Its .pe size from the real toolchain (issue 12).</param>
    /// <param name="DeployedNow">Whether flash.ps1 still deploys it (some .nfproj of the firmware references it).</param>
    /// <param name="Why">Where that is decided, for the reader of the bench output.</param>
    public sealed record FrameworkChange(string Name, long PeBytes, bool DeployedNow, string Why);

    /// <summary>What one board profile deploys of our assemblies and where Esp32App runs.</summary>
    /// <param name="Profile">BoardProfile name.</param>
    /// <param name="Platform">Our portable assemblies flash.ps1 deploys (core and components), by assembly name.</param>
    /// <param name="ApplicationInFlash">True: Esp32App.pe is deployed in flash too (no code OTA); false: loaded from an OTA slot.</param>
    /// <param name="AppBuild">The Esp32App build (<c>-p:BoardProfile</c>) this profile deploys: esp32-wroom for the lean composition, null for the full one.</param>
    public sealed record ProfileDeployment(string Profile, string[] Platform, bool ApplicationInFlash, string AppBuild);

    /// <summary>
    /// The deployment per board profile as data, relative to the measured baseline (48,744 B free with the framework,
    /// the Loader and OtaPartition deployed at commit bb5b240; issue 12). Other changes move these lists (fewer
    /// components on a WROOM, a framework library dropped): edit them here and `tools/bench.sh budget` follows.
    /// </summary>
    public static class TierDeployment
    {
        /// <summary>Our portable assemblies (host builds under tools/Portable), one type each to find the DLL.</summary>
        public static readonly (string Name, Type Anchor)[] Portable =
        {
            ("AliyunIot", typeof(AliyunIot.Alink.AlinkEnvelope)),
            ("AliyunIot.DeviceInfo", typeof(AliyunIot.DeviceInfo.DeviceTags)),
            ("AliyunIot.LogPost", typeof(AliyunIot.LogPost.LogPoster)),
            ("AliyunIot.Ota", typeof(AliyunIot.Ota.OtaAgent)),
            ("AliyunIot.Provisioning", typeof(AliyunIot.Provisioning.DynamicRegistration)),
            ("AliyunIot.RemoteConfig", typeof(AliyunIot.RemoteConfig.RemoteConfigAgent)),
            ("AliyunIot.Sensors", typeof(AliyunIot.Sensors.SensorPoller)),
            ("AliyunIot.Shadow", typeof(AliyunIot.Shadow.DeviceShadow)),
            ("AliyunIot.Thing", typeof(AliyunIot.Thing.ThingModel)),
            ("AliyunIot.Time", typeof(AliyunIot.Time.NtpSync)),
        };

        /// <summary>The assemblies firmware/Esp32App references (its .nfproj ProjectReferences, OtaPartition aside: it is in the baseline).</summary>
        public static readonly string[] Esp32AppPlatform =
        {
            "AliyunIot", "AliyunIot.Thing", "AliyunIot.Sensors", "AliyunIot.Shadow", "AliyunIot.LogPost", "AliyunIot.Ota",
            "AliyunIot.Provisioning", "AliyunIot.Time", "AliyunIot.RemoteConfig",
        };

        /// <summary>
        /// What the lean build (<c>-p:BoardProfile=esp32-wroom</c>, firmware/Esp32App/Esp32App.nfproj) references: no Shadow,
        /// LogPost, Provisioning or Ota (the core's FirmwareVersionReporter reports the version and refuses jobs);
        /// flash.ps1 deploys what its Esp32App.platform.txt lists.
        /// </summary>
        public static readonly string[] Esp32AppLeanPlatform =
        {
            "AliyunIot", "AliyunIot.Thing", "AliyunIot.Sensors", "AliyunIot.Time", "AliyunIot.RemoteConfig",
        };

        /// <summary>
        /// Per profile: what flash.ps1 deploys and where the application runs (docs/board.md, "Update tiers per profile").
        /// The C3 is unsupported (flash.ps1 and the build refuse it); its row shows the lean build for comparison.
        /// </summary>
        public static readonly ProfileDeployment[] Profiles =
        {
            new(BoardProfile.Esp32Wroom, Esp32AppLeanPlatform, ApplicationInFlash: true, AppBuild: BoardProfile.Esp32Wroom),
            new(BoardProfile.Esp32C3, Esp32AppLeanPlatform, ApplicationInFlash: true, AppBuild: BoardProfile.Esp32Wroom),
            new(BoardProfile.Esp32Wrover, Esp32AppPlatform, ApplicationInFlash: false, AppBuild: null),
            new(BoardProfile.Esp32S3Psram, Esp32AppPlatform, ApplicationInFlash: false, AppBuild: null),
        };

        /// <summary>
        /// Framework libraries the measured baseline deployed whose status has changed or is about to: a library no longer
        /// deployed is credited with its tables at the measured framework ratio (<see cref="TierBudget.FrameworkTablesPerPeByte"/>).
        /// </summary>
        public static readonly FrameworkChange[] FrameworkChanges =
        {
            new("nanoFramework.Json", 18_660, DeployedNow: false, "no .nfproj references it (the core's JsonReader parses every downlink)"),
            new("System.Net.Http", 55_260, DeployedNow: false, "no .nfproj references it (the core's HTTP/1.1 client over System.Net's SslStream does the downloads and the registration POST)"),
        };

        /// <summary>
        /// OtaPartition's heap (tables + statics) by <see cref="PeTableModel"/> at bb5b240, the commit the baseline was
        /// measured at (its host build); what it has grown since is taken off the baseline.
        /// </summary>
        public const long OtaPartitionHeapAtBaseline = 996;

        /// <summary>The Loader's heap by <see cref="PeTableModel"/> at bb5b240 (device compile); its growth since is taken off the baseline.</summary>
        public const long LoaderHeapAtBaseline = 828;

        /// <summary>Free heap with framework + Loader + OtaPartition deployed, nothing of ours loaded (issue 12, measured).</summary>
        public static long BaselineFree(string profile) => profile == BoardProfile.Esp32C3 ? 11_900 : 48_744;
    }
}
