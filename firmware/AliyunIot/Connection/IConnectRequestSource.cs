using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Gives the supervisor a complete CONNECT request for each attempt: host, port, TLS roots and freshly signed
    /// credentials (the timestamp in the ClientIdentifier is taken now). Identity's MqttCredentials is adapted to it.
    /// </summary>
    public interface IConnectRequestSource
    {
        /// <summary>A new request for an attempt starting now.</summary>
        /// <exception cref="System.Exception">When no request can be built (bad config); the message holds no secret.</exception>
        MqttConnectRequest CreateConnectRequest();
    }
}
