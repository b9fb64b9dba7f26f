using AliyunIot.Cloud.Mqtt;
using AliyunIot.Cloud.Platform;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary>Starts the local cloud with the real pieces: TestBroker, HttpsTestServer, libmosquitto client.</summary>
    public static class CloudHosting
    {
        /// <summary>
        /// Starts a broker, an HTTPS image server and the cloud on <paramref name="stateDirectory"/>, which it holds
        /// until disposed (a second cloud on it is refused). The broker keeps the folder's ports and CA across
        /// starts, so devices configured once keep working.
        /// </summary>
        /// <param name="stateDirectory">The cloud's folder.</param>
        /// <param name="log">Log.</param>
        /// <param name="tlsPort">TLS port for devices; 0 for the last start's (a free one the first time).</param>
        /// <param name="plainPort">Plain MQTT port; 0 for the last start's (a free one the first time).</param>
        /// <param name="busFactory">Makes the cloud's MQTT client (null: <see cref="ConnectBus"/>); tests use it to act in
        /// the moment between the broker's start and the cloud's connection.</param>
        /// <exception cref="InvalidOperationException">The folder is in use by another cloud, or a port is taken.</exception>
        public static LocalCloud Start(string stateDirectory, ILog log, int tlsPort = 0, int plainPort = 0, Func<IBrokerHost, ICloudBus> busFactory = null)
        {
            CloudFolder folder = CloudFolder.Open(stateDirectory);
            TestBrokerHost broker = null;
            IImageServer images = null;
            try
            {
                broker = new TestBrokerHost(folder.BrokerOptions(tlsPort, plainPort));
                folder.Remember(broker.TlsPort, broker.PlainPort);
                images = ImageServers.Start(broker.Broker.Ca);
                return new LocalCloud(folder.Path, broker, images, busFactory ?? (b => ConnectBus(b, log)), log, folder);
            }
            catch
            {
                images?.Dispose();
                broker?.Dispose();
                folder.Dispose();
                throw;
            }
        }

        /// <summary>The client id of the cloud's own MQTT connection: the same at every start, so its session is found again.</summary>
        public const string BusClientId = "local-cloud";

        /// <summary>
        /// The cloud's privileged MQTT connection (plain loopback listener, cloud credentials), with a persistent
        /// session: a fixed client id, clean session off and QoS 1 subscriptions. The broker keeps that session in
        /// the cloud's folder across <c>cloud stop</c> / <c>cloud serve</c>, so what devices send after the broker is
        /// back and before the cloud has reconnected (a version inform on reconnect) is queued for the cloud, as the
        /// platform queues device messages for a back-end consumer that is away (AMQP server-side subscription).
        /// </summary>
        public static ICloudBus ConnectBus(IBrokerHost broker, ILog log) =>
            new TransportCloudBus(
                new MosquittoTransportFactory(),
                () => new MqttConnectRequest
                {
                    Host = broker.Host,
                    Port = broker.PlainPort,
                    UseTls = false,
                    ClientIdentifier = BusClientId,
                    Username = broker.CloudUsername,
                    Password = broker.CloudPassword,
                    KeepAliveSeconds = 30,
                    CleanSession = false,
                    ProtocolVersion = 4,
                    ConnectTimeoutMs = 5000,
                },
                log);
    }
}
