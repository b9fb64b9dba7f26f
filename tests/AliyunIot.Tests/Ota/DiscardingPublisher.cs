using AliyunIot.Connection;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// Accepts every publish, sends nothing and acknowledges at once, like a broker that answers every PUBACK: for
    /// tests of the agent's flash work, not its reports (the agent waits for the final report's PUBACK before it
    /// restarts).
    /// </summary>
    internal sealed class DiscardingPublisher : IPublisherWithOptions
    {
        public PublishStatus Publish(string topic, byte[] payload, int qos) => PublishStatus.Sent;

        public PublishStatus Publish(string topic, byte[] payload, int qos, PublishOptions options)
        {
            options?.Delivered?.Invoke(options.Token, DeliveryOutcome.Acknowledged, 0);
            return PublishStatus.Sent;
        }
    }
}
