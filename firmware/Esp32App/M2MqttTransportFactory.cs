using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Creates one <see cref="M2MqttTransport"/> per connection attempt, so every reconnect re-resolves the broker's
    /// DNS name and starts from fresh M2Mqtt worker threads.
    /// </summary>
    public sealed class M2MqttTransportFactory : IMqttTransportFactory
    {
        /// <inheritdoc />
        public IMqttTransport Create()
        {
            return new M2MqttTransport();
        }
    }
}
