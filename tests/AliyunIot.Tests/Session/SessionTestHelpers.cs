using AliyunIot.Connection;

namespace AliyunIot.Tests.Session
{
    internal static class Eventually
    {
        /// <summary>Polls until <paramref name="condition"/> holds or fails the test after <paramref name="timeoutMs"/>.</summary>
        public static void True(Func<bool> condition, int timeoutMs, string what) => True(condition, timeoutMs, () => what);

        /// <summary>As above, with the failure text computed when it fails (e.g. a state dump).</summary>
        public static void True(Func<bool> condition, int timeoutMs, Func<string> what)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new Xunit.Sdk.XunitException("timed out waiting for: " + what());
                }

                Thread.Sleep(5);
            }
        }
    }

    /// <summary>Records status events in order.</summary>
    internal sealed class StatusRecorder
    {
        private readonly object _gate = new();
        private readonly List<(ConnectionStatus Status, string Reason, long AtMs)> _events = new();
        private readonly Func<long> _now;

        public StatusRecorder(Func<long> now) { _now = now; }

        public void OnStatus(ConnectionStatus status, string reason)
        {
            lock (_gate)
            {
                _events.Add((status, reason, _now()));
            }
        }

        public (ConnectionStatus Status, string Reason, long AtMs)[] Events
        {
            get { lock (_gate) { return _events.ToArray(); } }
        }

        public int Count(ConnectionStatus s) => Events.Count(e => e.Status == s);
    }
}
