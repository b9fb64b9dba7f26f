using System.Threading;
using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Gets a fresh download URL for the running job when the old one expired (HTTP 403/400): publishes
    /// <c>thing.ota.firmware.get</c> and waits for the reply the agent hands over through <see cref="Offer"/>. When the
    /// MQTT session is suspended for the download (<see cref="OtaSettings.CloseMqttDuringDownload"/>) it resumes it
    /// for the exchange and suspends it again, so the request and its reply can travel at all; the download's TLS
    /// session is closed at that moment, so two TLS sessions still never coexist.
    /// </summary>
    internal sealed class OtaUrlRefresh
    {
        private const int PollMs = 200;

        private readonly OtaReporter _reporter;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly int _timeoutMs;
        private readonly object _lock = new object();
        private readonly AutoResetEvent _urlEvent = new AutoResetEvent(false);
        private bool _waiting;
        private string _url;

        internal OtaUrlRefresh(OtaReporter reporter, IClock clock, ILog log, int timeoutMs)
        {
            _reporter = reporter;
            _clock = clock;
            _log = log;
            _timeoutMs = timeoutMs;
        }

        /// <summary>A job message for the running job arrived with <paramref name="url"/> (worker thread).</summary>
        internal void Offer(string url)
        {
            lock (_lock)
            {
                if (!_waiting)
                {
                    return;
                }

                _url = url;
            }

            _urlEvent.Set();
        }

        /// <summary>Asks for a new URL and waits for it (job thread).</summary>
        /// <param name="suspended">The session is suspended for the download: resume it for the exchange.</param>
        /// <param name="control">Resumes and suspends the session (may be null when not suspended).</param>
        /// <param name="stop">Set when the agent stops.</param>
        /// <returns>The new URL, or null when none came in time or the agent stops.</returns>
        internal string Refresh(bool suspended, IDownloadConnectionControl control, WaitHandle stop)
        {
            lock (_lock)
            {
                _waiting = true;
                _url = null;
            }

            _urlEvent.Reset();
            bool resumed = suspended && control != null;
            if (resumed)
            {
                _log.Write(LogLevel.Info, "ota", "reconnecting MQTT briefly to ask for a new download URL");
                control.Resume();
            }

            try
            {
                // Queued while the session (re)connects; the outbox sends it right after the CONNACK.
                _reporter.FirmwareGet();
                long deadline = _clock.MonotonicMs + _timeoutMs;
                while (true)
                {
                    lock (_lock)
                    {
                        if (_url != null)
                        {
                            return _url;
                        }
                    }

                    long left = deadline - _clock.MonotonicMs;
                    if (left <= 0 || stop.WaitOne(0, false))
                    {
                        return null;
                    }

                    _urlEvent.WaitOne((int)(left < PollMs ? left : PollMs), false);
                }
            }
            finally
            {
                lock (_lock)
                {
                    _waiting = false;
                }

                if (resumed)
                {
                    control.Suspend();
                }
            }
        }
    }
}
