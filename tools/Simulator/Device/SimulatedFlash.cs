using AliyunIot.Config;
using AliyunIot.HostPorts.Json;
using AliyunIot.Ports;

namespace AliyunIot.Simulator.Device
{
    /// <summary>
    /// The folder standing for the device's flash: <c>device.json</c> beside the OTA slot files and the slot
    /// manifest, exactly the names the ESP32 uses on <c>I:\</c>. Reads the config and applies the command line's
    /// broker/CA overrides (so the simulator can be pointed at any Alibaba-compatible endpoint).
    /// </summary>
    public sealed class SimulatedFlash : IConfigStore
    {
        /// <summary>Name of the config file in the flash folder.</summary>
        public const string ConfigName = "device.json";

        /// <summary>Opens (or creates) the folder; copies <paramref name="initialConfig"/> in when it has no config.</summary>
        public SimulatedFlash(string directory, string initialConfig)
        {
            Directory = Path.GetFullPath(directory);
            System.IO.Directory.CreateDirectory(Directory);
            ConfigPath = Path.Combine(Directory, ConfigName);
            if (!File.Exists(ConfigPath))
            {
                if (initialConfig == null || !File.Exists(initialConfig))
                {
                    throw new FileNotFoundException($"no {ConfigName} in {Directory}; give one with --config (cloud register writes it)");
                }

                File.Copy(initialConfig, ConfigPath);
            }
        }

        /// <summary>The flash folder.</summary>
        public string Directory { get; }

        /// <summary>Path of device.json.</summary>
        public string ConfigPath { get; }

        /// <inheritdoc />
        public string Read() => File.Exists(ConfigPath) ? File.ReadAllText(ConfigPath) : null;

        /// <inheritdoc />
        public void Write(string json)
        {
            string temp = ConfigPath + ".new";
            File.WriteAllText(temp, json);
            File.Move(temp, ConfigPath, overwrite: true);
        }

        /// <summary>Parses device.json and applies the overrides; the CA file (config or override) is read into PEM.</summary>
        /// <exception cref="ConfigException">The config is invalid (the message names the field, never a secret).</exception>
        public DeviceConfig LoadConfig(SimulatorOptions options, ILog log)
        {
            DeviceConfig config = new DeviceConfigParser(new SystemTextJsonParser(), log).Parse(Read());
            if (!string.IsNullOrEmpty(options.Host))
            {
                config.Host = options.Host;
                config.InstanceId = null;
                config.Region = null;
            }

            if (options.Port > 0)
            {
                config.Port = options.Port;
            }

            string caFile = options.CaFile ?? config.CaCertificatesFile;
            if (caFile != null)
            {
                string path = Path.IsPathRooted(caFile) ? caFile : Path.Combine(Directory, caFile);
                config.CaCertificatesPem = File.ReadAllText(path);
                config.CaCertificatesFile = path;
            }
            else if (config.CaCertificatesPem == null)
            {
                // What the firmware embeds: the platform's public roots.
                config.CaCertificatesPem = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "aliyun-ca-bundle.pem"));
            }

            return config;
        }
    }
}
