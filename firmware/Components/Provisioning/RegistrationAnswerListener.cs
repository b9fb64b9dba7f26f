using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.Provisioning
{
    /// <summary>
    /// Records the one answer a registration connection waits for (<c>/ext/register</c> or <c>/ext/regnwl</c>);
    /// called on transport threads. The platform closes the connection right after answering, so a lost connection
    /// also ends the wait.
    /// </summary>
    internal sealed class RegistrationAnswerListener : IMqttTransportListener
    {
        private readonly string _topic;

        public RegistrationAnswerListener(string topic)
        {
            _topic = topic;
            Arrived = new ManualResetEvent(false);
        }

        /// <summary>Set when the answer arrived or the connection was lost.</summary>
        public ManualResetEvent Arrived { get; private set; }

        /// <summary>The first payload on the answer topic, or null.</summary>
        public byte[] Payload { get; private set; }

        /// <summary>Why the connection closed before an answer, or null.</summary>
        public string LostReason { get; private set; }

        public void OnMessage(string topic, byte[] payload)
        {
            if (topic == _topic && Payload == null)
            {
                Payload = payload;
                Arrived.Set();
            }
        }

        public void OnPublished(int packetId, int reasonCode)
        {
        }

        public void OnSubscribed(int packetId, int[] grantedQos)
        {
        }

        public void OnConnectionLost(string reason)
        {
            LostReason = reason;

            // The platform closes the connection right after sending the answer; stop waiting either way.
            Arrived.Set();
        }
    }
}
