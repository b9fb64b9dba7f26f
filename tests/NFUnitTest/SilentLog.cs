using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>A log that keeps the last line (on-device tests check what was said without a list per line).</summary>
    internal sealed class SilentLog : ILog
    {
        public string Last { get; private set; }

        public void Write(LogLevel level, string source, string message)
        {
            Last = message;
        }
    }
}
