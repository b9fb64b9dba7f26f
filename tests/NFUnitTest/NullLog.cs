using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>An <see cref="ILog"/> that keeps only how many lines it was given.</summary>
    internal sealed class NullLog : ILog
    {
        public int Lines;

        public void Write(LogLevel level, string source, string message)
        {
            Lines++;
        }
    }
}
