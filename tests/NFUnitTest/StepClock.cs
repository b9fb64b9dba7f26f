using System;
using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>A clock that moves only when the test says so; waits return at once.</summary>
    internal sealed class StepClock : IClock
    {
        private long _ms = 1000;

        /// <inheritdoc />
        public DateTime UtcNow
        {
            get { return new DateTime(2026, 1, 1).AddMilliseconds(_ms); }
        }

        /// <inheritdoc />
        public long MonotonicMs
        {
            get { return _ms; }
        }

        /// <summary>Moves time forward.</summary>
        public void Advance(int milliseconds)
        {
            _ms += milliseconds;
        }

        /// <inheritdoc />
        public bool Wait(WaitHandle wakeUp, int milliseconds)
        {
            _ms += milliseconds;
            return false;
        }
    }
}
