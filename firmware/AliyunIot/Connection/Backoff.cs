using System;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Exponential back-off with jitter. The n-th consecutive failure (n from 0) has the ceiling
    /// <c>min(cap, base·2^n)</c>. With full jitter the delay is uniform in [0, ceiling] (AWS "full jitter": a fleet
    /// that lost its broker at the same instant spreads its reconnects instead of arriving in waves); with
    /// "equal jitter" it is uniform in [ceiling/2, ceiling], which the long back-off for refusals uses so that a
    /// refused device never retries sooner than half the ceiling (no storm even with an unlucky random draw).
    /// </summary>
    public sealed class Backoff
    {
        private readonly IRandom _random;
        private readonly int _baseMs;
        private readonly int _capMs;
        private readonly bool _fullJitter;
        private int _failures;

        /// <summary>Creates a back-off.</summary>
        /// <param name="random">Source of jitter.</param>
        /// <param name="baseMs">Ceiling of the first delay (&gt; 0).</param>
        /// <param name="capMs">Largest ceiling (&gt;= <paramref name="baseMs"/>).</param>
        /// <param name="fullJitter">true: [0, ceiling]; false: [ceiling/2, ceiling].</param>
        public Backoff(IRandom random, int baseMs, int capMs, bool fullJitter)
        {
            if (random == null)
            {
                throw new ArgumentNullException("random");
            }

            if (baseMs <= 0 || capMs < baseMs)
            {
                throw new ArgumentOutOfRangeException("baseMs", "need 0 < baseMs <= capMs");
            }

            _random = random;
            _baseMs = baseMs;
            _capMs = capMs;
            _fullJitter = fullJitter;
        }

        /// <summary>Consecutive failures since the last <see cref="Reset"/>.</summary>
        public int Failures
        {
            get { return _failures; }
        }

        /// <summary>The ceiling the next call to <see cref="NextDelayMs"/> will draw under.</summary>
        public int CurrentCeilingMs
        {
            get
            {
                long ceiling = _baseMs;
                for (int i = 0; i < _failures && ceiling < _capMs; i++)
                {
                    ceiling *= 2;
                }

                return ceiling > _capMs ? _capMs : (int)ceiling;
            }
        }

        /// <summary>Records one more failure and returns how long to wait before the next attempt.</summary>
        public int NextDelayMs()
        {
            int ceiling = CurrentCeilingMs;
            if (_failures < int.MaxValue)
            {
                _failures++;
            }

            if (_fullJitter)
            {
                return _random.Next(ceiling + 1);
            }

            int half = ceiling / 2;
            return half + _random.Next(ceiling - half + 1);
        }

        /// <summary>Starts again from the base delay (after a connection proved stable).</summary>
        public void Reset()
        {
            _failures = 0;
        }
    }
}
