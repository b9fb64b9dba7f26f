namespace AliyunIot.Connection
{
    /// <summary>What happened to a message handed to <see cref="IPublisher.Publish"/>.</summary>
    public enum PublishStatus
    {
        /// <summary>Handed to the transport (QoS 0), or in flight awaiting its PUBACK (QoS 1).</summary>
        Sent = 0,
        /// <summary>QoS 1 accepted and held in the outbox: disconnected (offline queue), or paced by the rate limit / behind older messages; sent in order.</summary>
        Queued = 1,
        /// <summary>QoS 0 while disconnected: not sent (QoS 0 is never queued).</summary>
        NotConnected = 2,
        /// <summary>The QoS 1 in-flight window is full; nothing was sent or queued. Retry later.</summary>
        InFlightFull = 3,
        /// <summary>The offline queue is full and its drop policy refused this message.</summary>
        QueueFull = 4,
        /// <summary>The payload exceeds the configured maximum; nothing was sent.</summary>
        TooLarge = 5,
        /// <summary>The per-device rate limit (the platform's 30 msg/s) refused it; nothing was sent.</summary>
        RateLimited = 6,
        /// <summary>The topic does not belong to this device; nothing was sent.</summary>
        ForeignTopic = 7,
    }

    /// <summary>The one way the core's components send: through the outbox, which enforces every limit.</summary>
    public interface IPublisher
    {
        /// <summary>Sends or queues one message.</summary>
        /// <param name="topic">Concrete topic of this device.</param>
        /// <param name="payload">Exact payload bytes (the array is kept until sent; do not reuse it).</param>
        /// <param name="qos">0 or 1.</param>
        PublishStatus Publish(string topic, byte[] payload, int qos);
    }
}
