namespace AliyunIot.Connection
{
    /// <summary>
    /// Where the session stands, as the application sees it. Refusal states (<see cref="BadCredentials"/>,
    /// <see cref="NotAuthorized"/>, <see cref="ConfigurationRejected"/>) persist while the long back-off runs, so a
    /// display shows the cause rather than a flickering "connecting".
    /// </summary>
    public enum ConnectionStatus
    {
        /// <summary>Not started, or stopped by the application.</summary>
        Stopped = 0,
        /// <summary>A connection attempt (DNS, TCP, TLS, CONNECT) is under way.</summary>
        Connecting = 1,
        /// <summary>CONNACK accepted; messages flow.</summary>
        Connected = 2,
        /// <summary>An established connection was lost; the next attempt waits for the back-off.</summary>
        WaitingToRetry = 3,
        /// <summary>CONNACK 4 / MQTT 5 0x86: the signature did not match (wrong DeviceSecret or sign method). Long back-off.</summary>
        BadCredentials = 4,
        /// <summary>CONNACK 5 / MQTT 5 0x87, 0x8A: device unknown, disabled or banned (usually a wrong triplet). Long back-off.</summary>
        NotAuthorized = 5,
        /// <summary>CONNACK 1, 2, 3 / MQTT 5 0x80..0x85, 0x8C, 0x95: ClientIdentifier, keep-alive or protocol refused. Long back-off.</summary>
        ConfigurationRejected = 6,
        /// <summary>The server closed several connections right after a good CONNACK: another connection probably uses this identity.</summary>
        IdentityInUse = 7,
        /// <summary>The TLS handshake or the server certificate check failed (wrong CA, clock not set).</summary>
        TlsFailed = 8,
        /// <summary>DNS, TCP, timeout or a temporarily unavailable server; retried with the normal back-off.</summary>
        NetworkDown = 9,
    }
}
