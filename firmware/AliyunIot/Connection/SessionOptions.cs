using System.Collections;
using AliyunIot.Config;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Limits and timings of the session and the outbox (the <c>limits</c> section of device.json plus a few
    /// fixed policies). The defaults of the <c>limits</c> fields are taken from <see cref="DeviceLimits"/>, so the
    /// documented defaults live in one place; the config parser enforces the platform's ranges.
    /// </summary>
    public sealed class SessionOptions
    {
        /// <summary>Largest payload accepted (platform maximum 256 KB).</summary>
        public int MaxPayloadBytes;

        /// <summary>QoS 1 messages sent and not yet acknowledged, at most (also the most a caller may have pending while connected).</summary>
        public int InFlightWindow;

        /// <summary>QoS 1 messages kept while disconnected.</summary>
        public int OfflineQueueLength;

        /// <summary>What happens when the offline queue is full.</summary>
        public OfflineDropPolicy OfflineDropPolicy;

        /// <summary>Upstream rate limit (the platform drops above 30/s); 0 or less disables it (benchmarks only).</summary>
        public int MessagesPerSecond;

        /// <summary>Request timeout; a SUBACK not seen within twice this is reported.</summary>
        public int RequestTimeoutMs;

        /// <summary>First reconnect back-off ceiling.</summary>
        public int BackoffBaseMs;

        /// <summary>Largest reconnect back-off ceiling.</summary>
        public int BackoffCapMs;

        /// <summary>A connection up this long resets the back-off.</summary>
        public int StableAfterMs;

        /// <summary>First ceiling of the long back-off after a refusal (CONNACK 1..5, MQTT 5 refusals).</summary>
        public int RefusalBackoffBaseMs = 300000;

        /// <summary>Largest ceiling of the long back-off after a refusal.</summary>
        public int RefusalBackoffCapMs = 1800000;

        /// <summary>A connection lost sooner than this after its CONNACK counts as a "quick disconnect".</summary>
        public int QuickDisconnectMs = 5000;

        /// <summary>This many quick disconnects in a row report <see cref="ConnectionStatus.IdentityInUse"/>.</summary>
        public int QuickDisconnectsForIdentityInUse = 3;

        /// <summary>Incoming messages waiting for the worker, at most; more are dropped (newest) and counted.</summary>
        public int InboundQueueLength = 32;

        /// <summary>Payload bytes of incoming messages waiting for the worker, at most (limits.inboundQueueBytes).</summary>
        public int InboundQueueBytes;

        /// <summary>Payload bytes kept in the offline queue, at most (limits.offlineQueueBytes).</summary>
        public int OfflineQueueBytes;

        /// <summary>Topics per SUBSCRIBE packet when resubscribing.</summary>
        public int TopicsPerSubscribe = 8;

        /// <summary>MQTT 5 session expiry interval applied to every CONNECT (seconds; 0 = ends with the connection).</summary>
        public int SessionExpirySeconds;

        /// <summary>Will topic applied to every CONNECT (MQTT 5 on the platform), or null.</summary>
        public string WillTopic;

        /// <summary>Will payload.</summary>
        public byte[] WillPayload;

        /// <summary>Will QoS (0 or 1).</summary>
        public int WillQos;

        /// <summary>Will retain flag.</summary>
        public bool WillRetain;

        /// <summary>MQTT 5 CONNECT user properties (<see cref="AliyunIot.Ports.MqttUserProperty"/>), or null.</summary>
        public ArrayList ConnectUserProperties;

        /// <summary>Options with every default; the ones of the <c>limits</c> section are <see cref="DeviceLimits"/>'s.</summary>
        public SessionOptions()
            : this(new DeviceLimits())
        {
        }

        private SessionOptions(DeviceLimits limits)
        {
            MaxPayloadBytes = limits.MaxPayloadBytes;
            InFlightWindow = limits.InFlightWindow;
            OfflineQueueLength = limits.OfflineQueueLength;
            InboundQueueBytes = limits.InboundQueueBytes;
            OfflineQueueBytes = limits.OfflineQueueBytes;
            OfflineDropPolicy = limits.OfflineDropPolicy;
            MessagesPerSecond = limits.MessagesPerSecond;
            RequestTimeoutMs = limits.RequestTimeoutMs;
            BackoffBaseMs = limits.BackoffBaseMs;
            BackoffCapMs = limits.BackoffCapMs;
            StableAfterMs = limits.StableAfterMs;
        }

        /// <summary>Sets the fields of a CONNECT these options decide (inbound size limit, session expiry, will,
        /// user properties) on a request the credential source built.</summary>
        internal void ApplyTo(AliyunIot.Ports.MqttConnectRequest request)
        {
            // Transports that can see a PUBLISH's length first drop an oversize one without copying it.
            request.MaxInboundPayloadBytes = MaxPayloadBytes;
            if (SessionExpirySeconds > 0)
            {
                request.SessionExpirySeconds = SessionExpirySeconds;
            }

            if (WillTopic != null)
            {
                request.WillTopic = WillTopic;
                request.WillPayload = WillPayload;
                request.WillQos = WillQos;
                request.WillRetain = WillRetain;
            }

            if (ConnectUserProperties != null)
            {
                request.UserProperties = ConnectUserProperties;
            }
        }

        /// <summary>Options with the <c>limits</c> section of device.json applied (other fields keep their defaults).</summary>
        public static SessionOptions FromLimits(DeviceLimits limits)
        {
            return limits == null ? new SessionOptions() : new SessionOptions(limits);
        }
    }
}
