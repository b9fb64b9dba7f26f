using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Platform
{
    /// <summary>Writes log lines to a <see cref="TextWriter"/> (standard error by default) with a UTC time stamp.</summary>
    public sealed class ConsoleLog : ILog
    {
        private readonly TextWriter _writer;
        private readonly LogLevel _minimum;
        private readonly string _prefix;
        private readonly object _gate = new object();

        /// <summary>Creates a log.</summary>
        /// <param name="writer">Destination; null means standard error.</param>
        /// <param name="minimum">Lines below this level are dropped.</param>
        /// <param name="prefix">Prepended to every line (e.g. a device name in fleet mode).</param>
        public ConsoleLog(TextWriter writer = null, LogLevel minimum = LogLevel.Info, string prefix = null)
        {
            _writer = writer ?? Console.Error;
            _minimum = minimum;
            _prefix = prefix == null ? string.Empty : prefix + " ";
        }

        /// <inheritdoc />
        public void Write(LogLevel level, string source, string message)
        {
            if (level < _minimum)
            {
                return;
            }

            string line = $"{DateTime.UtcNow:HH:mm:ss.fff} {_prefix}{Label(level)} [{source}] {message}";
            lock (_gate)
            {
                _writer.WriteLine(line);
            }
        }

        private static string Label(LogLevel level) => level switch
        {
            LogLevel.Debug => "DBG",
            LogLevel.Info => "INF",
            LogLevel.Warning => "WRN",
            _ => "ERR",
        };
    }
}
