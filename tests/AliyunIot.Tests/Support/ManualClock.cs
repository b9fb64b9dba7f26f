using AliyunIot.Ports;

namespace AliyunIot.Tests.Support
{
    /// <summary>
    /// A controllable clock: time moves only when a test calls <see cref="Advance"/> or when code waits through
    /// <see cref="Wait"/> (which advances virtual time by the whole wait unless the handle is already signalled).
    /// Lets back-off be observed over "minutes" in milliseconds of real time.
    /// </summary>
    public sealed class ManualClock : IClock
    {
        private readonly object _gate = new object();
        private long _nowMs;
        private DateTime _utcAtZero;

        /// <summary>Creates a clock at <paramref name="utc"/> (default 2026-01-01).</summary>
        public ManualClock(DateTime? utc = null)
        {
            _utcAtZero = utc ?? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        }

        /// <summary>Every wait requested, in order (milliseconds).</summary>
        public List<int> Waits { get; } = new List<int>();

        /// <inheritdoc />
        public DateTime UtcNow
        {
            get
            {
                lock (_gate)
                {
                    return _utcAtZero.AddMilliseconds(_nowMs);
                }
            }
        }

        /// <inheritdoc />
        public long MonotonicMs
        {
            get
            {
                lock (_gate)
                {
                    return _nowMs;
                }
            }
        }

        /// <summary>Moves time forward.</summary>
        public void Advance(long milliseconds)
        {
            lock (_gate)
            {
                _nowMs += milliseconds;
            }
        }

        /// <summary>Sets the wall clock without moving monotonic time.</summary>
        public void SetUtc(DateTime utc)
        {
            lock (_gate)
            {
                _utcAtZero = utc.AddMilliseconds(-_nowMs);
            }
        }

        /// <inheritdoc />
        public bool Wait(WaitHandle wakeUp, int milliseconds)
        {
            lock (_gate)
            {
                Waits.Add(milliseconds);
            }

            // Yield briefly so other threads progress, then jump virtual time.
            if (wakeUp.WaitOne(1))
            {
                return true;
            }

            Advance(milliseconds < 0 ? 0 : milliseconds);
            return false;
        }
    }
}
