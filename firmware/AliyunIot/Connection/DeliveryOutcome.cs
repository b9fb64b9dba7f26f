namespace AliyunIot.Connection
{
    /// <summary>How a QoS 1 message handed to the outbox ended.</summary>
    public enum DeliveryOutcome
    {
        /// <summary>The broker acknowledged it (PUBACK; on MQTT 5 a reason below 0x80, e.g. 16 "no subscribers").</summary>
        Acknowledged = 0,
        /// <summary>The broker refused it (MQTT 5 PUBACK reason 0x80 or more, e.g. 135 not authorized). Not retried.</summary>
        Refused = 1,
        /// <summary>Dropped from the full offline queue under <see cref="AliyunIot.Config.OfflineDropPolicy.DropOldest"/>.</summary>
        Dropped = 2,
    }
}
