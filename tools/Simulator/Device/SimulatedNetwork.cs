using System.Collections;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;

namespace AliyunIot.Simulator.Device
{
    /// <summary>
    /// The simulated device's network link (its WiFi): MQTT transports go through it, and <see cref="Up"/> = false
    /// drops the live connection (the session sees a lost connection) and makes every connect attempt fail as a
    /// network error until it is up again — an outage of this one device while the broker and the cloud stay up.
    /// </summary>
    public sealed class SimulatedNetwork : IMqttTransportFactory
    {
        private const string Down = "network down (simulated)";
        private readonly object _gate = new object();
        private readonly List<Link> _links = new List<Link>();
        private readonly ILog _log;
        private bool _up = true;

        /// <summary>Creates an up link.</summary>
        public SimulatedNetwork(ILog log) => _log = log;

        /// <summary>Whether the device has a network. Setting false drops its connection.</summary>
        public bool Up
        {
            get
            {
                lock (_gate)
                {
                    return _up;
                }
            }

            set
            {
                Link[] cut;
                lock (_gate)
                {
                    _up = value;
                    cut = value ? Array.Empty<Link>() : _links.ToArray();
                }

                foreach (Link link in cut)
                {
                    link.Cut();
                }
            }
        }

        /// <inheritdoc />
        public IMqttTransport Create() => new Link(this, new MosquittoTransport(_log));

        private sealed class Link : IMqttTransport
        {
            private readonly SimulatedNetwork _network;
            private readonly IMqttTransport _inner;
            private IMqttTransportListener _listener;

            public Link(SimulatedNetwork network, IMqttTransport inner)
            {
                _network = network;
                _inner = inner;
            }

            public bool IsConnected => _network.Up && _inner.IsConnected;

            public MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener)
            {
                lock (_network._gate)
                {
                    if (!_network._up)
                    {
                        return new MqttConnectResult(MqttConnectOutcome.NetworkError, 0, Down);
                    }

                    _listener = listener;
                    _network._links.Add(this);
                }

                return _inner.Connect(request, listener);
            }

            public int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties) =>
                _network.Up ? _inner.Publish(topic, payload, qos, retain, userProperties) : -1;

            public int Subscribe(string[] topics, int[] qos) => _network.Up ? _inner.Subscribe(topics, qos) : -1;

            public void Close()
            {
                lock (_network._gate)
                {
                    _network._links.Remove(this);
                }

                _inner.Close();
            }

            public void Cut()
            {
                Close();
                _listener?.OnConnectionLost(Down);
            }
        }
    }
}
