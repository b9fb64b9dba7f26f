namespace AliyunIot.HostPorts.Mqtt
{
    /// <summary>
    /// A PUBLISH as libmosquitto delivered it, with what the core's port does not carry (QoS, retain flag, MQTT 5
    /// user properties). Host-side tools (the cloud client, tests) receive it through <see cref="IMqttMessageDetailsListener"/>.
    /// </summary>
    public sealed class MqttReceivedMessage
    {
        /// <summary>Creates a message.</summary>
        public MqttReceivedMessage(string topic, byte[] payload, int qos, bool retain, IReadOnlyList<KeyValuePair<string, string>> userProperties)
        {
            Topic = topic;
            Payload = payload;
            Qos = qos;
            Retain = retain;
            UserProperties = userProperties;
        }

        /// <summary>Topic name.</summary>
        public string Topic { get; }

        /// <summary>Payload bytes (never null).</summary>
        public byte[] Payload { get; }

        /// <summary>QoS the message was delivered with.</summary>
        public int Qos { get; }

        /// <summary>Retain flag as delivered (set for messages replayed from the retained store).</summary>
        public bool Retain { get; }

        /// <summary>MQTT 5 user properties in wire order (empty on 3.1.1).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> UserProperties { get; }

        /// <summary>The payload decoded as UTF-8.</summary>
        public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);

        /// <summary>Topic and payload size (payloads are not printed: they may carry secrets).</summary>
        public override string ToString() => Topic + " (" + Payload.Length + " bytes)";
    }
}
