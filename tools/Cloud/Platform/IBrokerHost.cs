namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// The broker the cloud runs or uses: where devices connect, the CA they trust, the cloud's privileged
    /// login, and registration of device triples with its authentication. Implemented over the TestBroker.
    /// </summary>
    public interface IBrokerHost : IDisposable
    {
        /// <summary>Host devices connect to.</summary>
        string Host { get; }

        /// <summary>TLS port devices use.</summary>
        int TlsPort { get; }

        /// <summary>Plain port the cloud itself uses on loopback.</summary>
        int PlainPort { get; }

        /// <summary>Path of the CA certificate (PEM) that signed the broker's certificate.</summary>
        string CaCertificatePath { get; }

        /// <summary>The broker's log file (its auth plugin's refusals and denials), or null.</summary>
        string LogPath { get; }

        /// <summary>The cloud's privileged user name.</summary>
        string CloudUsername { get; }

        /// <summary>The cloud's privileged password. Secret.</summary>
        string CloudPassword { get; }

        /// <summary>Lets a device triple authenticate (platform-style HMAC) and confines it to its own topics.</summary>
        void AddDevice(string productKey, string deviceName, string deviceSecret);

        /// <summary>Adds many devices at once (fleets): one credentials write instead of one per device.</summary>
        void AddDevices(IEnumerable<(string ProductKey, string DeviceName, string DeviceSecret)> devices);

        /// <summary>Lets a product's devices register dynamically (pre-registered ones; any name when <paramref name="withoutPreRegistration"/>).</summary>
        void AddProduct(string productKey, string productSecret, bool withoutPreRegistration);

        /// <summary>Lets a device log in with the clientId + deviceToken that regnwl issued (authType=connwl).</summary>
        void AddDeviceToken(string productKey, string deviceName, string clientId, string deviceToken);

        /// <summary>Restarts the broker (every client is disconnected and must reconnect).</summary>
        void Restart();
    }
}
