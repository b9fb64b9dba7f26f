using System.Threading;
using AliyunIot.Connection;

namespace AliyunIot.NFUnitTest
{
    /// <summary>Records status events ("Name" joined with ',') and lets a test wait for one.</summary>
    internal sealed class StatusRecorder
    {
        private readonly object _gate = new object();
        private readonly AutoResetEvent _changed = new AutoResetEvent(false);
        private string _seen = "";
        private string _lastReason = "";
        private string _reasons = "";

        /// <summary>Statuses so far.</summary>
        public string Seen
        {
            get { lock (_gate) { return _seen; } }
        }

        /// <summary>The reason of the last event.</summary>
        public string LastReason
        {
            get { lock (_gate) { return _lastReason; } }
        }

        /// <summary>Every reason so far, one per line.</summary>
        public string Reasons
        {
            get { lock (_gate) { return _reasons; } }
        }

        /// <summary>The handler.</summary>
        public void Record(ConnectionStatus status, string reason)
        {
            lock (_gate)
            {
                _seen = (_seen.Length == 0 ? "" : _seen + ",") + ConnectionStatusText.Name(status);
                _lastReason = reason;
                _reasons = _reasons + reason + "\n";
            }

            _changed.Set();
        }

        /// <summary>Waits until <paramref name="status"/> has been seen <paramref name="times"/> times; false after 10 s.</summary>
        public bool WaitFor(ConnectionStatus status, int times)
        {
            for (int i = 0; i < 100; i++)
            {
                if (Occurrences(ConnectionStatusText.Name(status)) >= times)
                {
                    return true;
                }

                _changed.WaitOne(100, false);
            }

            return Occurrences(ConnectionStatusText.Name(status)) >= times;
        }

        private int Occurrences(string name)
        {
            string[] parts = Seen.Split(new char[] { ',' });
            int n = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                if (parts[i] == name)
                {
                    n++;
                }
            }

            return n;
        }
    }
}
