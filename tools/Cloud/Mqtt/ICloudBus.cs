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
        /// Raised on the dispatch thread after every (re)connection, before anything that connection delivers. The
        /// argument is the CONNACK's session-present flag: true when the broker kept the cloud's session, so every
        /// message since the last connection was queued and follows; false when what the cloud learnt from the
        /// previous connection (who is online) is stale from here on.
        /// </summary>
        event Action<bool> Connected;

        /// <summary>
        /// Connects (waiting up to ~10 s) and starts delivering. Called once the handlers are attached and the
        /// subscriptions named: with a persistent session the broker hands over what it queued for the cloud right
        /// after the CONNACK, and nothing may reach a bus nobody listens to yet.
        /// </summary>
        /// <exception cref="InvalidOperationException">The broker could not be reached.</exception>
        void Open();

        /// <summary>Subscribes (and re-subscribes after every reconnect); before <see cref="Open"/> it only records the filters.</summary>
        void Subscribe(params string[] topicFilters);

        /// <summary>Publishes one message; false when not connected.</summary>
        bool Publish(string topic, byte[] payload, int qos);

        /// <summary>True while connected.</summary>
        bool IsConnected { get; }
    }
}
