using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Json;

namespace AliyunIot.Ota
{
    /// <summary>
    /// The <c>ota</c> section of device.json. Every field is optional:
    /// <code>
    /// "ota": { "module": "default", "confirmWithinBoots": 3, "closeMqttDuringDownload": false,
    ///          "chunkSize": 4096, "maxRetries": 5, "retryBaseMs": 2000, "retryCapMs": 60000,
    ///          "slotCapacity": 98304, "allowMd5Only": false, "allowDowngrade": false,
    ///          "boardProfile": "", "imageHeapBudget": 0 }
    /// </code>
    /// </summary>
    public sealed class OtaSettings
    {
        /// <summary>The platform's name of the whole-firmware module.</summary>
        public const string DefaultModule = OtaMessages.DefaultModule;

        /// <summary>Creates the defaults.</summary>
        public OtaSettings()
        {
            Module = DefaultModule;
            ConfirmWithinBoots = 3;
            ChunkSize = 4096;
            MaxRetries = 5;
            RetryBaseMs = 2000;
            RetryCapMs = 60000;
            SlotCapacity = 96 * 1024;
            FirmwareGetTimeoutMs = 15000;
            BoardProfile = string.Empty;
        }

        /// <summary>OTA module this firmware answers for (pushes for other modules are ignored).</summary>
        public string Module { get; set; }

        /// <summary>Boots a new image gets to confirm itself before the loader rolls it back (1..20).</summary>
        public int ConfirmWithinBoots { get; set; }

        /// <summary>
        /// Close the MQTT connection while downloading and reconnect to report (boards without PSRAM: TLS for
        /// MQTT and HTTPS at the same time does not fit in their heap).
        /// </summary>
        public bool CloseMqttDuringDownload { get; set; }

        /// <summary>Bytes of the one download buffer (512..16384).</summary>
        public int ChunkSize { get; set; }

        /// <summary>Consecutive failed attempts without progress before the job fails with -2 (0..100).</summary>
        public int MaxRetries { get; set; }

        /// <summary>First retry delay in milliseconds; doubles per failure up to <see cref="RetryCapMs"/>.</summary>
        public int RetryBaseMs { get; set; }

        /// <summary>Longest retry delay in milliseconds.</summary>
        public int RetryCapMs { get; set; }

        /// <summary>Largest image a slot may hold, in bytes; a larger job is refused before the first byte.</summary>
        public long SlotCapacity { get; set; }

        /// <summary>How long to wait for <c>firmware/get_reply</c> when refreshing an expired URL.</summary>
        public int FirmwareGetTimeoutMs { get; set; }

        /// <summary>
        /// Accept jobs whose only digest is MD5 (legacy packages uploaded with sign method MD5). Off by default: a
        /// job must carry SHA-256. The image signature is checked either way.
        /// </summary>
        public bool AllowMd5Only { get; set; }

        /// <summary>
        /// Accept an image whose version or security counter is lower than the running one. Off by default:
        /// anti-rollback (an attacker cannot reinstall an old, vulnerable but validly signed image).
        /// </summary>
        public bool AllowDowngrade { get; set; }

        /// <summary>This board's profile (docs/board.md), e.g. <c>esp32-wroom</c>; empty: images for any profile are accepted.</summary>
        public string BoardProfile { get; set; }

        /// <summary>
        /// Managed heap the loader can give an image (bytes; each .pe byte costs ~1.08 heap bytes once loaded);
        /// 0: not checked. An image that needs more is refused before the bulk of its download.
        /// </summary>
        public long ImageHeapBudget { get; set; }

        /// <summary>True for the default module (whose inform/progress omit <c>module</c>).</summary>
        public bool IsDefaultModule
        {
            get { return Module == DefaultModule; }
        }

        /// <summary>Parses the raw section (null gives the defaults).</summary>
        /// <exception cref="ConfigException">A field has the wrong type or is out of range (field named <c>ota.x</c>).</exception>
        public static OtaSettings Parse(Hashtable section)
        {
            OtaSettings settings = new OtaSettings();
            if (section == null)
            {
                return settings;
            }

            try
            {
                string module = JsonValues.GetOptionalString(section, "module");
                if (module != null)
                {
                    if (module.Length == 0 || module.Length > 64)
                    {
                        throw new ConfigException("ota.module", "must be 1..64 characters");
                    }

                    settings.Module = module;
                }

                settings.ConfirmWithinBoots = (int)OptionalLong(section, "confirmWithinBoots", settings.ConfirmWithinBoots, 1, 20);
                settings.ChunkSize = (int)OptionalLong(section, "chunkSize", settings.ChunkSize, 512, 16384);
                settings.MaxRetries = (int)OptionalLong(section, "maxRetries", settings.MaxRetries, 0, 100);
                settings.RetryBaseMs = (int)OptionalLong(section, "retryBaseMs", settings.RetryBaseMs, 0, 600000);
                settings.RetryCapMs = (int)OptionalLong(section, "retryCapMs", settings.RetryCapMs, 0, 3600000);
                settings.SlotCapacity = OptionalLong(section, "slotCapacity", settings.SlotCapacity, 1024, 64L * 1024 * 1024);
                settings.FirmwareGetTimeoutMs = (int)OptionalLong(section, "firmwareGetTimeoutMs", settings.FirmwareGetTimeoutMs, 1000, 600000);
                settings.CloseMqttDuringDownload = OptionalBool(section, "closeMqttDuringDownload", settings.CloseMqttDuringDownload);
                settings.AllowMd5Only = OptionalBool(section, "allowMd5Only", false);
                settings.AllowDowngrade = OptionalBool(section, "allowDowngrade", false);
                settings.ImageHeapBudget = OptionalLong(section, "imageHeapBudget", 0, 0, 64L * 1024 * 1024);
                string profile = JsonValues.GetOptionalString(section, "boardProfile");
                if (profile != null)
                {
                    if (profile.Length > 64 || profile.IndexOf(',') >= 0)
                    {
                        throw new ConfigException("ota.boardProfile", "must be one profile name of at most 64 characters");
                    }

                    settings.BoardProfile = profile;
                }
            }
            catch (JsonFieldException ex)
            {
                throw new ConfigException("ota." + ex.Field, ex.Expected);
            }

            if (settings.RetryCapMs < settings.RetryBaseMs)
            {
                throw new ConfigException("ota.retryCapMs", "must not be below retryBaseMs");
            }

            return settings;
        }

        private static bool OptionalBool(Hashtable section, string name, bool fallback)
        {
            return JsonValues.Get(section, name) == null ? fallback : JsonValues.GetBool(section, name);
        }

        private static long OptionalLong(Hashtable section, string name, long fallback, long min, long max)
        {
            if (JsonValues.Get(section, name) == null)
            {
                return fallback;
            }

            long value = JsonValues.GetLong(section, name);
            if (value < min || value > max)
            {
                throw new ConfigException("ota." + name, "must be " + min.ToString() + ".." + max.ToString());
            }

            return value;
        }
    }
}
