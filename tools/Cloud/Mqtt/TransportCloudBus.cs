using System.Collections.Concurrent;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Mqtt
{
    /// <summary>
    /// <see cref="ICloudBus"/> over any <see cref="IMqttTransportFactory"/> (libmosquitto on the host), logged in
    /// with the broker's privileged cloud identity. Reconnects on its own after a broker restart and subscribes again.
    /// </summary>
    public sealed class TransportCloudBus : ICloudBus, IMqttTransportListener
    {
        private readonly IMqttTransportFactory _factory;
        private readonly Func<MqttConnectRequest> _request;
        private readonly ILog _log;
        private readonly List<string> _filters = new List<string>();
        private readonly BlockingCollection<(string Topic, byte[] Payload)> _inbox = new BlockingCollection<(string, byte[])>();
        private readonly AutoResetEvent _lost = new AutoResetEvent(false);
        private readonly object _gate = new object();
        private readonly Thread _dispatcher;
        private readonly Thread _keeper;
        private volatile bool _disposed;
        private IMqttTransport _transport;

        /// <summary>Connects (waiting up to 10 s for the first connection) and starts the dispatch thread.</summary>
        /// <param name="factory">Creates a transport per connection.</param>
        /// <param name="request">Builds the CONNECT request (host, port, cloud credentials).</param>
        /// <param name="log">Log.</param>
        public TransportCloudBus(IMqttTransportFactory factory, Func<MqttConnectRequest> request, ILog log)
        {
            _factory = factory;
            _request = request;
            _log = log;
            _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = "cloud-bus-dispatch" };
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
                Dispose();
                throw new InvalidOperationException("the cloud could not connect to the broker");
            }

            _keeper = new Thread(Keep) { IsBackground = true, Name = "cloud-bus-reconnect" };
            _keeper.Start();
        }

        /// <inheritdoc />
        public event CloudMessageHandler MessageReceived;

        /// <inheritdoc />
        public event Action Connected;

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
            _keeper?.Join(2000);
            _dispatcher.Join(2000);
        }

        void IMqttTransportListener.OnMessage(string topic, byte[] payload) => Enqueue(topic, payload);

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

        void IMqttTransportListener.OnPublished(int packetId, int reasonCode)
        {
        }

        void IMqttTransportListener.OnSubscribed(int packetId, int[] grantedQos)
        {
        }

        void IMqttTransportListener.OnConnectionLost(string reason)
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
            MqttConnectResult result = transport.Connect(_request(), this);
            if (!transport.IsConnected)
            {
                transport.Close();
                return false;
            }

            lock (_gate)
            {
                // The marker goes through the inbox so that it is handled after the old connection's messages
                // and before anything this connection delivers (retained presence arrives right after SUBSCRIBE).
                Enqueue(null, null);
                IMqttTransport old = _transport;
                _transport = transport;
                old?.Close();
                if (_filters.Count > 0)
                {
                    transport.Subscribe(_filters.ToArray(), _filters.Select(_ => 1).ToArray());
                }
            }

            _ = result;
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
                        Connected?.Invoke();
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
    }
}
