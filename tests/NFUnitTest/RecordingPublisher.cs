using System.Collections;
using System.Text;
using AliyunIot.Connection;

namespace AliyunIot.NFUnitTest
{
    /// <summary>An <see cref="IPublisher"/> that keeps every topic, payload (as text) and QoS and answers <see cref="Status"/>.</summary>
    internal sealed class RecordingPublisher : IPublisher
    {
        private readonly object _gate = new object();
        private readonly ArrayList _topics = new ArrayList();
        private readonly ArrayList _texts = new ArrayList();
        private readonly ArrayList _qos = new ArrayList();

        /// <summary>What Publish answers.</summary>
        public PublishStatus Status = PublishStatus.Sent;

        public int Count
        {
            get { lock (_gate) { return _topics.Count; } }
        }

        public string Topic(int i)
        {
            lock (_gate) { return (string)_topics[i]; }
        }

        public string Text(int i)
        {
            lock (_gate) { return (string)_texts[i]; }
        }

        public int Qos(int i)
        {
            lock (_gate) { return (int)_qos[i]; }
        }

        /// <summary>The text of the last message on <paramref name="topic"/>, or null.</summary>
        public string Last(string topic)
        {
            lock (_gate)
            {
                for (int i = _topics.Count - 1; i >= 0; i--)
                {
                    if ((string)_topics[i] == topic)
                    {
                        return (string)_texts[i];
                    }
                }

                return null;
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _topics.Clear();
                _texts.Clear();
                _qos.Clear();
            }
        }

        public PublishStatus Publish(string topic, byte[] payload, int qos)
        {
            lock (_gate)
            {
                _topics.Add(topic);
                _texts.Add(Encoding.UTF8.GetString(payload, 0, payload.Length));
                _qos.Add(qos);
            }

            return Status;
        }
    }
}
