namespace AliyunIot.Cloud.Registry
{
    /// <summary>A device triple known to the local cloud.</summary>
    public sealed class RegisteredDevice
    {
        /// <summary>ProductKey.</summary>
        public string ProductKey { get; set; }

        /// <summary>DeviceName.</summary>
        public string DeviceName { get; set; }

        /// <summary>DeviceSecret. Secret: never logged, never printed by the CLI.</summary>
        public string DeviceSecret { get; set; }

        /// <summary>clientId issued by registration without pre-registration (regnwl), or null.</summary>
        public string ClientId { get; set; }

        /// <summary>deviceToken issued by regnwl (null for devices with a DeviceSecret). Secret: never logged.</summary>
        public string DeviceToken { get; set; }

        /// <summary>Where this device's <c>device.json</c> was written.</summary>
        public string ConfigPath { get; set; }

        /// <summary>Identity for logs: "pk/dn" (no secret).</summary>
        public override string ToString() => ProductKey + "/" + DeviceName;
    }
}
