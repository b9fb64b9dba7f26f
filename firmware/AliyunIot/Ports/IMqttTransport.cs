using System.Collections;

namespace AliyunIot.Ports
{
    /// <summary>
    /// One MQTT connection. The core builds a new transport for every (re)connect through
    /// <see cref="IMqttTransportFactory"/> (M2Mqtt resolves DNS only in its constructor), drives it from its own
    /// threads, and gets everything the broker sends through <see cref="IMqttTransportListener"/>.
    /// Implementations: nanoFramework.M2Mqtt on the device, libmosquitto on the host.
    /// </summary>
    public interface IMqttTransport
    {
        /// <summary>Opens the network connection, performs TLS and MQTT CONNECT, and waits for the CONNACK.</summary>
        /// <returns>What happened; never throws for network, TLS or protocol failures.</returns>
        MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener);

        /// <summary>True between a successful CONNACK and the loss or close of the connection.</summary>
        bool IsConnected { get; }

        /// <summary>Queues one PUBLISH.</summary>
        /// <param name="topic">Topic name (no wildcards).</param>
        /// <param name="payload">The whole array is the payload.</param>
        /// <param name="qos">0 or 1.</param>
        /// <param name="retain">Retain flag (MQTT 5 on the platform).</param>
        /// <param name="userProperties"><see cref="MqttUserProperty"/> items for MQTT 5, or null.</param>
        /// <returns>The packet id (&gt; 0) for QoS 1, 0 for QoS 0; -1 when the transport refused it (not connected, full).</returns>
        int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties);

        /// <summary>Sends one SUBSCRIBE for all <paramref name="topics"/>.</summary>
        /// <returns>The packet id (&gt; 0), or -1 when it could not be sent.</returns>
        int Subscribe(string[] topics, int[] qos);

        /// <summary>
        /// Sends DISCONNECT (when connected), closes the socket and stops the transport's threads. Idempotent.
        /// May be called from another thread while <see cref="Connect"/> is still waiting (the session does so on
        /// Stop); Connect should then return promptly with a failure.
        /// </summary>
        void Close();
    }

    /// <summary>Creates a fresh transport for each connection attempt.</summary>
    public interface IMqttTransportFactory
    {
        /// <summary>A new, unconnected transport.</summary>
        IMqttTransport Create();
    }

    /// <summary>
    /// What the transport reports. Called on the transport's own threads: implementations only record and
    /// enqueue; they never block and never throw.
    /// </summary>
    public interface IMqttTransportListener
    {
        /// <summary>A PUBLISH arrived.</summary>
        void OnMessage(string topic, byte[] payload);

        /// <summary>
        /// A QoS 1 PUBLISH was acknowledged, refused by the broker (MQTT 5), or given up by the client library.
        /// A message the broker did not answer is NEVER reported as a refusal: that is
        /// <see cref="MqttPublishReasons.NotAcknowledged"/>, after which the core treats the connection as lost.
        /// </summary>
        /// <param name="packetId">Id returned by <see cref="IMqttTransport.Publish"/>.</param>
        /// <param name="reasonCode">0 when accepted; an MQTT 5 reason code (e.g. 135) when refused;
        /// <see cref="MqttPublishReasons.NotAcknowledged"/> when no PUBACK came after the client's retries.</param>
        void OnPublished(int packetId, int reasonCode);

        /// <summary>A SUBACK arrived.</summary>
        /// <param name="packetId">Id returned by <see cref="IMqttTransport.Subscribe"/>.</param>
        /// <param name="grantedQos">One entry per topic; 0x80 or more is a refusal.</param>
        void OnSubscribed(int packetId, int[] grantedQos);

        /// <summary>The connection ended without <see cref="IMqttTransport.Close"/> having been called.</summary>
        /// <param name="reason">Why, without secrets.</param>
        void OnConnectionLost(string reason);
    }

    /// <summary>An MQTT 5 user property (name/value pair).</summary>
    public sealed class MqttUserProperty
    {
        /// <summary>Creates a property.</summary>
        public MqttUserProperty(string name, string value)
        {
            Name = name;
            Value = value;
        }

        /// <summary>Property name.</summary>
        public string Name { get; private set; }

        /// <summary>Property value.</summary>
        public string Value { get; private set; }
    }
}
