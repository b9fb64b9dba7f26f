using System;
using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="IClock"/> on the device: wall-clock UTC from the firmware (set by SNTP), monotonic time from the
    /// CLR's tick counter, which never jumps when SNTP or the platform's NTP sets the wall clock.
    /// </summary>
    public sealed class DeviceClock : IClock
    {
        /// <inheritdoc />
        public DateTime UtcNow
        {
            get { return DateTime.UtcNow; }
        }

        /// <inheritdoc />
        public long MonotonicMs
        {
            get { return Environment.TickCount64; }
        }

        /// <inheritdoc />
        public bool Wait(WaitHandle wakeUp, int milliseconds)
        {
            if (milliseconds < 0)
            {
                milliseconds = 0;
            }

            if (wakeUp == null)
            {
                Thread.Sleep(milliseconds);
                return false;
            }

            // nanoFramework 1.x has no WaitOne(int): the two-argument form is the only timed wait.
            return wakeUp.WaitOne(milliseconds, false);
        }
    }
}
