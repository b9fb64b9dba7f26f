namespace AliyunIot.Ports
{
    /// <summary>How a connection attempt ended.</summary>
    public enum MqttConnectOutcome
    {
        /// <summary>CONNACK with reason 0.</summary>
        Accepted = 0,
        /// <summary>CONNACK with a refusal; see <see cref="MqttConnectResult.ReasonCode"/>.</summary>
        Refused = 1,
        /// <summary>DNS, TCP or socket failure.</summary>
        NetworkError = 2,
        /// <summary>TLS handshake or certificate validation failed.</summary>
        TlsError = 3,
        /// <summary>No CONNACK within the timeout.</summary>
        Timeout = 4,
    }

    /// <summary>The result of <see cref="IMqttTransport.Connect"/>.</summary>
    public sealed class MqttConnectResult
    {
        /// <summary>Creates a result.</summary>
        public MqttConnectResult(MqttConnectOutcome outcome, int reasonCode, string detail)
        {
            Outcome = outcome;
            ReasonCode = reasonCode;
            Detail = detail;
        }

        /// <summary>What happened.</summary>
        public MqttConnectOutcome Outcome { get; private set; }

        /// <summary>CONNACK return code (3.1.1: 0..5) or reason code (5.0: 0, 0x80..), -1 when none arrived.</summary>
        public int ReasonCode { get; private set; }

        /// <summary>Human-readable detail without secrets.</summary>
        public string Detail { get; private set; }
    }
}
