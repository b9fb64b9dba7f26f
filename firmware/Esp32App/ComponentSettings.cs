using System.Collections;
using AliyunIot.Config;
using AliyunIot.Ports;
using AliyunIot.RemoteConfig;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// The components' device.json sections (<c>remoteConfig</c> here; <c>logPost</c> in DeviceApplication.LogPost.cs,
    /// compiled with that component). A bad section is logged and replaced by the defaults: the device must still
    /// connect (and can then be fixed remotely).
    /// </summary>
    public static class ComponentSettings
    {
        /// <summary>The <c>remoteConfig</c> section, or the defaults.</summary>
        public static RemoteConfigSettings RemoteConfig(DeviceConfig config, ILog log)
        {
            try
            {
                return RemoteConfigSettings.Parse(Section(config, "remoteConfig"));
            }
            catch (ConfigException e)
            {
                log.Write(LogLevel.Error, "config", e.Field + ": " + e.Message + "; using the defaults");
                return new RemoteConfigSettings();
            }
        }

        /// <summary>The named section of device.json, or null.</summary>
        internal static Hashtable Section(DeviceConfig config, string name)
        {
            return config.Raw == null ? null : config.Raw[name] as Hashtable;
        }
    }
}
