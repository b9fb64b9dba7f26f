using System.Text;
using AliyunIot.Connection;

namespace AliyunIot.Tests.Support
{
    /// <summary>One message handed to the publisher.</summary>
    public sealed record Published(string Topic, string Text, byte[] Payload, int Qos);

    /// <summary>An IPublisher that records what it is given and answers with a chosen status.</summary>
    public sealed class CapturingPublisher : IPublisher
    {
        private readonly object _gate = new object();
        private readonly List<Published> _messages = new List<Published>();

        public PublishStatus Status { get; set; } = PublishStatus.Sent;

        public Published[] Messages
        {
            get { lock (_gate) { return _messages.ToArray(); } }
        }

        public void Clear()
        {
            lock (_gate) { _messages.Clear(); }
        }

        public PublishStatus Publish(string topic, byte[] payload, int qos)
        {
            lock (_gate)
            {
                _messages.Add(new Published(topic, Encoding.UTF8.GetString(payload), payload, qos));
            }

            return Status;
        }
    }
}
