using System.Collections;
using System.Collections.Concurrent;
using System.Net.Sockets;
using nanoFramework.M2Mqtt.Exceptions;
using nanoFramework.M2Mqtt.Messages;
using X509Certificate = AliyunIot.Esp32.X509Certificate;

namespace nanoFramework.M2Mqtt
{
    /// <summary>
    /// A host stand-in for nanoFramework.M2Mqtt 5.1.220's MqttClient, talking to a <see cref="AliyunIot.Tests.M2Mqtt.ScriptedBroker"/>
    /// instead of a socket. It keeps the behaviours of the real client that the device adapter must survive
    /// (read from MqttClient.cs / MqttNetworkChannel.cs at v5.1.220):
    /// <list type="bullet">
    /// <item>DNS is resolved in the constructor (a SocketException escapes it); the client keeps that address.</item>
    /// <item>Connect wraps every socket/TLS failure in MqttConnectionException, the SocketException inside it; a TLS
    /// handshake failure is a SocketException with a negative (mbedTLS) error code.</item>
    /// <item>ConnectionOpened is raised with the CONNACK on the receive thread before Connect wakes; a refusal
    /// followed by the broker's close surfaces as MqttCommunicationException from Connect.</item>
    /// <item>A QoS 1 PUBLISH is sent up to 3 times, 1 s apart, then MqttMsgPublished reports IsPublished=false while
    /// the client still looks connected. Time comes from the broker's scripted clock, not a real timer.</item>
    /// <item>Publish does not check the connection; every event is raised on a separate dispatch thread.</item>
    /// </list>
    /// </summary>
    public sealed class MqttClient : IDisposable
    {
        private readonly object _gate = new object();
        private readonly AliyunIot.Tests.M2Mqtt.ScriptedBroker _broker;
        private readonly bool _secure;
        private readonly BlockingCollection<Action> _dispatch = new BlockingCollection<Action>();
        private readonly List<Inflight> _inflight = new List<Inflight>();
        private Thread _dispatchThread;
        private ushort _lastId;
        private bool _closed;

        public delegate void ConnectionOpenedEventHandler(object sender, ConnectionOpenedEventArgs e);

        public delegate void ConnectionClosedRequestEventHandler(object sender, ConnectionClosedRequestEventArgs e);

        public delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);

        public delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);

        public delegate void MqttMsgSubscribedEventHandler(object sender, MqttMsgSubscribedEventArgs e);

        public delegate void ConnectionClosedEventHandler(object sender, EventArgs e);

        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol)
        {
            // MqttNetworkChannel's constructor: Dns.GetHostEntry(remoteHostName); an unknown name throws here.
            _broker = AliyunIot.Tests.M2Mqtt.ScriptedBroker.Resolve(brokerHostName)
                ?? throw new SocketException((int)SocketError.HostNotFound);
            _secure = secure;
        }

        public event MqttMsgPublishEventHandler MqttMsgPublishReceived;

        public event MqttMsgPublishedEventHandler MqttMsgPublished;

        public event MqttMsgSubscribedEventHandler MqttMsgSubscribed;

        public event ConnectionClosedEventHandler ConnectionClosed;

        public event ConnectionClosedRequestEventHandler ConnectionClosedRequest;

        public event ConnectionOpenedEventHandler ConnectionOpened;

        public MqttSettings Settings => MqttSettings.Instance;

        public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.Version_3_1_1;

        public uint SessionExpiryInterval { get; set; }

        public ArrayList UserProperties { get; } = new ArrayList();

        public bool IsConnected { get; private set; }

        /// <summary>Times a PUBLISH of this client left it (first sends and retries), for tests.</summary>
        public int Sends { get; private set; }

        public MqttReasonCode Connect(string clientId, string username, string password, bool cleanSession, ushort keepAlivePeriod)
            => Connect(clientId, username, password, false, MqttQoSLevel.AtMostOnce, false, null, null, cleanSession, keepAlivePeriod);

        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel,
            bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod)
        {
            MqttReasonCode code;
            try
            {
                code = _broker.Open(this, _secure, clientId, username, password, ProtocolVersion == MqttProtocolVersion.Version_5);
            }
            catch (SocketException ex)
            {
                throw new MqttConnectionException("Socket exception connecting to the broker: " + ex.ErrorCode, ex);
            }

            // The receive thread raises ConnectionOpened with the CONNACK, then signals Connect.
            ConnectionOpened?.Invoke(this, new ConnectionOpenedEventArgs(new MqttMsgConnack { ReturnCode = code }));
            if (code != MqttReasonCode.Success)
            {
                if (_broker.CloseAfterRefusal)
                {
                    // The broker closes right after a refusal: the receive thread's 0-byte read sets _exReceiving
                    // after the CONNACK was signalled, and SendReceive throws it.
                    throw new MqttCommunicationException();
                }

                return code;
            }

            lock (_gate)
            {
                IsConnected = true;
                _dispatchThread = new Thread(DispatchLoop) { IsBackground = true, Name = "M2Mqtt dispatch (scripted)" };
                _dispatchThread.Start();
            }

            return code;
        }

        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain)
        {
            if (ProtocolVersion != MqttProtocolVersion.Version_5 && (contentType != null || userProperties != null))
            {
                throw new NotSupportedException();
            }

            ushort id;
            lock (_gate)
            {
                id = NextId();
                if (qosLevel != MqttQoSLevel.AtMostOnce)
                {
                    _inflight.Add(new Inflight { Id = id, Topic = topic, Payload = message, Attempt = 1, SentAt = _broker.Now });
                }

                Sends++;
            }

            _broker.Receive(this, id, topic, message, (int)qosLevel, dup: false);
            return id;
        }

        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels)
        {
            ushort id;
            lock (_gate)
            {
                id = NextId();
            }

            var granted = (MqttQoSLevel[])qosLevels.Clone();
            Raise(() => MqttMsgSubscribed?.Invoke(this, new MqttMsgSubscribedEventArgs(id, granted)));
            return id;
        }

        public void Disconnect()
        {
            _broker.Detach(this);
            lock (_gate)
            {
                IsConnected = false;
            }

            Raise(() => ConnectionClosed?.Invoke(this, EventArgs.Empty));
        }

        public void Close()
        {
            Thread t;
            lock (_gate)
            {
                _closed = true;
                IsConnected = false;
                t = _dispatchThread;
            }

            _broker.Detach(this);
            _dispatch.CompleteAdding();
            if (t != null && t != Thread.CurrentThread)
            {
                t.Join(5000);
            }
        }

        public void Dispose() => Close();

        // ---- driven by the scripted broker ----

        internal void OnPuback(ushort id)
        {
            lock (_gate)
            {
                int i = _inflight.FindIndex(m => m.Id == id);
                if (i < 0)
                {
                    return;
                }

                _inflight.RemoveAt(i);
            }

            Raise(() => MqttMsgPublished?.Invoke(this, new MqttMsgPublishedEventArgs(id, true)));
        }

        internal void OnIncoming(string topic, byte[] payload)
        {
            Raise(() => MqttMsgPublishReceived?.Invoke(this, new MqttMsgPublishEventArgs(topic, payload)));
        }

        internal void OnBrokerClosed()
        {
            lock (_gate)
            {
                if (!IsConnected)
                {
                    return;
                }

                IsConnected = false;
            }

            Raise(() => ConnectionClosed?.Invoke(this, EventArgs.Empty));
        }

        internal void OnBrokerDisconnect(MqttReasonCode reason)
        {
            Raise(() => ConnectionClosedRequest?.Invoke(this, new ConnectionClosedRequestEventArgs(new MqttMsgDisconnect { ResonCode = reason })));
            OnBrokerClosed();
        }

        /// <summary>ProcessInflightThread's retry rule: resend while Attempt &lt; AttemptsOnRetry, then give up.</summary>
        internal void Tick(long now)
        {
            var resend = new List<Inflight>();
            var givenUp = new List<ushort>();
            lock (_gate)
            {
                for (int i = _inflight.Count - 1; i >= 0; i--)
                {
                    Inflight m = _inflight[i];
                    if (now - m.SentAt < Settings.DelayOnRetry)
                    {
                        continue;
                    }

                    if (m.Attempt < Settings.AttemptsOnRetry)
                    {
                        m.Attempt++;
                        m.SentAt = now;
                        Sends++;
                        resend.Insert(0, m);
                    }
                    else
                    {
                        _inflight.RemoveAt(i);
                        givenUp.Insert(0, m.Id);
                    }
                }
            }

            foreach (Inflight m in resend)
            {
                _broker.Receive(this, m.Id, m.Topic, m.Payload, 1, dup: true);
            }

            foreach (ushort id in givenUp)
            {
                Raise(() => MqttMsgPublished?.Invoke(this, new MqttMsgPublishedEventArgs(id, false)));
            }
        }

        private ushort NextId()
        {
            _lastId = (ushort)(_lastId == ushort.MaxValue ? 1 : _lastId + 1);
            return _lastId;
        }

        private void Raise(Action action)
        {
            lock (_gate)
            {
                if (_closed || _dispatch.IsAddingCompleted)
                {
                    return;
                }

                _dispatch.Add(action);
            }
        }

        private void DispatchLoop()
        {
            foreach (Action action in _dispatch.GetConsumingEnumerable())
            {
                action();
            }
        }

        private sealed class Inflight
        {
            public ushort Id;
            public string Topic;
            public byte[] Payload;
            public int Attempt;
            public long SentAt;
        }
    }
}
