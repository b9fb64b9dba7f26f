using AliyunIot.Connection;

namespace AliyunIot.Tests.Ota
{
    /// <summary>Accepts every publish and sends nothing: for tests of the agent's flash work, not its reports.</summary>
    internal sealed class DiscardingPublisher : IPublisher
    {
        public PublishStatus Publish(string topic, byte[] payload, int qos) => PublishStatus.Sent;
    }
}
