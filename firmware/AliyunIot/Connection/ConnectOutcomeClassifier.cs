using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Maps the result of a connection attempt to a <see cref="ConnectionStatus"/> (aliyun-protocol.md §1.7, §6):
    /// MQTT 3.1.1 return codes are 1..5, MQTT 5 reason codes 0x80 and up, so one table serves both.
    /// </summary>
    public static class ConnectOutcomeClassifier
    {
        /// <summary>The status an attempt with this result leads to.</summary>
        public static ConnectionStatus Classify(MqttConnectResult result)
        {
            switch (result.Outcome)
            {
                case MqttConnectOutcome.Accepted:
                    return ConnectionStatus.Connected;
                case MqttConnectOutcome.TlsError:
                    return ConnectionStatus.TlsFailed;
                case MqttConnectOutcome.Refused:
                    return ClassifyRefusal(result.ReasonCode);
                default:
                    return ConnectionStatus.NetworkDown;
            }
        }

        /// <summary>The status for a CONNACK refusal code.</summary>
        public static ConnectionStatus ClassifyRefusal(int code)
        {
            switch (code)
            {
                case 4:     // 3.1.1 bad user name or password: the signature did not match
                case 0x86:  // 5.0 bad user name or password
                case 0x8C:  // 5.0 bad authentication method
                    return ConnectionStatus.BadCredentials;
                case 5:     // 3.1.1 not authorized: usually a wrong triplet, or the device is disabled
                case 0x87:  // 5.0 not authorized
                case 0x8A:  // 5.0 banned
                    return ConnectionStatus.NotAuthorized;
                case 0x88:  // 5.0 server unavailable
                case 0x89:  // 5.0 server busy
                case 0x97:  // 5.0 quota exceeded
                case 0x9F:  // 5.0 connection rate exceeded
                    // Transient on the server side: the normal back-off (its cap keeps it gentle).
                    return ConnectionStatus.NetworkDown;
                default:
                    // 1 protocol version, 2 identifier rejected, 3 (Aliyun: clientId or keep-alive unreasonable),
                    // 0x80 unspecified, 0x81 malformed, 0x82 protocol error, 0x84 version, 0x85 client id,
                    // 0x95 packet too large, anything unknown: a configuration the server will keep refusing.
                    return ConnectionStatus.ConfigurationRejected;
            }
        }

        /// <summary>True for statuses that use the long back-off (the server will refuse again until something changes).</summary>
        public static bool IsRefusal(ConnectionStatus status)
        {
            return status == ConnectionStatus.BadCredentials
                || status == ConnectionStatus.NotAuthorized
                || status == ConnectionStatus.ConfigurationRejected;
        }
    }
}
