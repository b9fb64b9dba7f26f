using System;
using System.Threading;
using AliyunIot.Ports;
using AliyunIot.Time;
using nanoFramework.Runtime.Native;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Waits until the clock holds a plausible UTC time before any TLS handshake: certificate validity cannot be
    /// checked against 1970. The ESP32 firmware's built-in SNTP client sets the clock once WiFi is up; this class only
    /// waits for it (with a timeout) and lets the platform's NTP topic refine it later through <see cref="Set"/>.
    /// </summary>
    public sealed class TimeWaiter
    {
        private const int PollIntervalMs = 250;
        private readonly ILog _log;

        /// <summary>Creates a waiter that reports through <paramref name="log"/>.</summary>
        public TimeWaiter(ILog log)
        {
            _log = log;
        }

        /// <summary>True when the clock holds a plausible time (the core's <see cref="TimeValidity"/> rule; the ESP32 boots at 1970).</summary>
        public static bool IsValid
        {
            get { return TimeValidity.IsPlausibleForTls(DateTime.UtcNow); }
        }

        /// <summary>Waits up to <paramref name="timeoutMs"/> for a valid clock.</summary>
        /// <returns>true when the clock is valid.</returns>
        public bool WaitForValidTime(int timeoutMs)
        {
            if (IsValid)
            {
                return true;
            }

            _log.Write(LogLevel.Info, "time", "Waiting for SNTP to set the clock before TLS.");
            long deadline = Environment.TickCount64 + timeoutMs;
            while (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(PollIntervalMs);
                if (IsValid)
                {
                    _log.Write(LogLevel.Info, "time", "Clock set by SNTP: " + DateTime.UtcNow.ToString() + ".");
                    return true;
                }
            }

            _log.Write(LogLevel.Warning, "time", "No valid time after " + timeoutMs.ToString() + " ms: TLS cannot validate certificates yet; is UDP port 123 blocked?");
            return false;
        }

        /// <summary>Sets the system clock (for example from the platform's NTP reply).</summary>
        /// <returns>true when the firmware accepted the time.</returns>
        public static bool Set(DateTime utc)
        {
            if (!TimeValidity.IsPlausibleForTls(utc))
            {
                return false;
            }

            return Rtc.SetSystemTime(utc);
        }
    }
}
