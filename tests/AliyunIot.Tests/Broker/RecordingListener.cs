using AliyunIot.HostPorts.Mqtt;

namespace AliyunIot.Tests.Broker
{
    /// <summary>Records everything a transport reports, and lets a test wait for it.</summary>
    public sealed class RecordingListener : IMqttMessageDetailsListener
    {
        private readonly object _gate = new object();
        private readonly List<MqttReceivedMessage> _messages = new List<MqttReceivedMessage>();
        private readonly List<(int Id, int Reason)> _published = new List<(int, int)>();
        private readonly List<(int Id, int[] Granted)> _subscribed = new List<(int, int[])>();
        private readonly List<string> _lost = new List<string>();

        public MqttReceivedMessage[] Messages { get { lock (_gate) { return _messages.ToArray(); } } }

        public (int Id, int Reason)[] Published { get { lock (_gate) { return _published.ToArray(); } } }

        public string[] Lost { get { lock (_gate) { return _lost.ToArray(); } } }

        public void OnMessageDetails(MqttReceivedMessage message) => Add(() => _messages.Add(message));

        public void OnMessage(string topic, byte[] payload) => throw new InvalidOperationException("details listener expected");

        public void OnPublished(int packetId, int reasonCode) => Add(() => _published.Add((packetId, reasonCode)));

        public void OnSubscribed(int packetId, int[] grantedQos) => Add(() => _subscribed.Add((packetId, grantedQos)));

        public void OnConnectionLost(string reason) => Add(() => _lost.Add(reason));

        public MqttReceivedMessage WaitForMessage(string topic, int timeoutMs = 5000) =>
            WaitFor(() => _messages.FirstOrDefault(m => m.Topic == topic), timeoutMs, "message on " + topic);

        public int WaitForPuback(int packetId, int timeoutMs = 5000) =>
            WaitFor(() => _published.Where(p => p.Id == packetId).Select(p => (int?)p.Reason).FirstOrDefault(), timeoutMs, "PUBACK " + packetId).Value;

        public int[] WaitForSuback(int packetId, int timeoutMs = 5000) =>
            WaitFor(() => _subscribed.Where(p => p.Id == packetId).Select(p => p.Granted).FirstOrDefault(), timeoutMs, "SUBACK " + packetId);

        public string WaitForLost(int timeoutMs = 5000) => WaitFor(() => _lost.FirstOrDefault(), timeoutMs, "connection loss");

        private void Add(Action add)
        {
            lock (_gate)
            {
                add();
                Monitor.PulseAll(_gate);
            }
        }

        private T WaitFor<T>(Func<T> probe, int timeoutMs, string what)
        {
            DateTime deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            lock (_gate)
            {
                while (true)
                {
                    T value = probe();
                    if (value != null)
                    {
                        return value;
                    }

                    TimeSpan left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        throw new TimeoutException("Timed out waiting for " + what);
                    }

                    Monitor.Wait(_gate, left);
                }
            }
        }
    }
}
