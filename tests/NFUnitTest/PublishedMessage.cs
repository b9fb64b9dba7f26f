using System.Text;

namespace AliyunIot.NFUnitTest
{
    /// <summary>One message a test double was asked to publish.</summary>
    internal sealed class PublishedMessage
    {
        /// <summary>Records a message.</summary>
        public PublishedMessage(string topic, byte[] payload, int qos, bool retain)
        {
            Topic = topic;
            Payload = payload;
            Qos = qos;
            Retain = retain;
        }

        /// <summary>The topic.</summary>
        public string Topic { get; private set; }

        /// <summary>The bytes as given.</summary>
        public byte[] Payload { get; private set; }

        /// <summary>0 or 1.</summary>
        public int Qos { get; private set; }

        /// <summary>The retain flag.</summary>
        public bool Retain { get; private set; }

        /// <summary>The payload as UTF-8 text.</summary>
        public string Text
        {
            get { return Encoding.UTF8.GetString(Payload, 0, Payload.Length); }
        }
    }
}
