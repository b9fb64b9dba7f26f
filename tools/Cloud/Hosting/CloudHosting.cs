using AliyunIot.Cloud.Mqtt;
using AliyunIot.Cloud.Platform;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary>Starts the local cloud with the real pieces: TestBroker, HttpsTestServer, libmosquitto client.</summary>
    public static class CloudHosting
    {
        /// <summary>Starts a broker, an HTTPS image server and the cloud on <paramref name="stateDirectory"/>.</summary>
        public static LocalCloud Start(string stateDirectory, ILog log)
        {
            var broker = new TestBrokerHost();
            IImageServer images = null;
            try
            {
                images = ImageServers.Start(broker.Broker.Ca);
                return new LocalCloud(stateDirectory, broker, images, b => ConnectBus(b, log), log);
            }
            catch
            {
                images?.Dispose();
                broker.Dispose();
                throw;
            }
        }

        /// <summary>The cloud's privileged MQTT connection (plain loopback listener, cloud credentials).</summary>
        public static ICloudBus ConnectBus(IBrokerHost broker, ILog log) =>
            new TransportCloudBus(
                new MosquittoTransportFactory(),
                () => new MqttConnectRequest
                {
                    Host = broker.Host,
                    Port = broker.PlainPort,
                    UseTls = false,
                    ClientIdentifier = "local-cloud-" + Environment.ProcessId,
                    Username = broker.CloudUsername,
                    Password = broker.CloudPassword,
                    KeepAliveSeconds = 30,
                    CleanSession = true,
                    ProtocolVersion = 4,
                    ConnectTimeoutMs = 5000,
                },
                log);
    }
}
