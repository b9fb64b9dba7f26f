using System.Text;
using System.Text.Json;
using AliyunIot.Connection;

namespace AliyunIot.Tests.Thing
{
    /// <summary>
    /// Records what the dispatcher publishes for one input without allocating (so the allocation measured is the
    /// dispatcher's). Replies are the QoS 0 messages; posts after a set are QoS 1.
    /// </summary>
    internal sealed class FuzzReplyRecorder : IPublisher
    {
        private readonly string[] _topics = new string[16];
        private readonly byte[][] _payloads = new byte[16][];
        private readonly int[] _qos = new int[16];
        private int _count;

        public int Replies => Enumerable.Range(0, _count).Count(i => _qos[i] == 0);

        public void Clear() => _count = 0;

        public PublishStatus Publish(string topic, byte[] payload, int qos)
        {
            _topics[_count] = topic;
            _payloads[_count] = payload;
            _qos[_count] = qos;
            _count++;
            return PublishStatus.Sent;
        }

        public IEnumerable<(string Topic, byte[] Payload)> All() => Enumerable.Range(0, _count).Select(i => (_topics[i], _payloads[i]));

        public string ReplyText(int index) => Reply(index) is byte[] p ? Encoding.UTF8.GetString(p) : "(none)";

        public int? ReplyCode(int index) => Field(index, "code") is JsonElement e && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null;

        public string ReplyId(int index) => Field(index, "id") is JsonElement e && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

        private byte[] Reply(int index) => Enumerable.Range(0, _count).Where(i => _qos[i] == 0).Select(i => _payloads[i]).Skip(index).FirstOrDefault();

        private JsonElement? Field(int index, string name)
        {
            byte[] payload = Reply(index);
            if (payload == null || payload.Length == 0 || payload[0] != (byte)'{')
            {
                return null; // a raw reply: bytes of the application's choosing, no code
            }

            using var document = JsonDocument.Parse(payload);
            return document.RootElement.TryGetProperty(name, out JsonElement value) ? value.Clone() : null;
        }
    }
}
