using AliyunIot.Config;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ports;

namespace AliyunIot.Simulator.Device
{
    /// <summary>
    /// The folder standing for the device's flash: <c>device.json</c> beside the OTA slot files and the slot
    /// manifest, exactly the names the ESP32 uses on <c>I:\</c>. The config is read and written by the firmware's
    /// own <see cref="FlashConfigStore"/> over this folder (same file names, same repair of a cut write). Applies
    /// the command line's broker/CA overrides (so the simulator can be pointed at any Alibaba-compatible endpoint).
    /// </summary>
    public sealed class SimulatedFlash : IConfigStore
    {
        /// <summary>Name of the config file in the flash folder.</summary>
        public const string ConfigName = FlashConfigStore.DefaultName;

        private readonly FlashConfigStore _config;

        /// <summary>Opens (or creates) the folder; copies <paramref name="initialConfig"/> in when it has no config.</summary>
        public SimulatedFlash(string directory, string initialConfig)
        {
            Directory = Path.GetFullPath(directory);
            Storage = new FileFlashStorage(Directory);
            _config = new FlashConfigStore(Storage, ConfigName);
            ConfigPath = Path.Combine(Directory, ConfigName);
            if (_config.Read() == null)
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

        /// <summary>The folder as the device's flash storage (config, OTA slots, slot manifest).</summary>
        public FileFlashStorage Storage { get; }

        /// <inheritdoc />
        public string Read() => _config.Read();

        /// <inheritdoc />
        public void Write(string json) => _config.Write(json);

        /// <summary>Parses device.json and applies the overrides; the CA file (config or override) is read into PEM.</summary>
        /// <exception cref="ConfigException">The config is invalid (the message names the field, never a secret).</exception>
        public DeviceConfig LoadConfig(SimulatorOptions options, ILog log)
        {
            DeviceConfig config = new DeviceConfigParser(log).Parse(Read());
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
                string pem = File.Exists(path) ? File.ReadAllText(path) : null;
                if (pem == null || !pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    // As on the device: a pinned CA that is missing never widens trust to the public roots.
                    throw new ConfigException("caCertificatesFile", path + " is missing or holds no PEM certificate; not falling back to the public roots");
                }

                config.CaCertificatesPem = pem;
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
