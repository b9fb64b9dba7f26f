namespace AliyunIot.Simulator.Device
{
    /// <summary>How one simulated device runs: its flash folder, overrides, sensors and timings.</summary>
    public sealed class SimulatorOptions
    {
        /// <summary>Folder standing for the device's flash (device.json, OTA slots, manifest).</summary>
        public string FlashDirectory { get; set; }

        /// <summary>A device.json to copy into the flash folder when the folder has none yet.</summary>
        public string ConfigFile { get; set; }

        /// <summary>Broker host override (any Alibaba-compatible endpoint), or null.</summary>
        public string Host { get; set; }

        /// <summary>Broker port override, or 0.</summary>
        public int Port { get; set; }

        /// <summary>CA certificate (PEM file) override, or null.</summary>
        public string CaFile { get; set; }

        /// <summary>
        /// Public key (PEM) OTA images must be signed with; copied into the flash folder as
        /// <c>ota-signing.pem</c> at power-on, as flash.ps1 deploys it. Null: whatever the folder holds (without a
        /// key every OTA image is refused).
        /// </summary>
        public string OtaPublicKeyFile { get; set; }

        /// <summary>The version of the application flashed at the factory (what runs when no slot holds an image).</summary>
        public string FactoryVersion { get; set; } = "1.0.0";

        /// <summary>Starting room temperature, °C.</summary>
        public double Temperature { get; set; } = 22.0;

        /// <summary>Temperature the room heads for, °C (the cloud's TargetTemperature changes it).</summary>
        public double TargetTemperature { get; set; } = 22.0;

        /// <summary>Sensor sample period; 0 disables sampling (fleet mode, tests that post by hand).</summary>
        public int SamplePeriodMs { get; set; } = 5000;

        /// <summary>How often the poller of device.json's sensors looks at the pins (the ESP32 application uses 1 s).</summary>
        public int SensorTickMs { get; set; } = 1000;

        /// <summary>
        /// Adds the device shadow and tag components (the application applies the shadow's desired <c>mode</c>; the
        /// shadow is fetched after every connect). Fleet mode leaves them out, so its figures stay those of the core.
        /// </summary>
        public bool Shadow { get; set; } = true;

        /// <summary>Log prefix (fleet mode: the device name).</summary>
        public string LogPrefix { get; set; }

        /// <summary>Minimum log level.</summary>
        public AliyunIot.Ports.LogLevel LogLevel { get; set; } = AliyunIot.Ports.LogLevel.Info;

        /// <summary>Where log lines go; null means standard error.</summary>
        public TextWriter LogWriter { get; set; }
    }
}
