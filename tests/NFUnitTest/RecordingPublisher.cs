using System.Collections;
using System.Text;
using AliyunIot.Connection;

namespace AliyunIot.NFUnitTest
{
    /// <summary>An outbox stand-in that records topic, text and QoS of every message (on-device tests).</summary>
    internal sealed class RecordingPublisher : IPublisher
    {
        private readonly ArrayList _topics = new ArrayList();
        private readonly ArrayList _texts = new ArrayList();
        private readonly ArrayList _qos = new ArrayList();

        public int Count
        {
            get { return _texts.Count; }
        }

        public string Topic(int index)
        {
            return (string)_topics[index];
        }

        public string Text(int index)
        {
            return (string)_texts[index];
        }

        public int Qos(int index)
        {
            return (int)_qos[index];
        }

        public PublishStatus Publish(string topic, byte[] payload, int qos)
        {
            _topics.Add(topic);
            _texts.Add(Encoding.UTF8.GetString(payload, 0, payload.Length));
            _qos.Add(qos);
            return PublishStatus.Sent;
        }
    }
}
