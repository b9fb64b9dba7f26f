using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.Tests.Session
{
    /// <summary>
    /// Wraps a real transport factory so a test decides WHEN the device may connect (e.g. only after the cloud
    /// client has re-subscribed on a restarted broker). Nothing is faked: every call goes to the real transport.
    /// </summary>
    public sealed class GatedTransportFactory : IMqttTransportFactory
    {
        private readonly IMqttTransportFactory _inner;
        private int _created;

        public GatedTransportFactory(IMqttTransportFactory inner)
        {
            _inner = inner;
        }

        /// <summary>Open: connects proceed. Closed: Connect waits (at most 60 s) until it opens.</summary>
        public ManualResetEventSlim Gate { get; } = new ManualResetEventSlim(true);

        public int Created => Volatile.Read(ref _created);

        /// <summary>Optional clock: when set, the time of every Create (= every connection attempt) is recorded.</summary>
        public Func<long> Now { get; set; }

        /// <summary>Times of the attempts (from <see cref="Now"/>).</summary>
        public long[] CreatedAt
        {
            get { lock (_times) { return _times.ToArray(); } }
        }

        private readonly List<long> _times = new List<long>();

        public IMqttTransport Create()
        {
            if (Now != null)
            {
                lock (_times)
                {
                    _times.Add(Now());
                }
            }

            Interlocked.Increment(ref _created);
            return new Gated(_inner.Create(), Gate);
        }

        private sealed class Gated : IMqttTransport
        {
            private readonly IMqttTransport _inner;
            private readonly ManualResetEventSlim _gate;

            public Gated(IMqttTransport inner, ManualResetEventSlim gate)
            {
                _inner = inner;
                _gate = gate;
            }

            public bool IsConnected => _inner.IsConnected;

            public MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener)
            {
                _gate.Wait(60000);
                return _inner.Connect(request, listener);
            }

            public int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties) => _inner.Publish(topic, payload, qos, retain, userProperties);

            public int Subscribe(string[] topics, int[] qos) => _inner.Subscribe(topics, qos);

            public void Close() => _inner.Close();
        }
    }
}
