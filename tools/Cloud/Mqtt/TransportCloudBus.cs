using System.Collections.Concurrent;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Mqtt
{
    /// <summary>
    /// <see cref="ICloudBus"/> over any <see cref="IMqttTransportFactory"/> (libmosquitto on the host), logged in
    /// with the broker's privileged cloud identity. Reconnects on its own after a broker restart and subscribes again.
    /// </summary>
    public sealed class TransportCloudBus : ICloudBus
    {
        private readonly IMqttTransportFactory _factory;
        private readonly Func<MqttConnectRequest> _request;
        private readonly ILog _log;
        private readonly List<string> _filters = new List<string>();
        private readonly BlockingCollection<(string Topic, byte[] Payload)> _inbox = new BlockingCollection<(string, byte[])>();
        private static readonly byte[] SessionKept = { 1 };
        private static readonly byte[] SessionNew = { 0 };
        private readonly AutoResetEvent _lost = new AutoResetEvent(false);
        private readonly object _gate = new object();
        private readonly Thread _dispatcher;
        private readonly Thread _keeper;
        private volatile bool _disposed;
        private IMqttTransport _transport;

        /// <summary>Prepares the bus; <see cref="Open"/> connects once the handlers and subscriptions are in place.</summary>
        /// <param name="factory">Creates a transport per connection.</param>
        /// <param name="request">Builds the CONNECT request (host, port, cloud credentials).</param>
        /// <param name="log">Log.</param>
        public TransportCloudBus(IMqttTransportFactory factory, Func<MqttConnectRequest> request, ILog log)
        {
            _factory = factory;
            _request = request;
            _log = log;
            _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = "cloud-bus-dispatch" };
            _keeper = new Thread(Keep) { IsBackground = true, Name = "cloud-bus-reconnect" };
        }

        /// <inheritdoc />
        public void Open()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _dispatcher.Start();
            if (!TryConnect())
            {
                for (int i = 0; i < 40 && !TryConnect(); i++)
                {
                    Thread.Sleep(250);
                }
            }

            if (!IsConnected)
            {
                throw new InvalidOperationException("the cloud could not connect to the broker");
            }

            _keeper.Start();
        }

        /// <inheritdoc />
        public event CloudMessageHandler MessageReceived;

        /// <inheritdoc />
        public event Action<bool> Connected;

        /// <inheritdoc />
        public bool IsConnected
        {
            get
            {
                lock (_gate)
                {
                    return _transport != null && _transport.IsConnected;
                }
            }
        }

        /// <inheritdoc />
        public void Subscribe(params string[] topicFilters)
        {
            lock (_gate)
            {
                _filters.AddRange(topicFilters);
                _transport?.Subscribe(topicFilters, topicFilters.Select(_ => 1).ToArray());
            }
        }

        /// <inheritdoc />
        public bool Publish(string topic, byte[] payload, int qos)
        {
            lock (_gate)
            {
                return _transport != null && _transport.IsConnected && _transport.Publish(topic, payload, qos, false, null) >= 0;
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _lost.Set();
            IMqttTransport transport;
            lock (_gate)
            {
                transport = _transport;
                _transport = null;
            }

            transport?.Close();
            _inbox.CompleteAdding();
            if (_keeper.IsAlive)
            {
                _keeper.Join(2000);
            }

            if (_dispatcher.IsAlive)
            {
                _dispatcher.Join(2000);
            }
        }

        private void Enqueue(string topic, byte[] payload)
        {
            if (!_inbox.IsAddingCompleted)
            {
                try
                {
                    _inbox.Add((topic, payload));
                }
                catch (InvalidOperationException)
                {
                    // Disposed meanwhile: the message is dropped with the cloud.
                }
            }
        }

        private void OnConnectionLost(string reason)
        {
            _log.Write(LogLevel.Warning, "cloud", "broker connection lost: " + reason);
            _lost.Set();
        }

        private bool TryConnect()
        {
            if (_disposed)
            {
                return false;
            }

            IMqttTransport transport = _factory.Create();
            var connection = new Connection(this, transport);
            transport.Connect(_request(), connection);
            if (!transport.IsConnected)
            {
                transport.Close();
                return false;
            }

            lock (_gate)
            {
                // The marker goes through the inbox so that it is handled after the old connection's messages
                // and before anything this connection delivers (what the persistent session queued comes right
                // after the CONNACK, possibly before Connect returns; retained presence right after SUBSCRIBE).
                connection.Announce();
                IMqttTransport old = _transport;
                _transport = transport;
                old?.Close();
                if (_filters.Count > 0)
                {
                    transport.Subscribe(_filters.ToArray(), _filters.Select(_ => 1).ToArray());
                }
            }

            return true;
        }

        private void Keep()
        {
            while (!_disposed)
            {
                // Wake on a reported loss, and poll too: a TLS failure may end a transport without a report.
                _lost.WaitOne(500);
                if (_disposed || IsConnected)
                {
                    continue;
                }

                if (TryConnect())
                {
                    _log.Write(LogLevel.Info, "cloud", "reconnected to the broker");
                }
            }
        }

        private void Dispatch()
        {
            foreach (var (topic, payload) in _inbox.GetConsumingEnumerable())
            {
                try
                {
                    if (topic == null)
                    {
                        Connected?.Invoke(payload == SessionKept);
                    }
                    else
                    {
                        MessageReceived?.Invoke(topic, payload);
                    }
                }
                catch (Exception e)
                {
                    _log.Write(LogLevel.Error, "cloud", $"handler failed for {topic}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        /// <summary>One broker connection's listener: the "connected" marker precedes the first message it delivers.</summary>
        private sealed class Connection : IMqttTransportListener
        {
            private readonly TransportCloudBus _bus;
            private readonly IMqttTransport _transport;
            private readonly object _gate = new object();
            private bool _announced;

            public Connection(TransportCloudBus bus, IMqttTransport transport)
            {
                _bus = bus;
                _transport = transport;
            }

            public void Announce()
            {
                lock (_gate)
                {
                    if (!_announced)
                    {
                        _announced = true;

                        // The CONNACK came before any message of this connection: its flag is known here.
                        bool kept = _transport is AliyunIot.HostPorts.Mqtt.MosquittoTransport mosquitto && mosquitto.SessionPresent;
                        _bus.Enqueue(null, kept ? SessionKept : SessionNew);
                    }
                }
            }

            public void OnMessage(string topic, byte[] payload)
            {
                lock (_gate)
                {
                    Announce();
                    _bus.Enqueue(topic, payload);
                }
            }

            public void OnPublished(int packetId, int reasonCode)
            {
            }

            public void OnSubscribed(int packetId, int[] grantedQos)
            {
            }

            public void OnConnectionLost(string reason) => _bus.OnConnectionLost(reason);
        }
    }
}
