namespace AliyunIot.Connection
{
    /// <summary>
    /// <see cref="IPublisher"/> plus MQTT 5 extras and delivery notification. The outbox implements both; components
    /// that only need plain publishing keep depending on <see cref="IPublisher"/>.
    /// </summary>
    public interface IPublisherWithOptions : IPublisher
    {
        /// <summary>Sends or queues one message, with <paramref name="options"/> (may be null).</summary>
        /// <returns>The same statuses as <see cref="IPublisher.Publish"/>; when it is not Sent or Queued,
        /// <see cref="PublishOptions.Delivered"/> is never called for this message.</returns>
        PublishStatus Publish(string topic, byte[] payload, int qos, PublishOptions options);
    }
}
