namespace AliyunIot.Connection
{
    /// <summary>A snapshot of the outbox's counters (totals since construction) and gauges.</summary>
    public sealed class OutboxCounters
    {
        /// <summary>Messages handed to a transport for the first time (QoS 0 and 1).</summary>
        public long Sent;

        /// <summary>QoS 1 messages accepted into the queue (offline, or held to pace the rate / keep order).</summary>
        public long Queued;

        /// <summary>Queued QoS 1 messages dropped by <see cref="AliyunIot.Config.OfflineDropPolicy.DropOldest"/>.</summary>
        public long Dropped;

        /// <summary>New QoS 1 messages refused with <see cref="PublishStatus.QueueFull"/> (<see cref="AliyunIot.Config.OfflineDropPolicy.RejectNew"/>).</summary>
        public long Rejected;

        /// <summary>Re-sends of QoS 1 messages that were in flight when a connection was lost.</summary>
        public long Retried;

        /// <summary>QoS 1 messages acknowledged by the broker.</summary>
        public long Acknowledged;

        /// <summary>QoS 1 messages the broker refused (MQTT 5 PUBACK reason 0x80 or more).</summary>
        public long RefusedByBroker;

        /// <summary>Publishes answered <see cref="PublishStatus.InFlightFull"/>.</summary>
        public long InFlightFull;

        /// <summary>QoS 0 publishes answered <see cref="PublishStatus.RateLimited"/>.</summary>
        public long RateLimited;

        /// <summary>Publishes answered <see cref="PublishStatus.TooLarge"/>.</summary>
        public long TooLarge;

        /// <summary>Publishes answered <see cref="PublishStatus.ForeignTopic"/>.</summary>
        public long ForeignTopic;

        /// <summary>QoS 0 publishes answered <see cref="PublishStatus.NotConnected"/>.</summary>
        public long NotConnected;

        /// <summary>Gauge: QoS 1 messages sent on the current connection and awaiting PUBACK.</summary>
        public int InFlight;

        /// <summary>Gauge: QoS 1 messages waiting to be sent (offline queue, re-sends, paced messages).</summary>
        public int QueueLength;

        // A field-by-field copy would silently read 0 for a counter added later and forgotten there.
        internal OutboxCounters Copy()
        {
            return (OutboxCounters)MemberwiseClone();
        }
    }
}
