using System.Collections;

namespace AliyunIot.Connection
{
    /// <summary>One QoS 1 message the outbox keeps until its PUBACK.</summary>
    internal sealed class OutboxMessage
    {
        internal OutboxMessage(string topic, byte[] payload, bool retain, ArrayList userProperties, object token, DeliveryHandler delivered)
        {
            Topic = topic;
            Payload = payload;
            Retain = retain;
            UserProperties = userProperties;
            Token = token;
            Delivered = delivered;
        }

        internal string Topic;
        internal byte[] Payload;
        internal bool Retain;
        internal ArrayList UserProperties;
        internal object Token;
        internal DeliveryHandler Delivered;

        /// <summary>Packet id on the current connection; 0 when not sent on it.</summary>
        internal int PacketId;

        /// <summary>How many times it was handed to a transport.</summary>
        internal int SendCount;
    }
}
