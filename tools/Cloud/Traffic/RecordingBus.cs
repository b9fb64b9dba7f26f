using System.Collections.Concurrent;
using AliyunIot.Cloud.Mqtt;

namespace AliyunIot.Cloud.Traffic
{
    /// <summary>
    /// The cloud's MQTT connection, recording every message to and from devices in a <see cref="TrafficLog"/>:
    /// what the cloud publishes as "down", what it receives as "up". The cloud's subscriptions also deliver its
    /// own publications back (it listens to <c>/sys/#</c>); those echoes are recognised and not recorded twice.
    /// </summary>
    public sealed class RecordingBus : ICloudBus
    {
        private readonly ICloudBus _inner;
        private readonly TrafficLog _log;
        private readonly ConcurrentDictionary<string, int> _echoes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        /// <summary>Wraps <paramref name="inner"/> (owned).</summary>
        public RecordingBus(ICloudBus inner, TrafficLog log)
        {
            _inner = inner;
            _log = log;
            _inner.MessageReceived += OnMessage;
            _inner.Connected += sessionPresent => Connected?.Invoke(sessionPresent);
        }

        /// <inheritdoc />
        public event CloudMessageHandler MessageReceived;

        /// <inheritdoc />
        public event Action<bool> Connected;

        /// <inheritdoc />
        public bool IsConnected => _inner.IsConnected;

        /// <inheritdoc />
        public void Open() => _inner.Open();

        /// <inheritdoc />
        public void Subscribe(params string[] topicFilters) => _inner.Subscribe(topicFilters);

        /// <inheritdoc />
        public bool Publish(string topic, byte[] payload, int qos)
        {
            (string pk, string dn) = DeviceOf(topic);
            string key = Key(topic, payload);
            _echoes.AddOrUpdate(key, 1, (_, n) => n + 1);
            bool sent = _inner.Publish(topic, payload, qos);
            if (!sent)
            {
                Forget(key);
            }

            _log.Record(TrafficEntry.Down, pk, dn, topic, payload, sent ? null : "not sent: the cloud is not connected to the broker");
            return sent;
        }

        /// <inheritdoc />
        public void Dispose() => _inner.Dispose();

        /// <summary>ProductKey and DeviceName named by a platform topic, or nulls.</summary>
        public static (string ProductKey, string DeviceName) DeviceOf(string topic)
        {
            string[] parts = topic.Split('/');
            if (parts.Length >= 4 && parts[0].Length == 0)
            {
                switch (parts[1])
                {
                    case "sys":
                        return (parts[2], parts[3]);
                    case "ota" when parts.Length >= 6:
                        return (parts[4], parts[5]);
                    case "ext" when parts[2] == "rrpc" && parts.Length >= 7:
                        return parts[4] == "sys" ? (parts[5], parts[6]) : (parts[4], parts[5]);
                    case "ext" when parts.Length >= 5:
                        return (parts[3], parts[4]);
                    default:
                        return (parts[1], parts[2]);
                }
            }

            return (null, null);
        }

        private static string Key(string topic, byte[] payload) =>
            topic + "\n" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(payload));

        private bool Forget(string key)
        {
            while (_echoes.TryGetValue(key, out int count))
            {
                if (count <= 1 ? _echoes.TryRemove(new KeyValuePair<string, int>(key, count)) : _echoes.TryUpdate(key, count - 1, count))
                {
                    return true;
                }
            }

            return false;
        }

        private void OnMessage(string topic, byte[] payload)
        {
            if (!topic.StartsWith("$", StringComparison.Ordinal) && !Forget(Key(topic, payload)))
            {
                (string pk, string dn) = DeviceOf(topic);
                _log.Record(TrafficEntry.Up, pk, dn, topic, payload);
            }

            MessageReceived?.Invoke(topic, payload);
        }
    }
}
