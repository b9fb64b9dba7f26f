namespace AliyunIot.Connection
{
    /// <summary>What the outbox does with a QoS 1 message accepted while the offline queue is full.</summary>
    public enum OfflineDropPolicy
    {
        /// <summary>
        /// The oldest queued message is dropped (counted in <see cref="OutboxCounters.Dropped"/>, its delivery
        /// handler told <see cref="DeliveryOutcome.Dropped"/>) and the new one is queued: fresh readings win.
        /// </summary>
        DropOldest = 0,
        /// <summary>The new message is refused with <see cref="PublishStatus.QueueFull"/> (counted in <see cref="OutboxCounters.Rejected"/>); queued ones are kept.</summary>
        RejectNew = 1,
    }
}
