using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Mqtt
{
    /// <summary>Builds a fresh <see cref="MosquittoTransport"/> for every connection attempt.</summary>
    public sealed class MosquittoTransportFactory : IMqttTransportFactory
    {
        private readonly ILog _log;

        /// <summary>Creates a factory.</summary>
        /// <param name="log">Passed to every transport; null for none.</param>
        public MosquittoTransportFactory(ILog log = null)
        {
            _log = log;
        }

        /// <inheritdoc />
        public IMqttTransport Create() => new MosquittoTransport(_log);
    }
}
