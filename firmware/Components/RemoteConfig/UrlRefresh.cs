using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// The job thread waiting for a fresh URL after HTTP 403/400 (an expired OSS URL): the worker thread tells it when
    /// a get_reply for the same config arrived (the job's offer already carries the new URL), or that none will.
    /// </summary>
    internal sealed class UrlRefresh
    {
        private readonly object _gate = new object();
        private readonly AutoResetEvent _event = new AutoResetEvent(false);
        private bool _waiting;
        private bool _arrived;

        /// <summary>True while the job thread waits (the worker then delivers instead of starting a job).</summary>
        public bool Waiting
        {
            get { lock (_gate) { return _waiting; } }
        }

        /// <summary>Starts waiting (before the request is sent).</summary>
        public void Begin()
        {
            lock (_gate)
            {
                _waiting = true;
                _arrived = false;
            }

            _event.Reset();
        }

        /// <summary>A fresh URL is in the job's offer.</summary>
        public void Deliver()
        {
            lock (_gate)
            {
                if (_waiting)
                {
                    _arrived = true;
                }
            }

            _event.Set();
        }

        /// <summary>Wakes the waiter (an answer without a URL, or stopping) so it re-checks at once.</summary>
        public void Wake()
        {
            _event.Set();
        }

        /// <summary>Waits up to <paramref name="timeoutMs"/>; true when a fresh URL arrived, false on timeout or stop.</summary>
        public bool Wait(IClock clock, int timeoutMs, RemoteConfigJobRunner runner)
        {
            long deadline = clock.MonotonicMs + timeoutMs;
            try
            {
                while (true)
                {
                    lock (_gate)
                    {
                        if (_arrived)
                        {
                            return !runner.IsStopping();
                        }
                    }

                    long left = deadline - clock.MonotonicMs;
                    if (left <= 0 || runner.IsStopping())
                    {
                        return false;
                    }

                    _event.WaitOne((int)(left < 200 ? left : 200), false);
                }
            }
            finally
            {
                lock (_gate)
                {
                    _waiting = false;
                }
            }
        }
    }
}
