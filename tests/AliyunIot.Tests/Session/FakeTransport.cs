using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.Tests.Session
{
    /// <summary>
    /// An in-memory transport for faults a real broker cannot be made to produce on demand (a CONNACK code of our
    /// choosing, a SUBACK that never comes, a PUBACK withheld). Records everything sent.
    /// </summary>
    public sealed class FakeTransport : IMqttTransport
    {
        private readonly object _gate = new object();
        private readonly MqttConnectResult _result;
        private int _nextId;
        private bool _connected;

        public FakeTransport(MqttConnectResult result, bool autoAck, bool autoSubAck)
        {
            _result = result;
            AutoAck = autoAck;
            AutoSubAck = autoSubAck;
        }

        public bool AutoAck;
        public bool AutoSubAck;

        /// <summary>Runs inside Publish after the message is recorded, with its packet id, before Publish returns: a
        /// test blocks here to stand for a transport whose publish takes seconds (a TLS write on a board).</summary>
        public Action<int> DuringPublish;

        /// <summary>When set, Publish throws it before anything is sent (a client library that throws on a dead
        /// socket instead of returning -1).</summary>
        public Exception ThrowOnPublish;

        /// <summary>When true, Connect hangs (like a silent server) until Close is called.</summary>
        public bool HangConnect;
        private readonly ManualResetEventSlim _closedSignal = new ManualResetEventSlim(false);
        public IMqttTransportListener Listener { get; private set; }
        public MqttConnectRequest Request { get; private set; }
        public List<(string Topic, byte[] Payload, int Qos, int PacketId, bool Retain, ArrayList Props)> Published { get; } = new();
        public List<string[]> Subscriptions { get; } = new();
        public bool Closed { get; private set; }

        public bool IsConnected { get { lock (_gate) { return _connected; } } }

        public MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener)
        {
            Request = request;
            Listener = listener;
            if (HangConnect)
            {
                _closedSignal.Wait(60000);
                return new MqttConnectResult(MqttConnectOutcome.Timeout, -1, "closed while connecting");
            }
            lock (_gate)
            {
                _connected = _result.Outcome == MqttConnectOutcome.Accepted;
            }

            return _result;
        }

        public int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties)
        {
            if (ThrowOnPublish != null)
            {
                throw ThrowOnPublish;
            }

            int id;
            lock (_gate)
            {
                if (!_connected)
                {
                    return -1;
                }

                id = qos == 0 ? 0 : ++_nextId;
                Published.Add((topic, payload, qos, id, retain, userProperties));
            }

            DuringPublish?.Invoke(id);
            if (qos == 1 && AutoAck)
            {
                Listener.OnPublished(id, 0);
            }

            return id;
        }

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
                Subscriptions.Add(topics);
            }

            if (AutoSubAck)
            {
                Listener.OnSubscribed(id, qos);
            }

            return id;
        }

        public void Close()
        {
            lock (_gate)
            {
                _connected = false;
                Closed = true;
            }

            _closedSignal.Set();
        }

        /// <summary>The server side drops the connection.</summary>
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

        public (string Topic, byte[] Payload, int Qos, int PacketId, bool Retain, ArrayList Props)[] PublishedSnapshot()
        {
            lock (_gate)
            {
                return Published.ToArray();
            }
        }
    }

    /// <summary>Hands out fake transports; each attempt takes the next scripted result (then the default).</summary>
    public sealed class FakeTransportFactory : IMqttTransportFactory
    {
        private readonly object _gate = new object();
        private readonly Queue<MqttConnectResult> _script = new();
        private readonly List<FakeTransport> _created = new();

        public bool AutoAck = true;
        public bool AutoSubAck = true;
        public bool HangConnect;
        public MqttConnectResult Default = new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "accepted");

        public void Script(params MqttConnectResult[] results)
        {
            lock (_gate)
            {
                foreach (var r in results)
                {
                    _script.Enqueue(r);
                }
            }
        }

        public IMqttTransport Create()
        {
            lock (_gate)
            {
                var result = _script.Count > 0 ? _script.Dequeue() : Default;
                var t = new FakeTransport(result, AutoAck, AutoSubAck) { HangConnect = HangConnect };
                _created.Add(t);
                return t;
            }
        }

        public FakeTransport[] Created
        {
            get { lock (_gate) { return _created.ToArray(); } }
        }

        public FakeTransport Last
        {
            get { lock (_gate) { return _created.Count == 0 ? null : _created[^1]; } }
        }
    }

    /// <summary>A request source that returns a fixed request (fresh object each time), counting calls.</summary>
    public sealed class FixedRequests : AliyunIot.Connection.IConnectRequestSource
    {
        private readonly Func<MqttConnectRequest> _make;
        private int _calls;

        public FixedRequests(Func<MqttConnectRequest> make) { _make = make; }

        public int Calls => Volatile.Read(ref _calls);

        public MqttConnectRequest CreateConnectRequest()
        {
            Interlocked.Increment(ref _calls);
            return _make();
        }
    }

    /// <summary>IRandom that always returns the largest value (or 0), so back-off ceilings are visible.</summary>
    public sealed class ExtremeRandom : IRandom
    {
        public bool Max = true;
        public int Next(int maxExclusive) => maxExclusive <= 0 ? 0 : (Max ? maxExclusive - 1 : 0);
        public void NextBytes(byte[] buffer) { }
    }

    /// <summary>A handler that records messages and can be made to throw or block.</summary>
    public sealed class RecordingHandler : AliyunIot.Connection.IMessageHandler
    {
        private readonly string[] _subscriptions;
        private readonly string _prefix;
        public readonly List<string> Received = new();
        public Func<string, bool> ThrowWhen = _ => false;
        public ManualResetEventSlim Gate = null;
        public readonly SemaphoreSlim Arrived = new(0);
        public int Threads => ThreadIds.Count;
        public readonly HashSet<int> ThreadIds = new();

        public RecordingHandler(string prefix, params string[] subscriptions)
        {
            _prefix = prefix;
            _subscriptions = subscriptions;
        }

        public void AddSubscriptions(ArrayList topics)
        {
            foreach (var s in _subscriptions)
            {
                topics.Add(s);
            }
        }

        public bool Handle(string topic, byte[] payload)
        {
            if (!topic.StartsWith(_prefix, StringComparison.Ordinal))
            {
                return false;
            }

            lock (Received)
            {
                ThreadIds.Add(Environment.CurrentManagedThreadId);
            }

            Gate?.Wait(10000);
            string text = System.Text.Encoding.UTF8.GetString(payload);
            if (ThrowWhen(text))
            {
                Arrived.Release();
                throw new InvalidOperationException("handler failure for " + text);
            }

            lock (Received)
            {
                Received.Add(text);
            }

            Arrived.Release();
            return true;
        }
    }
}
