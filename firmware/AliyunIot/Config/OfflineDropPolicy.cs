namespace AliyunIot.Config
{
    /// <summary>What the offline queue does when it is full and another QoS 1 message arrives.</summary>
    public enum OfflineDropPolicy
    {
        /// <summary><c>"dropOldest"</c>: the oldest queued message is dropped (and counted) to make room.</summary>
        DropOldest = 0,
        /// <summary><c>"rejectNew"</c>: the new message is refused with <c>PublishStatus.QueueFull</c>.</summary>
        RejectNew = 1,
    }
}
