using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest.Hardware
{
    /// <summary>Counts what a transport reports (called on M2Mqtt's threads; only records).</summary>
    internal sealed class RecordingListener : IMqttTransportListener
    {
        /// <summary>PUBLISH messages received.</summary>
        public int Messages;

        /// <summary>Connection losses reported.</summary>
        public int Losses;

        /// <inheritdoc />
        public void OnMessage(string topic, byte[] payload)
        {
            Messages++;
        }

        /// <inheritdoc />
        public void OnPublished(int packetId, int reasonCode)
        {
        }

        /// <inheritdoc />
        public void OnSubscribed(int packetId, int[] grantedQos)
        {
        }

        /// <inheritdoc />
        public void OnConnectionLost(string reason)
        {
            Losses++;
        }
    }
}
