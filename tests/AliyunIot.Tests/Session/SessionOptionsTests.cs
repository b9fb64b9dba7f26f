using AliyunIot.Config;
using AliyunIot.Connection;
using Xunit;

namespace AliyunIot.Tests.Session
{
    /// <summary>The session's options start from the documented <c>limits</c> defaults and take every configured limit.</summary>
    public class SessionOptionsTests
    {
        [Fact]
        public void Default_options_have_the_documented_limits_defaults()
        {
            var options = new SessionOptions();
            Assert.Equal(16384, options.MaxPayloadBytes);
            Assert.Equal(10, options.InFlightWindow);
            Assert.Equal(100, options.OfflineQueueLength);
            Assert.Equal(OfflineDropPolicy.DropOldest, options.OfflineDropPolicy);
            Assert.Equal(20, options.MessagesPerSecond);
            Assert.Equal(10000, options.RequestTimeoutMs);
            Assert.Equal(1000, options.BackoffBaseMs);
            Assert.Equal(60000, options.BackoffCapMs);
            Assert.Equal(60000, options.StableAfterMs);
            Assert.Equal(300000, options.RefusalBackoffBaseMs);
            Assert.Equal(1800000, options.RefusalBackoffCapMs);
        }

        [Fact]
        public void FromLimits_takes_every_configured_limit()
        {
            var limits = new DeviceLimits
            {
                MaxPayloadBytes = 1000,
                InFlightWindow = 3,
                OfflineQueueLength = 7,
                OfflineDropPolicy = OfflineDropPolicy.RejectNew,
                MessagesPerSecond = 5,
                RequestTimeoutMs = 2000,
                BackoffBaseMs = 200,
                BackoffCapMs = 400,
                StableAfterMs = 3000,
            };

            var options = SessionOptions.FromLimits(limits);
            Assert.Equal(1000, options.MaxPayloadBytes);
            Assert.Equal(3, options.InFlightWindow);
            Assert.Equal(7, options.OfflineQueueLength);
            Assert.Equal(OfflineDropPolicy.RejectNew, options.OfflineDropPolicy);
            Assert.Equal(5, options.MessagesPerSecond);
            Assert.Equal(2000, options.RequestTimeoutMs);
            Assert.Equal(200, options.BackoffBaseMs);
            Assert.Equal(400, options.BackoffCapMs);
            Assert.Equal(3000, options.StableAfterMs);
            Assert.Equal(300000, options.RefusalBackoffBaseMs);
            Assert.Equal(16384, SessionOptions.FromLimits(null).MaxPayloadBytes);
        }
    }
}
