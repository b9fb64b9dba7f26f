using System;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="ILog"/> on the device's debug channel (the USB serial port VS / nanoff / a terminal reads).
    /// Uses <see cref="Console.WriteLine(string)"/> because <c>Debug.WriteLine</c> is compiled out of Release builds,
    /// and a field device's log is exactly what a Release build must keep.
    /// </summary>
    public sealed class DebugLog : ILog
    {
        private readonly object _sync = new object();
        private readonly LogLevel _minimum;

        /// <summary>Creates a log that drops lines below <paramref name="minimum"/>.</summary>
        public DebugLog(LogLevel minimum)
        {
            _minimum = minimum;
        }

        /// <inheritdoc />
        public void Write(LogLevel level, string source, string message)
        {
            if (level < _minimum)
            {
                return;
            }

            // Uptime rather than wall-clock: the clock is 1970 until SNTP has run, and uptime orders lines anyway.
            string line = "[" + (Environment.TickCount64 / 1000).ToString() + "s " + LevelName(level) + " " + source + "] " + message;
            lock (_sync)
            {
                // One writer at a time so lines from different threads do not interleave.
                Console.WriteLine(line);
            }
        }

        private static string LevelName(LogLevel level)
        {
            // Enums print as numbers on nanoFramework.
            switch (level)
            {
                case LogLevel.Debug:
                    return "DBG";
                case LogLevel.Info:
                    return "INF";
                case LogLevel.Warning:
                    return "WRN";
                default:
                    return "ERR";
            }
        }
    }
}
