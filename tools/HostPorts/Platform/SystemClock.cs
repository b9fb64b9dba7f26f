using System.Diagnostics;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Platform
{
    /// <summary>The host's real clock: <see cref="DateTime.UtcNow"/> and a <see cref="Stopwatch"/>-based monotonic counter.</summary>
    public sealed class SystemClock : IClock
    {
        private static readonly Stopwatch Monotonic = Stopwatch.StartNew();

        /// <inheritdoc />
        public DateTime UtcNow => DateTime.UtcNow;

        /// <inheritdoc />
        public long MonotonicMs => Monotonic.ElapsedMilliseconds;

        /// <inheritdoc />
        public bool Wait(WaitHandle wakeUp, int milliseconds)
        {
            if (milliseconds < 0)
            {
                milliseconds = 0;
            }

            return wakeUp.WaitOne(milliseconds, false);
        }
    }
}
