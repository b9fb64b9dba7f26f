using System.Collections;
using System.Text;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;

namespace AliyunIot.TestBroker
{
    /// <summary>
    /// The cloud side of a test: an MQTT client with the broker's privileged identity (may publish and subscribe
    /// anything) over <see cref="MosquittoTransport"/>. Keeps every received message; waits for messages, SUBACKs
    /// and PUBACKs. Thread-safe.
    /// </summary>
    public sealed class CloudClient : IDisposable
    {
        private static int _counter;

        private readonly TestBroker _broker;
        private readonly string _clientId;
        private readonly int _protocolVersion;
        private readonly bool _useTls;
        private readonly ILog _log;
        private readonly Listener _listener;
        private readonly object _gate = new object();
        private readonly List<MqttReceivedMessage> _received = new List<MqttReceivedMessage>();
        private readonly HashSet<MqttReceivedMessage> _taken = new HashSet<MqttReceivedMessage>();
        private readonly Dictionary<int, int[]> _subacks = new Dictionary<int, int[]>();
        private readonly Dictionary<int, int> _pubacks = new Dictionary<int, int>();
        private readonly HashSet<int> _awaitedPubacks = new HashSet<int>();
        private readonly HashSet<int> _awaitedSubacks = new HashSet<int>();
        private MosquittoTransport _transport;
        private string _lostReason;

        /// <summary>Creates an unconnected cloud client for <paramref name="broker"/>.</summary>
        /// <param name="broker">The broker whose privileged identity is used.</param>
        /// <param name="clientId">ClientIdentifier; default a unique "cloud-N".</param>
        /// <param name="protocolVersion">5 (default, user properties visible) or 4.</param>
        /// <param name="useTls">Connect to the TLS listener (default) or the plain one.</param>
        /// <param name="log">Transport log; null for none.</param>
        public CloudClient(TestBroker broker, string clientId = null, int protocolVersion = 5, bool useTls = true, ILog log = null)
        {
            _broker = broker ?? throw new ArgumentNullException(nameof(broker));
            _clientId = clientId ?? "cloud-" + Interlocked.Increment(ref _counter) + "-" + Environment.ProcessId;
            _protocolVersion = protocolVersion;
            _useTls = useTls;
            _log = log;
            _listener = new Listener(this);
        }

        /// <summary>Raised on the network thread for every message (after it is recorded). Never block or wait for acks here.</summary>
        public event Action<MqttReceivedMessage> MessageReceived;

        /// <summary>True while connected.</summary>
        public bool IsConnected => _transport?.IsConnected ?? false;

        /// <summary>Why the connection was lost (null while it was not).</summary>
        public string LostReason
        {
            get
            {
                lock (_gate)
                {
                    return _lostReason;
                }
            }
        }

        /// <summary>The underlying transport (null before <see cref="Connect"/>).</summary>
        public MosquittoTransport Transport => _transport;

        /// <summary>Every message received so far, oldest first.</summary>
        public IReadOnlyList<MqttReceivedMessage> Received
        {
            get
            {
                lock (_gate)
                {
                    return _received.ToArray();
                }
            }
        }

        /// <summary>Connects (a new transport each time, so it also reconnects after a broker restart).</summary>
        /// <param name="timeoutMs">CONNACK timeout.</param>
        /// <exception cref="InvalidOperationException">The connection was not accepted; the message says why.</exception>
        public void Connect(int timeoutMs = 10000)
        {
            MosquittoTransport old;
            var transport = new MosquittoTransport(_log);
            lock (_gate)
            {
                old = _transport;
                _transport = transport;
                _lostReason = null;
            }

            old?.Close();
            var request = new MqttConnectRequest
            {
                Host = _broker.Host,
                Port = _useTls ? _broker.TlsPort : _broker.PlainPort,
                UseTls = _useTls,
                CaCertificatesPem = _broker.CaCertificatePem,
                ClientIdentifier = _clientId,
                Username = _broker.CloudUsername,
                Password = _broker.CloudPassword,
                ProtocolVersion = _protocolVersion,
                KeepAliveSeconds = 60,
                ConnectTimeoutMs = timeoutMs,
            };
            MqttConnectResult result = transport.Connect(request, _listener);
            if (result.Outcome != MqttConnectOutcome.Accepted)
            {
                throw new InvalidOperationException("Cloud client could not connect: " + result.Outcome + " " + result.Detail);
            }
        }

        /// <summary>Subscribes (QoS 1) and waits for the SUBACK.</summary>
        /// <returns>Granted QoS per filter.</returns>
        public int[] Subscribe(params string[] filters) => Subscribe(TimeSpan.FromSeconds(10), filters);

        /// <summary>Subscribes (QoS 1) and waits up to <paramref name="timeout"/> for the SUBACK.</summary>
        /// <returns>Granted QoS per filter.</returns>
        public int[] Subscribe(TimeSpan timeout, params string[] filters)
        {
            MosquittoTransport transport = RequireTransport();
            var qos = new int[filters.Length];
            Array.Fill(qos, 1);
            bool wait = !transport.IsOnNetworkThread;
            lock (_gate)
            {
                // The transport reports the SUBACK only after Subscribe returned, and our listener takes _gate: no race.
                int mid = transport.Subscribe(filters, qos);
                if (mid < 0)
                {
                    throw new InvalidOperationException("SUBSCRIBE could not be sent (not connected?).");
                }

                if (!wait)
                {
                    return qos;
                }

                _awaitedSubacks.Add(mid);
                DateTime deadline = DateTime.UtcNow + timeout;
                while (!_subacks.ContainsKey(mid))
                {
                    TimeSpan left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        _awaitedSubacks.Remove(mid);
                        throw new TimeoutException("No SUBACK within " + timeout.TotalMilliseconds + " ms.");
                    }

                    Monitor.Wait(_gate, left);
                }

                int[] granted = _subacks[mid];
                _subacks.Remove(mid);
                return granted;
            }
        }

        /// <summary>Publishes UTF-8 text; see <see cref="Publish(string, byte[], int, bool, IEnumerable{KeyValuePair{string, string}})"/>.</summary>
        public int Publish(string topic, string text, int qos = 1, bool retain = false, IEnumerable<KeyValuePair<string, string>> userProperties = null)
            => Publish(topic, Encoding.UTF8.GetBytes(text ?? string.Empty), qos, retain, userProperties);

        /// <summary>
        /// Publishes and, for QoS 1, waits for the PUBACK (10 s). Called on the network thread (from
        /// <see cref="MessageReceived"/>) it does not wait.
        /// </summary>
        /// <returns>The PUBACK reason code (0 accepted; MQTT 5: 16 = no subscribers, 135 = not authorised); 0 for QoS 0 or when not waiting.</returns>
        public int Publish(string topic, byte[] payload, int qos = 1, bool retain = false, IEnumerable<KeyValuePair<string, string>> userProperties = null)
        {
            MosquittoTransport transport = RequireTransport();
            ArrayList props = null;
            if (userProperties != null)
            {
                props = new ArrayList();
                foreach (KeyValuePair<string, string> p in userProperties)
                {
                    props.Add(new MqttUserProperty(p.Key, p.Value));
                }
            }

            bool wait = qos > 0 && !transport.IsOnNetworkThread;
            lock (_gate)
            {
                // The transport reports the PUBACK only after Publish returned, and our listener takes _gate: no race.
                int mid = transport.Publish(topic, payload, qos, retain, props);
                if (mid < 0)
                {
                    throw new InvalidOperationException("PUBLISH to " + topic + " could not be sent (not connected?).");
                }

                if (!wait)
                {
                    return 0;
                }

                _awaitedPubacks.Add(mid);
                DateTime deadline = DateTime.UtcNow.AddSeconds(10);
                while (!_pubacks.ContainsKey(mid))
                {
                    TimeSpan left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        _awaitedPubacks.Remove(mid);
                        throw new TimeoutException("No PUBACK for " + topic + " within 10 s.");
                    }

                    Monitor.Wait(_gate, left);
                }

                int reason = _pubacks[mid];
                _pubacks.Remove(mid);
                return reason;
            }
        }

        /// <summary>
        /// Returns the oldest received message matching <paramref name="topicFilter"/> that no earlier wait returned,
        /// waiting up to <paramref name="timeout"/> for one to arrive.
        /// </summary>
        /// <exception cref="TimeoutException">None arrived; the message lists what did.</exception>
        public MqttReceivedMessage WaitForMessage(string topicFilter, TimeSpan timeout)
            => WaitForMessage(m => TopicFilter.Matches(topicFilter, m.Topic), timeout, topicFilter);

        /// <summary>As <see cref="WaitForMessage(string, TimeSpan)"/> with any condition.</summary>
        public MqttReceivedMessage WaitForMessage(Func<MqttReceivedMessage, bool> predicate, TimeSpan timeout)
            => WaitForMessage(predicate, timeout, "predicate");

        /// <summary>As <see cref="WaitForMessage(string, TimeSpan)"/> but returns null on timeout.</summary>
        public MqttReceivedMessage TryWaitForMessage(string topicFilter, TimeSpan timeout)
            => TryWait(m => TopicFilter.Matches(topicFilter, m.Topic), timeout);

        /// <summary>Forgets every received message.</summary>
        public void ClearReceived()
        {
            lock (_gate)
            {
                _received.Clear();
                _taken.Clear();
            }
        }

        /// <summary>Disconnects. Idempotent.</summary>
        public void Dispose()
        {
            MosquittoTransport transport;
            lock (_gate)
            {
                transport = _transport;
            }

            transport?.Close();
        }

        private MqttReceivedMessage WaitForMessage(Func<MqttReceivedMessage, bool> predicate, TimeSpan timeout, string what)
        {
            MqttReceivedMessage message = TryWait(predicate, timeout);
            if (message != null)
            {
                return message;
            }

            string seen;
            lock (_gate)
            {
                seen = _received.Count == 0 ? "nothing" : string.Join(", ", _received.Select(m => m.Topic));
            }

            throw new TimeoutException("No message for " + what + " within " + timeout.TotalMilliseconds + " ms; received: " + seen);
        }

        private MqttReceivedMessage TryWait(Func<MqttReceivedMessage, bool> predicate, TimeSpan timeout)
        {
            ArgumentNullException.ThrowIfNull(predicate);
            DateTime deadline = DateTime.UtcNow + timeout;
            lock (_gate)
            {
                while (true)
                {
                    foreach (MqttReceivedMessage m in _received)
                    {
                        if (!_taken.Contains(m) && predicate(m))
                        {
                            _taken.Add(m);
                            return m;
                        }
                    }

                    TimeSpan left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        return null;
                    }

                    Monitor.Wait(_gate, left);
                }
            }
        }

        private MosquittoTransport RequireTransport()
        {
            lock (_gate)
            {
                return _transport ?? throw new InvalidOperationException("Call Connect first.");
            }
        }

        /// <summary>Receives from the transport; records and wakes waiters; never blocks beyond the client's lock.</summary>
        private sealed class Listener : IMqttMessageDetailsListener
        {
            private readonly CloudClient _owner;

            internal Listener(CloudClient owner)
            {
                _owner = owner;
            }

            public void OnMessageDetails(MqttReceivedMessage message)
            {
                lock (_owner._gate)
                {
                    _owner._received.Add(message);
                    Monitor.PulseAll(_owner._gate);
                }

                try
                {
                    _owner.MessageReceived?.Invoke(message);
                }
                catch (Exception)
                {
                    // A test handler's failure must not reach the native callback.
                }
            }

            public void OnMessage(string topic, byte[] payload) =>
                OnMessageDetails(new MqttReceivedMessage(topic, payload, 0, false, Array.Empty<KeyValuePair<string, string>>()));

            public void OnPublished(int packetId, int reasonCode)
            {
                lock (_owner._gate)
                {
                    if (_owner._awaitedPubacks.Remove(packetId))
                    {
                        _owner._pubacks[packetId] = reasonCode;
                    }

                    Monitor.PulseAll(_owner._gate);
                }
            }

            public void OnSubscribed(int packetId, int[] grantedQos)
            {
                lock (_owner._gate)
                {
                    if (_owner._awaitedSubacks.Remove(packetId))
                    {
                        _owner._subacks[packetId] = grantedQos;
                    }

                    Monitor.PulseAll(_owner._gate);
                }
            }

            public void OnConnectionLost(string reason)
            {
                lock (_owner._gate)
                {
                    _owner._lostReason = reason;
                    Monitor.PulseAll(_owner._gate);
                }
            }
        }
    }
}
