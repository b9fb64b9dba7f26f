using System;
using System.Threading;

namespace AliyunIot.Ports
{
    /// <summary>
    /// Time as the core sees it: wall-clock UTC for the platform's timestamps and a monotonic millisecond
    /// counter for every timeout and back-off. All waiting goes through <see cref="Wait"/> so that tests can
    /// substitute a controllable clock and observe back-off without sleeping.
    /// </summary>
    public interface IClock
    {
        /// <summary>Current UTC time (nanoFramework has <c>DateTime.UtcNow</c> only).</summary>
        DateTime UtcNow { get; }

        /// <summary>Milliseconds from an arbitrary start; never goes backwards.</summary>
        long MonotonicMs { get; }

        /// <summary>Waits up to <paramref name="milliseconds"/> or until <paramref name="wakeUp"/> is signalled.</summary>
        /// <returns>true when woken by the signal, false on timeout.</returns>
        bool Wait(WaitHandle wakeUp, int milliseconds);
    }
}
