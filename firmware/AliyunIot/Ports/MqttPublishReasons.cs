namespace AliyunIot.Ports
{
    /// <summary>
    /// Values a transport passes to <see cref="IMqttTransportListener.OnPublished"/> besides the MQTT 5 PUBACK reason
    /// codes (0..0xFF). Negative values are never sent by a broker: they describe what the client itself decided.
    /// </summary>
    public static class MqttPublishReasons
    {
        /// <summary>The broker acknowledged the message (PUBACK, MQTT 3.1.1, or MQTT 5 reason 0).</summary>
        public const int Accepted = 0;

        /// <summary>
        /// The client library gave up waiting for the PUBACK (M2Mqtt: after 3 attempts 1 s apart). The broker never
        /// refused the message; the connection is presumed lost. The core keeps the message, drops the connection and
        /// re-sends it, in order, after the next CONNACK. A transport that never gives up (libmosquitto) never
        /// reports it.
        /// </summary>
        public const int NotAcknowledged = -1;

        /// <summary>True when <paramref name="reasonCode"/> is a broker's refusal (MQTT 5 PUBACK reason 0x80 or more).</summary>
        public static bool IsRefusal(int reasonCode)
        {
            return reasonCode >= 0x80;
        }
    }
}
