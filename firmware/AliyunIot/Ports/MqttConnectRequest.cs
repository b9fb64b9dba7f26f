using System.Collections;

namespace AliyunIot.Ports
{
    /// <summary>Everything a transport needs for one CONNECT. Built by the core from the device config.</summary>
    public sealed class MqttConnectRequest
    {
        /// <summary>Broker host name or address.</summary>
        public string Host;

        /// <summary>Broker port.</summary>
        public int Port;

        /// <summary>TLS 1.2 with server validation against <see cref="CaCertificatesPem"/>.</summary>
        public bool UseTls = true;

        /// <summary>PEM text of the trusted roots (one or more certificates).</summary>
        public string CaCertificatesPem;

        /// <summary>The full ClientIdentifier, extension block included.</summary>
        public string ClientIdentifier;

        /// <summary>MQTT user name.</summary>
        public string Username;

        /// <summary>MQTT password. Secret: never logged.</summary>
        public string Password;

        /// <summary>Keep-alive in seconds.</summary>
        public int KeepAliveSeconds = 120;

        /// <summary>Clean session (3.1.1) / clean start (5.0).</summary>
        public bool CleanSession = true;

        /// <summary>4 for MQTT 3.1.1, 5 for MQTT 5.0.</summary>
        public int ProtocolVersion = 4;

        /// <summary>How long the CONNACK may take.</summary>
        public int ConnectTimeoutMs = 30000;

        /// <summary>MQTT 5 session expiry interval in seconds (0 = ends with the connection).</summary>
        public int SessionExpirySeconds;

        /// <summary>Will topic, or null for no will.</summary>
        public string WillTopic;

        /// <summary>Will payload.</summary>
        public byte[] WillPayload;

        /// <summary>Will QoS (0 or 1).</summary>
        public int WillQos;

        /// <summary>Will retain flag.</summary>
        public bool WillRetain;

        /// <summary>MQTT 5 CONNECT user properties (<see cref="MqttUserProperty"/>), or null.</summary>
        public ArrayList UserProperties;

        /// <summary>
        /// Largest incoming PUBLISH payload the transport hands to the listener (0 = no limit). A larger one is
        /// dropped on its length, before its payload is copied into a managed array, and the drop is logged.
        /// </summary>
        public int MaxInboundPayloadBytes;
    }
}
