using System;
using System.Threading;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// Runs one remote config download at a time on its own thread for <see cref="RemoteConfigAgent"/>
    /// (<see cref="RemoteConfigDownload"/> does the work), merges a repeated offer of the running config into it
    /// (a fresh URL after expiry, or a push while the same config is fetched), and owns stopping.
    /// Lock discipline: <c>_lock</c> guards only the job/thread fields and the job's URL and push id; replies, the
    /// <c>thing.config.get</c> request and flash I/O run outside it.
    /// </summary>
    internal sealed class RemoteConfigJobRunner
    {
        private readonly RemoteConfigAgent _agent;
        private readonly RemoteConfigStore _store;
        private readonly IHttpDownloader _downloader;
        private readonly RemoteConfigSettings _settings;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly string _caCertificatesPem;
        private readonly object _lock = new object();
        private readonly ManualResetEvent _stopEvent = new ManualResetEvent(false);
        private readonly UrlRefresh _urlRefresh = new UrlRefresh();

        private RemoteConfigJob _job;
        private Thread _thread;
        private bool _stopping;

        internal RemoteConfigJobRunner(RemoteConfigAgent agent, RemoteConfigStore store, IHttpDownloader downloader, RemoteConfigSettings settings,
            IClock clock, ILog log, string caCertificatesPem)
        {
            _agent = agent;
            _store = store;
            _downloader = downloader;
            _settings = settings;
            _clock = clock;
            _log = log;
            _caCertificatesPem = caCertificatesPem;
        }

        /// <summary>The agent's connection control (the download suspends MQTT through it), or null.</summary>
        internal IDownloadConnectionControl ConnectionControl
        {
            get { return _agent.ConnectionControl; }
        }

        /// <summary>True while a download thread exists.</summary>
        internal bool IsBusy
        {
            get
            {
                lock (_lock)
                {
                    return _thread != null;
                }
            }
        }

        /// <summary>
        /// Takes an offer that needs no new job: ignored while stopping; for the running config, its URL and push id
        /// join the running download (one download per config). For another config while one runs,
        /// <paramref name="busyWith"/> names the running one (the caller answers the push outside the lock).
        /// </summary>
        /// <returns>false when no job runs and the offer may start one.</returns>
        internal bool AbsorbOffer(RemoteConfigOffer offer, string pushId, out string busyWith)
        {
            busyWith = null;
            lock (_lock)
            {
                if (_stopping)
                {
                    return true;
                }

                if (_job == null)
                {
                    return false;
                }

                if (_job.Offer.ConfigId == offer.ConfigId)
                {
                    // The same config again (a fresh URL after expiry, or a push while we fetch it): one download.
                    _job.Offer.Url = offer.Url;
                    if (_job.PushId == null)
                    {
                        _job.PushId = pushId;
                    }

                    if (_urlRefresh.Waiting)
                    {
                        _urlRefresh.Deliver();
                    }

                    return true;
                }

                busyWith = _job.Offer.ConfigId;
                return true;
            }
        }

        /// <summary>Starts <paramref name="job"/> on a new thread unless stopping or a job started meanwhile.</summary>
        internal void TryStart(RemoteConfigJob job)
        {
            lock (_lock)
            {
                if (_stopping || _job != null)
                {
                    return;
                }

                _job = job;
                _thread = new Thread(RunJob);
                _thread.Start();
            }
        }

        /// <summary>An answer without a URL arrived: the waiting download re-checks at once instead of at its timeout.</summary>
        internal void WakeRefresh()
        {
            _urlRefresh.Wake();
        }

        /// <summary>Waits until no download runs; false on timeout.</summary>
        internal bool WaitIdle(int timeoutMs)
        {
            Thread thread;
            lock (_lock)
            {
                thread = _thread;
            }

            return thread == null || thread.Join(timeoutMs);
        }

        /// <summary>Abandons a running download (no reply; the next boot asks again) and joins its thread.</summary>
        internal void Stop()
        {
            Thread thread;
            lock (_lock)
            {
                _stopping = true;
                thread = _thread;
            }

            _stopEvent.Set();
            _urlRefresh.Wake();
            if (thread != null)
            {
                thread.Join();
            }
        }

        /// <summary>The job's current URL (a refresh may replace it from the worker thread).</summary>
        internal string UrlOf(RemoteConfigJob job)
        {
            lock (_lock)
            {
                return job.Offer.Url;
            }
        }

        /// <summary>True once <see cref="Stop"/> was called (the download polls it between chunks).</summary>
        internal bool IsStopping()
        {
            lock (_lock)
            {
                return _stopping;
            }
        }

        /// <summary>Asks thing.config.get again and waits for the fresh URL of the running job's config.</summary>
        internal bool RefreshUrl()
        {
            // Begin before the request: the reply may arrive before this thread starts waiting.
            _urlRefresh.Begin();
            _agent.RequestConfig();
            return _urlRefresh.Wait(_clock, _settings.GetTimeoutMs, this);
        }

        /// <summary>Hands the verified file to the application (see <see cref="RemoteConfigAgent.CallHandler"/>).</summary>
        internal string CallHandler(RemoteConfigFile file)
        {
            return _agent.CallHandler(file);
        }

        private void RunJob()
        {
            RemoteConfigJob job;
            lock (_lock)
            {
                job = _job;
            }

            RemoteConfigOutcome outcome;
            try
            {
                _log.Write(LogLevel.Info, RemoteConfigAgent.LogSource, "config " + job.Offer.ConfigId + ": " + job.Offer.Size.ToString() + " bytes from " + job.Offer.UrlForLog);
                outcome = new RemoteConfigDownload(this, _store, _downloader, _settings, _clock, _stopEvent, _log, _caCertificatesPem).Run(job);
            }
            catch (Exception ex)
            {
                _store.DiscardCandidate();
                outcome = new RemoteConfigOutcome(job.Offer.ConfigId, ReplyCodes.RequestError, "config not applied: internal error " + ex.GetType().Name);
            }

            string pushId;
            lock (_lock)
            {
                pushId = job.PushId;
                _job = null;
                _thread = null;
            }

            if (outcome == null)
            {
                _log.Write(LogLevel.Info, RemoteConfigAgent.LogSource, "config " + job.Offer.ConfigId + " abandoned (stopping); the next boot asks again");
                return;
            }

            _agent.Finish(pushId, outcome);
        }
    }
}
