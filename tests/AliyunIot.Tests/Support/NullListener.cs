using AliyunIot.Ports;

namespace AliyunIot.Tests.Support
{
    /// <summary>A transport listener for tests that only look at the connect outcome or at what was sent.</summary>
    public sealed class NullListener : IMqttTransportListener
    {
        public void OnMessage(string topic, byte[] payload)
        {
        }

        public void OnPublished(int packetId, int reasonCode)
        {
        }

        public void OnSubscribed(int packetId, int[] grantedQos)
        {
        }

        public void OnConnectionLost(string reason)
        {
        }
    }
}
