using AliyunIot.Connection;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Session
{
    public class BackoffTests
    {
        [Fact]
        public void FullJitterCeilingDoublesFromBaseToCap()
        {
            var backoff = new Backoff(new ExtremeRandom { Max = true }, 1000, 60000, true);
            var delays = Enumerable.Range(0, 9).Select(_ => backoff.NextDelayMs()).ToArray();
            Assert.Equal(new[] { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000 }, delays);
        }

        [Fact]
        public void FullJitterCanWaitZero()
        {
            var backoff = new Backoff(new ExtremeRandom { Max = false }, 1000, 60000, true);
            Assert.Equal(0, backoff.NextDelayMs());
            Assert.Equal(0, backoff.NextDelayMs());
            Assert.Equal(2, backoff.Failures);
        }

        [Fact]
        public void EqualJitterNeverWaitsLessThanHalfTheCeiling()
        {
            var backoff = new Backoff(new ExtremeRandom { Max = false }, 300000, 1800000, false);
            var delays = Enumerable.Range(0, 5).Select(_ => backoff.NextDelayMs()).ToArray();
            Assert.Equal(new[] { 150000, 300000, 600000, 900000, 900000 }, delays);
        }

        [Fact]
        public void ResetStartsFromBaseAgain()
        {
            var backoff = new Backoff(new ExtremeRandom(), 1000, 60000, true);
            backoff.NextDelayMs();
            backoff.NextDelayMs();
            backoff.NextDelayMs();
            backoff.Reset();
            Assert.Equal(0, backoff.Failures);
            Assert.Equal(1000, backoff.NextDelayMs());
        }

        [Fact]
        public void RealRandomStaysWithinCeiling()
        {
            var backoff = new Backoff(new AliyunIot.HostPorts.Platform.SystemRandom(), 1000, 8000, true);
            for (int i = 0; i < 200; i++)
            {
                int ceiling = backoff.CurrentCeilingMs;
                int d = backoff.NextDelayMs();
                Assert.InRange(d, 0, ceiling);
            }

            Assert.Equal(8000, backoff.CurrentCeilingMs);
        }

        [Fact]
        public void BadArgumentsAreRefused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(new ExtremeRandom(), 0, 1000, true));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(new ExtremeRandom(), 2000, 1000, true));
        }

        [Fact]
        public void TokenBucketAllowsOneSecondBurstThenPaces()
        {
            var clock = new ManualClock();
            var bucket = new TokenBucket(clock, 20);
            for (int i = 0; i < 20; i++)
            {
                Assert.True(bucket.TryTake());
            }

            Assert.False(bucket.TryTake());
            Assert.Equal(50, bucket.MsUntilToken());
            clock.Advance(49);
            Assert.False(bucket.TryTake());
            clock.Advance(1);
            Assert.True(bucket.TryTake());
            clock.Advance(10000);
            int taken = 0;
            while (bucket.TryTake())
            {
                taken++;
            }

            Assert.Equal(20, taken);
        }
    }
}
