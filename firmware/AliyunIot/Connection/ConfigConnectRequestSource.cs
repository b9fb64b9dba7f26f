using System;
using AliyunIot.Config;
using AliyunIot.Crypto;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Builds each CONNECT request from the device config with <see cref="MqttCredentials"/>, signed with the
    /// current UTC time in milliseconds (the platform accepts any timestamp, but a fresh one per attempt keeps the
    /// password different on every connect).
    /// </summary>
    public sealed class ConfigConnectRequestSource : IConnectRequestSource
    {
        private static readonly long EpochTicks = new DateTime(1970, 1, 1, 0, 0, 0).Ticks;

        private readonly DeviceConfig _config;
        private readonly string _caCertificatesPem;
        private readonly IClock _clock;
        private readonly IHmacSha256 _hmacSha256;

        /// <summary>Creates the source.</summary>
        /// <param name="config">A parsed config holding a deviceSecret or deviceToken.</param>
        /// <param name="caCertificatesPem">Trusted roots (the config's override or the embedded bundle).</param>
        /// <param name="clock">UTC time for the timestamp.</param>
        /// <param name="hmacSha256">Native HMAC-SHA256 on the device, or null for the managed one.</param>
        public ConfigConnectRequestSource(DeviceConfig config, string caCertificatesPem, IClock clock, IHmacSha256 hmacSha256)
        {
            if (config == null)
            {
                throw new ArgumentNullException("config");
            }

            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            _config = config;
            _caCertificatesPem = caCertificatesPem;
            _clock = clock;
            _hmacSha256 = hmacSha256;
        }

        /// <inheritdoc />
        public MqttConnectRequest CreateConnectRequest()
        {
            long timestampMs = (_clock.UtcNow.Ticks - EpochTicks) / TimeSpan.TicksPerMillisecond;
            return MqttCredentials.BuildConnectRequest(_config, _caCertificatesPem, timestampMs, _hmacSha256);
        }
    }
}
