namespace AliyunIot.Cloud.Mqtt
{
    /// <summary>Receives what the cloud's MQTT connection delivers (on the bus's own dispatch thread).</summary>
    /// <param name="topic">Topic name.</param>
    /// <param name="payload">Payload bytes.</param>
    public delegate void CloudMessageHandler(string topic, byte[] payload);

    /// <summary>
    /// The cloud's privileged MQTT connection to the broker: it may publish and subscribe any topic.
    /// Messages are delivered one at a time on a dispatch thread, never on the transport's callback thread.
    /// </summary>
    public interface ICloudBus : IDisposable
    {
        /// <summary>Every message the subscriptions deliver.</summary>
        event CloudMessageHandler MessageReceived;

        /// <summary>
        /// Raised on the dispatch thread after every (re)connection, in order with the messages: what the cloud
        /// learnt from the previous broker connection (who is online) is stale from here on.
        /// </summary>
        event Action Connected;

        /// <summary>Subscribes (and re-subscribes after every reconnect).</summary>
        void Subscribe(params string[] topicFilters);

        /// <summary>Publishes one message; false when not connected.</summary>
        bool Publish(string topic, byte[] payload, int qos);

        /// <summary>True while connected.</summary>
        bool IsConnected { get; }
    }
}
