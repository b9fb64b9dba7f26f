using System.Collections;
using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An in-memory MQTT transport for what a real broker cannot be made to do on demand: a CONNACK of our choosing,
    /// a connect that hangs until closed, a withheld PUBACK, a dropped connection. Records everything sent and
    /// signals each publish and subscribe, so tests wait for events instead of sleeping.
    /// </summary>
    internal sealed class ScriptedTransport : IMqttTransport
    {
        private readonly object _gate = new object();
        private readonly MqttConnectResult _result;
        private readonly ArrayList _published = new ArrayList();
        private readonly ArrayList _packetIds = new ArrayList();
        private readonly ArrayList _subscribed = new ArrayList();
        private readonly ManualResetEvent _closed = new ManualResetEvent(false);
        private int _nextId;
        private bool _connected;

        /// <summary>Creates a transport whose Connect answers <paramref name="result"/>.</summary>
        public ScriptedTransport(MqttConnectResult result)
        {
            _result = result;
        }

        /// <summary>Connect waits until <see cref="Close"/> (a silent server).</summary>
        public bool Hang;

        /// <summary>Acknowledge every QoS 1 publish at once.</summary>
        public bool AutoAck;

        /// <summary>Grant every subscription at once.</summary>
        public bool AutoSubAck = true;

        /// <summary>Set on every publish.</summary>
        public readonly AutoResetEvent PublishSignal = new AutoResetEvent(false);

        /// <summary>Set on every subscribe.</summary>
        public readonly AutoResetEvent SubscribeSignal = new AutoResetEvent(false);

        /// <summary>The listener given to Connect.</summary>
        public IMqttTransportListener Listener;

        /// <summary>The request given to Connect.</summary>
        public MqttConnectRequest Request;

        /// <summary>True once Close was called.</summary>
        public bool Closed;

        /// <summary>An accepted, connected transport (for driving the outbox directly).</summary>
        public static ScriptedTransport ConnectedNow()
        {
            ScriptedTransport t = new ScriptedTransport(new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "accepted"));
            t.Connect(new MqttConnectRequest(), null);
            return t;
        }

        /// <inheritdoc />
        public bool IsConnected
        {
            get { lock (_gate) { return _connected; } }
        }

        /// <summary>Publishes so far.</summary>
        public int PublishedCount
        {
            get { lock (_gate) { return _published.Count; } }
        }

        /// <summary>The publish at <paramref name="index"/>.</summary>
        public PublishedMessage Published(int index)
        {
            lock (_gate)
            {
                return (PublishedMessage)_published[index];
            }
        }

        /// <summary>The packet id the publish at <paramref name="index"/> was given.</summary>
        public int PacketId(int index)
        {
            lock (_gate)
            {
                return (int)_packetIds[index];
            }
        }

        /// <summary>The texts of every publish, joined with ','.</summary>
        public string PublishedTexts()
        {
            lock (_gate)
            {
                string all = "";
                for (int i = 0; i < _published.Count; i++)
                {
                    all += (i == 0 ? "" : ",") + ((PublishedMessage)_published[i]).Text;
                }

                return all;
            }
        }

        /// <summary>Every topic subscribed, in order, joined with ' '.</summary>
        public string SubscribedTopics()
        {
            lock (_gate)
            {
                string all = "";
                for (int i = 0; i < _subscribed.Count; i++)
                {
                    all += (i == 0 ? "" : " ") + (string)_subscribed[i];
                }

                return all;
            }
        }

        /// <summary>Waits until <paramref name="count"/> publishes were made; false after 10 s.</summary>
        public bool WaitForPublishes(int count)
        {
            for (int i = 0; i < 100 && PublishedCount < count; i++)
            {
                PublishSignal.WaitOne(100, false);
            }

            return PublishedCount >= count;
        }

        /// <summary>Waits until a subscribed topic contains <paramref name="part"/>; false after 10 s.</summary>
        public bool WaitForSubscription(string part)
        {
            for (int i = 0; i < 100 && !SubscribedTopics().Contains(part); i++)
            {
                SubscribeSignal.WaitOne(100, false);
            }

            return SubscribedTopics().Contains(part);
        }

        /// <inheritdoc />
        public MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener)
        {
            Request = request;
            Listener = listener;
            if (Hang)
            {
                _closed.WaitOne(60000, false);
                return new MqttConnectResult(MqttConnectOutcome.Timeout, -1, "closed while connecting");
            }

            lock (_gate)
            {
                _connected = _result.Outcome == MqttConnectOutcome.Accepted;
            }

            return _result;
        }

        /// <inheritdoc />
        public int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties)
        {
            int id;
            lock (_gate)
            {
                if (!_connected)
                {
                    return -1;
                }

                id = qos == 0 ? 0 : ++_nextId;
                _published.Add(new PublishedMessage(topic, payload, qos, retain));
                _packetIds.Add(id);
            }

            PublishSignal.Set();
            if (qos == 1 && AutoAck && Listener != null)
            {
                Listener.OnPublished(id, 0);
            }

            return id;
        }

        /// <inheritdoc />
        public int Subscribe(string[] topics, int[] qos)
        {
            int id;
            lock (_gate)
            {
                if (!_connected)
                {
                    return -1;
                }

                id = ++_nextId;
                for (int i = 0; i < topics.Length; i++)
                {
                    _subscribed.Add(topics[i]);
                }
            }

            SubscribeSignal.Set();
            if (AutoSubAck && Listener != null)
            {
                Listener.OnSubscribed(id, qos);
            }

            return id;
        }

        /// <inheritdoc />
        public void Close()
        {
            lock (_gate)
            {
                _connected = false;
                Closed = true;
            }

            _closed.Set();
        }

        /// <summary>The server drops the connection.</summary>
        public void Drop(string reason)
        {
            lock (_gate)
            {
                if (!_connected)
                {
                    return;
                }

                _connected = false;
            }

            Listener.OnConnectionLost(reason);
        }

        /// <summary>The broker sends a PUBLISH to the device.</summary>
        public void Deliver(string topic, byte[] payload)
        {
            Listener.OnMessage(topic, payload);
        }
    }
}
