namespace AliyunIot.Config
{
    /// <summary>
    /// The <c>limits</c> section of device.json: bounds of the outbound path and of reconnection. Every value is
    /// validated by <see cref="DeviceConfigParser"/>; docs/device-config.md lists defaults and ranges.
    /// </summary>
    public sealed class DeviceLimits
    {
        /// <summary>Default of <see cref="MaxPayloadBytes"/>: comfortable for ESP32 TLS buffers.</summary>
        public const int DefaultMaxPayloadBytes = 16384;

        /// <summary>The platform's per-message limit (256 KB).</summary>
        public const int PlatformMaxPayloadBytes = 262144;

        /// <summary>The platform's per-device upstream rate limit (messages per second).</summary>
        public const int PlatformMaxMessagesPerSecond = 30;

        /// <summary>Creates limits with every default.</summary>
        public DeviceLimits()
        {
            MaxPayloadBytes = DefaultMaxPayloadBytes;
            InFlightWindow = 10;
            OfflineQueueLength = 100;
            OfflineDropPolicy = OfflineDropPolicy.DropOldest;
            MessagesPerSecond = 20;
            RequestTimeoutMs = 10000;
            BackoffBaseMs = 1000;
            BackoffCapMs = 60000;
            StableAfterMs = 60000;
            InboundQueueBytes = DefaultQueueBytes;
            OfflineQueueBytes = DefaultQueueBytes;
        }

        /// <summary>Default of the two queue byte budgets when device.json names no board profile.</summary>
        public const int DefaultQueueBytes = 65536;

        /// <summary>
        /// Payload bytes of incoming messages waiting for the worker, at most (1024..16777216; default from the
        /// board profile, else 65536). Must hold at least one message of <see cref="MaxPayloadBytes"/>.
        /// </summary>
        public int InboundQueueBytes { get; set; }

        /// <summary>
        /// Payload bytes of QoS 1 messages kept while disconnected, at most (0..16777216; default from the board
        /// profile, else 65536). Checked together with <see cref="OfflineQueueLength"/>: whichever is reached first.
        /// </summary>
        public int OfflineQueueBytes { get; set; }

        /// <summary>Largest payload accepted for publishing (256..262144, default 16384).</summary>
        public int MaxPayloadBytes { get; set; }

        /// <summary>QoS 1 messages awaiting PUBACK at once (1..100, default 10).</summary>
        public int InFlightWindow { get; set; }

        /// <summary>QoS 1 messages kept while disconnected (0..10000, default 100).</summary>
        public int OfflineQueueLength { get; set; }

        /// <summary>What a full offline queue does (default <see cref="OfflineDropPolicy.DropOldest"/>).</summary>
        public OfflineDropPolicy OfflineDropPolicy { get; set; }

        /// <summary>Upstream messages per second (1..30, default 20).</summary>
        public int MessagesPerSecond { get; set; }

        /// <summary>How long a request (reply, SUBACK) may take (1000..120000 ms, default 10000).</summary>
        public int RequestTimeoutMs { get; set; }

        /// <summary>First reconnect back-off (100..60000 ms, default 1000).</summary>
        public int BackoffBaseMs { get; set; }

        /// <summary>Largest reconnect back-off (≥ base, ≤ 3600000 ms, default 60000).</summary>
        public int BackoffCapMs { get; set; }

        /// <summary>A connection up this long resets the back-off (1000..3600000 ms, default 60000).</summary>
        public int StableAfterMs { get; set; }
    }
}
