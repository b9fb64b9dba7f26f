using AliyunIot.Cloud.Platform;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary><see cref="IBrokerHost"/> over the project's TestBroker (mosquitto + platform auth plugin + ACL).</summary>
    public sealed class TestBrokerHost : IBrokerHost
    {
        private readonly AliyunIot.TestBroker.TestBroker _broker;

        /// <summary>Starts a broker on free loopback ports.</summary>
        public TestBrokerHost()
            : this(null)
        {
        }

        /// <summary>Starts a broker with the given ports, CA and folder (null: free ports, new CA, temp folder).</summary>
        public TestBrokerHost(AliyunIot.TestBroker.TestBrokerOptions options)
        {
            _broker = AliyunIot.TestBroker.TestBroker.Start(options);
        }

        /// <summary>The underlying broker (tests kill or restart it).</summary>
        public AliyunIot.TestBroker.TestBroker Broker => _broker;

        /// <inheritdoc />
        public string Host => _broker.Host;

        /// <inheritdoc />
        public int TlsPort => _broker.TlsPort;

        /// <inheritdoc />
        public int PlainPort => _broker.PlainPort;

        /// <inheritdoc />
        public string CaCertificatePath => _broker.CaCertificatePath;

        /// <inheritdoc />
        public string LogPath => _broker.LogPath;

        /// <inheritdoc />
        public string CloudUsername => _broker.CloudUsername;

        /// <inheritdoc />
        public string CloudPassword => _broker.CloudPassword;

        /// <inheritdoc />
        public void AddDevice(string productKey, string deviceName, string deviceSecret) => _broker.AddDevice(productKey, deviceName, deviceSecret);

        /// <inheritdoc />
        public void AddDevices(IEnumerable<(string ProductKey, string DeviceName, string DeviceSecret)> devices) => _broker.AddDevices(devices);

        /// <inheritdoc />
        public void AddProduct(string productKey, string productSecret, bool withoutPreRegistration) => _broker.AddProduct(productKey, productSecret, withoutPreRegistration);

        /// <inheritdoc />
        public void AddDeviceToken(string productKey, string deviceName, string clientId, string deviceToken) => _broker.AddDeviceToken(productKey, deviceName, clientId, deviceToken);

        /// <inheritdoc />
        public void Restart() => _broker.Restart();

        /// <inheritdoc />
        public void Dispose() => _broker.Dispose();
    }
}
