using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Rate limiter on the monotonic clock: holds up to <c>ratePerSecond</c> tokens (a burst of one second's
    /// worth) and refills continuously. Counted in milli-tokens so integer arithmetic stays exact.
    /// A rate of 0 or less means unlimited.
    /// </summary>
    public sealed class TokenBucket
    {
        private readonly IClock _clock;
        private readonly int _ratePerSecond;
        private readonly long _capacityMilli;
        private long _milliTokens;
        private long _lastMs;

        /// <summary>Creates a full bucket.</summary>
        public TokenBucket(IClock clock, int ratePerSecond)
        {
            _clock = clock;
            _ratePerSecond = ratePerSecond;
            _capacityMilli = (long)ratePerSecond * 1000;
            _milliTokens = _capacityMilli;
            _lastMs = clock.MonotonicMs;
        }

        /// <summary>True when there is no limit.</summary>
        public bool Unlimited
        {
            get { return _ratePerSecond <= 0; }
        }

        /// <summary>Takes one token when available.</summary>
        public bool TryTake()
        {
            if (Unlimited)
            {
                return true;
            }

            Refill();
            if (_milliTokens >= 1000)
            {
                _milliTokens -= 1000;
                return true;
            }

            return false;
        }

        /// <summary>Milliseconds until a token is available (0 when one is available now).</summary>
        public int MsUntilToken()
        {
            if (Unlimited)
            {
                return 0;
            }

            Refill();
            if (_milliTokens >= 1000)
            {
                return 0;
            }

            long missing = 1000 - _milliTokens;
            long ms = (missing + _ratePerSecond - 1) / _ratePerSecond;
            return ms < 1 ? 1 : (int)ms;
        }

        private void Refill()
        {
            long now = _clock.MonotonicMs;
            long elapsed = now - _lastMs;
            if (elapsed <= 0)
            {
                return;
            }

            _lastMs = now;
            _milliTokens += elapsed * _ratePerSecond;
            if (_milliTokens > _capacityMilli)
            {
                _milliTokens = _capacityMilli;
            }
        }
    }
}
