using System;
using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// A clock for threaded components: a long Wait (a back-off, at least <see cref="RecordFromMs"/>) moves virtual
    /// time by the full amount asked and is recorded, but returns within a few real milliseconds (or at once when the
    /// handle is set), so a 5-minute back-off costs the test nothing and its length is visible. Shorter waits are a
    /// polling loop's: they do not move time, so nothing becomes "stable" or "late" behind the test's back. Thread-safe.
    /// </summary>
    internal sealed class RecordingClock : IClock
    {
        private readonly object _gate = new object();
        private long _ms = 1000;
        private string _waits = "";
        private int _waitCount;

        /// <summary>Waits of at least this many ms are back-offs (the connected loop waits at most 1 s at a time).</summary>
        public int RecordFromMs = 1001;

        /// <inheritdoc />
        public DateTime UtcNow
        {
            get { lock (_gate) { return new DateTime(2026, 1, 1).AddMilliseconds(_ms); } }
        }

        /// <inheritdoc />
        public long MonotonicMs
        {
            get { lock (_gate) { return _ms; } }
        }

        /// <summary>The recorded waits in ms, joined with ','.</summary>
        public string Waits
        {
            get { lock (_gate) { return _waits; } }
        }

        /// <summary>Number of recorded waits.</summary>
        public int WaitCount
        {
            get { lock (_gate) { return _waitCount; } }
        }

        /// <summary>Moves time forward.</summary>
        public void Advance(int milliseconds)
        {
            lock (_gate)
            {
                _ms += milliseconds;
            }
        }

        /// <inheritdoc />
        public bool Wait(WaitHandle wakeUp, int milliseconds)
        {
            lock (_gate)
            {
                if (milliseconds >= RecordFromMs)
                {
                    _ms += milliseconds;
                    _waits = (_waitCount == 0 ? "" : _waits + ",") + milliseconds.ToString();
                    _waitCount++;
                }
            }

            // A short real wait keeps a polling loop from spinning the CPU; the handle still wakes it at once.
            return wakeUp.WaitOne(5, false);
        }
    }
}
