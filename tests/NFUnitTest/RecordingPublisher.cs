using System.Collections;
using AliyunIot.Connection;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An outbox stand-in that records what it is given and answers with a chosen status. While
    /// <see cref="AcknowledgeAtOnce"/> is set (the default), a delivery handler is told "acknowledged" before Publish
    /// returns (what the session does when the PUBACK arrives).
    /// </summary>
    internal sealed class RecordingPublisher : IPublisherWithOptions
    {
        private readonly object _gate = new object();
        private readonly ArrayList _messages = new ArrayList();

        /// <summary>The answer to every publish.</summary>
        public PublishStatus Status = PublishStatus.Sent;

        /// <summary>Acknowledge messages with a delivery handler at once.</summary>
        public bool AcknowledgeAtOnce = true;

        /// <summary>Set on every publish (for components that publish from their own thread).</summary>
        public readonly System.Threading.AutoResetEvent PublishSignal = new System.Threading.AutoResetEvent(false);

        /// <summary>Messages so far.</summary>
        public int Count
        {
            get { lock (_gate) { return _messages.Count; } }
        }

        /// <summary>The message at <paramref name="index"/>.</summary>
        public PublishedMessage this[int index]
        {
            get { lock (_gate) { return (PublishedMessage)_messages[index]; } }
        }

        /// <summary>The last message, or null.</summary>
        public PublishedMessage Last
        {
            get { lock (_gate) { return _messages.Count == 0 ? null : (PublishedMessage)_messages[_messages.Count - 1]; } }
        }

        /// <summary>The topic of message <paramref name="index"/>.</summary>
        public string Topic(int index)
        {
            return this[index].Topic;
        }

        /// <summary>The UTF-8 text of message <paramref name="index"/>.</summary>
        public string Text(int index)
        {
            return this[index].Text;
        }

        /// <summary>The QoS of message <paramref name="index"/>.</summary>
        public int Qos(int index)
        {
            return this[index].Qos;
        }

        /// <summary>The text of the last message on <paramref name="topic"/>, or null.</summary>
        public string LastOn(string topic)
        {
            lock (_gate)
            {
                for (int i = _messages.Count - 1; i >= 0; i--)
                {
                    PublishedMessage m = (PublishedMessage)_messages[i];
                    if (m.Topic == topic)
                    {
                        return m.Text;
                    }
                }

                return null;
            }
        }

        /// <summary>Forgets what was recorded.</summary>
        public void Clear()
        {
            lock (_gate)
            {
                _messages.Clear();
            }
        }

        /// <summary>Waits until a message on <paramref name="topic"/> has been published <paramref name="times"/> times; false after 10 s.</summary>
        public bool WaitFor(string topic, int times)
        {
            for (int i = 0; i < 100 && CountOn(topic) < times; i++)
            {
                PublishSignal.WaitOne(100, false);
            }

            return CountOn(topic) >= times;
        }

        /// <summary>The texts of the messages on <paramref name="topic"/>, one per line.</summary>
        public string TextsOn(string topic)
        {
            string all = "";
            lock (_gate)
            {
                for (int i = 0; i < _messages.Count; i++)
                {
                    PublishedMessage m = (PublishedMessage)_messages[i];
                    if (m.Topic == topic)
                    {
                        all = all + m.Text + "\n";
                    }
                }
            }

            return all;
        }

        /// <summary>How many recorded messages went to <paramref name="topic"/>.</summary>
        public int CountOn(string topic)
        {
            int n = 0;
            lock (_gate)
            {
                for (int i = 0; i < _messages.Count; i++)
                {
                    if (((PublishedMessage)_messages[i]).Topic == topic)
                    {
                        n++;
                    }
                }
            }

            return n;
        }

        /// <inheritdoc />
        public PublishStatus Publish(string topic, byte[] payload, int qos)
        {
            return Publish(topic, payload, qos, null);
        }

        /// <inheritdoc />
        public PublishStatus Publish(string topic, byte[] payload, int qos, PublishOptions options)
        {
            lock (_gate)
            {
                _messages.Add(new PublishedMessage(topic, payload, qos, options != null && options.Retain));
            }

            PublishSignal.Set();
            if (AcknowledgeAtOnce && Status == PublishStatus.Sent && options != null && options.Delivered != null)
            {
                options.Delivered(options.Token, DeliveryOutcome.Acknowledged, 0);
            }

            return Status;
        }
    }
}
