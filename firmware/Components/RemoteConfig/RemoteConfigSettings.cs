using System.Collections;
using AliyunIot.Config;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// The <c>remoteConfig</c> section of device.json:
    /// <c>{"maxBytes":65536,"chunkSize":1024,"attempts":3,"retryDelayMs":2000,"getTimeoutMs":10000}</c>; every field optional.
    /// </summary>
    public sealed class RemoteConfigSettings
    {
        /// <summary>The platform's limit for a remote config file (64 KB, aliyun-protocol.md §3.15).</summary>
        public const int PlatformMaxBytes = 65536;

        /// <summary>Largest config file accepted; an offer whose configSize exceeds it is refused before downloading.</summary>
        public int MaxBytes = PlatformMaxBytes;

        /// <summary>Download buffer (allocated per download, released after it).</summary>
        public int ChunkSize = 1024;

        /// <summary>Download attempts after network errors before the offer is given up.</summary>
        public int Attempts = 3;

        /// <summary>Pause between attempts.</summary>
        public int RetryDelayMs = 2000;

        /// <summary>How long to wait for a fresh URL (get_reply) after the old one expired.</summary>
        public int GetTimeoutMs = 10000;

        /// <summary>Parses the section (null: defaults).</summary>
        /// <exception cref="ConfigException">A field of the wrong type or out of range (named).</exception>
        public static RemoteConfigSettings Parse(Hashtable section)
        {
            RemoteConfigSettings settings = new RemoteConfigSettings();
            if (section == null)
            {
                return settings;
            }

            settings.MaxBytes = SectionValues.Int(section, "remoteConfig", "maxBytes", settings.MaxBytes, 16, 1048576);
            settings.ChunkSize = SectionValues.Int(section, "remoteConfig", "chunkSize", settings.ChunkSize, 256, 16384);
            settings.Attempts = SectionValues.Int(section, "remoteConfig", "attempts", settings.Attempts, 1, 10);
            settings.RetryDelayMs = SectionValues.Int(section, "remoteConfig", "retryDelayMs", settings.RetryDelayMs, 0, 600000);
            settings.GetTimeoutMs = SectionValues.Int(section, "remoteConfig", "getTimeoutMs", settings.GetTimeoutMs, 1000, 120000);
            return settings;
        }
    }
}
