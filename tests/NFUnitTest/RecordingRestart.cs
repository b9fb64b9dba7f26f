using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>An <see cref="IRestart"/> that records the reason instead of rebooting the board running the tests.</summary>
    internal sealed class RecordingRestart : IRestart
    {
        /// <summary>The reason of the last restart asked, or null.</summary>
        public string Reason;

        /// <inheritdoc />
        public void Restart(string reason)
        {
            Reason = reason;
        }
    }
}
