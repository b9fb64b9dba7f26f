namespace AliyunIot.Ports
{
    /// <summary>Severity of a log line.</summary>
    public enum LogLevel
    {
        /// <summary>Detail for developers.</summary>
        Debug = 0,
        /// <summary>Normal operation worth recording.</summary>
        Info = 1,
        /// <summary>Something was refused or retried; the device carries on.</summary>
        Warning = 2,
        /// <summary>An operation failed.</summary>
        Error = 3,
    }

    /// <summary>
    /// Where the core writes what it does and why. Callers never pass secrets (DeviceSecret, ProductSecret,
    /// passwords, tokens): the core's types keep them out of every message they build.
    /// </summary>
    public interface ILog
    {
        /// <summary>Writes one line.</summary>
        /// <param name="level">Severity.</param>
        /// <param name="source">Component name, e.g. "session", "ota".</param>
        /// <param name="message">Text without secrets.</param>
        void Write(LogLevel level, string source, string message);
    }
}
