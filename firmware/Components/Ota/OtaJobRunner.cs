using System;
using System.Threading;
using AliyunIot.Connection;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Runs one OTA job at a time on its own thread for <see cref="OtaAgent"/>: reports "download started", closes
    /// MQTT for the download when configured, lets <see cref="OtaImageTransfer"/> do the image work, then delivers
    /// the attempt's one final report and restarts after a success. It also owns stopping: <see cref="Stop"/> pauses
    /// a running job without a report (it resumes after the next start from the stored bytes).
    /// Lock discipline: <c>_lock</c> guards only the job/thread fields; the report, flash and restart calls run
    /// outside it, so a slow publish or flash write never blocks the session worker that offers jobs.
    /// </summary>
    internal sealed class OtaJobRunner
    {
        // How long the final "100" report may take to be acknowledged before the restart goes ahead without it.
        private const int FinalReportTimeoutMs = 5000;

        // How long the job thread keeps offering a final report the outbox refuses (window or queue full).
        private const int FinalReportRetryMs = 30000;

        private readonly SlotStore _store;
        private readonly IRestart _restart;
        private readonly ILog _log;
        private readonly OtaSettings _settings;
        private readonly OtaProgressReport _progress;
        private readonly OtaFinalReport _finalReport;
        private readonly OtaUrlRefresh _urlRefresh;
        private readonly OtaImageTransfer _transfer;
        private readonly object _lock = new object();
        private readonly ManualResetEvent _stopEvent = new ManualResetEvent(false);

        private OtaJob _job;
        private Thread _thread;
        private bool _stopping;
        private bool _restartRequested;
        private OtaOutcome _lastOutcome;

        internal OtaJobRunner(IHttpDownloader downloader, SlotStore store, IRestart restart, IClock clock, ILog log, OtaSettings settings,
            string caCertificatesPem, string runningVersion, OtaProgressReport progress, OtaFinalReport finalReport, OtaUrlRefresh urlRefresh)
        {
            _store = store;
            _restart = restart;
            _log = log;
            _settings = settings;
            _progress = progress;
            _finalReport = finalReport;
            _urlRefresh = urlRefresh;
            RunningVersion = runningVersion;

            // One download buffer for the agent's lifetime: the heap is too small to allocate it per job.
            byte[] buffer = new byte[settings.ChunkSize];
            OtaSignatureCheck signatureCheck = new OtaSignatureCheck(store, settings);
            _transfer = new OtaImageTransfer(this, downloader, store, settings, caCertificatesPem, clock, log, progress, urlRefresh, signatureCheck, _stopEvent, buffer, _lock);
        }

        /// <summary>Version of the running image (the header probe and the signature check refuse a downgrade from it).</summary>
        internal string RunningVersion { get; private set; }

        /// <summary>Closes MQTT during downloads when <see cref="OtaSettings.CloseMqttDuringDownload"/> is set (may be null).</summary>
        internal IDownloadConnectionControl ConnectionControl { get; set; }

        /// <summary>True while a job thread exists.</summary>
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

        /// <summary>True while a job is accepted (from <see cref="TryStart"/> until its thread clears it).</summary>
        internal bool HasJob
        {
            get
            {
                lock (_lock)
                {
                    return _job != null;
                }
            }
        }

        /// <summary>The final outcome of the last job attempt of this boot, or null.</summary>
        internal OtaOutcome LastOutcome
        {
            get
            {
                lock (_lock)
                {
                    return _lastOutcome;
                }
            }
        }

        /// <summary>
        /// Starts <paramref name="job"/> on a new thread unless the runner is stopping, a restart is pending or a job
        /// runs. A message for the running job (same tag) hands its URL to the running download instead, because the
        /// platform answers a refresh with the same job and a new URL.
        /// </summary>
        internal void TryStart(OtaJob job)
        {
            lock (_lock)
            {
                if (_stopping || _restartRequested)
                {
                    return;
                }

                if (_job != null)
                {
                    if (_job.Tag == job.Tag)
                    {
                        _job.Url = job.Url;
                        _urlRefresh.Offer(job.Url);

                        _log.Write(LogLevel.Info, "ota", "job " + job.Version + ": new URL " + job.UrlForLog);
                    }
                    else
                    {
                        _log.Write(LogLevel.Warning, "ota", "job " + job.Version + " ignored: busy with " + _job.Version);
                    }

                    return;
                }

                _job = job;
                _thread = new Thread(RunJob);
                _thread.Start();
            }
        }

        /// <summary>Waits until no job runs (tests, orderly shutdown).</summary>
        /// <returns>false on timeout.</returns>
        internal bool WaitIdle(int timeoutMs)
        {
            Thread thread;
            lock (_lock)
            {
                thread = _thread;
            }

            return thread == null || thread.Join(timeoutMs);
        }

        /// <summary>
        /// Pauses a running job without a final report and waits at most <paramref name="timeoutMs"/> for its thread.
        /// A job offered afterwards runs normally.
        /// </summary>
        /// <returns>false when the job thread did not end in time (it still ends at its next check).</returns>
        internal bool Stop(int timeoutMs)
        {
            Thread thread;
            lock (_lock)
            {
                _stopping = true;
                thread = _thread;
            }

            _stopEvent.Set();
            bool ended = thread == null || thread == Thread.CurrentThread || thread.Join(timeoutMs);
            if (!ended)
            {
                _log.Write(LogLevel.Warning, "ota", "the OTA job did not stop within " + timeoutMs.ToString() + " ms");
                return false;
            }

            lock (_lock)
            {
                if (_thread == null)
                {
                    _stopping = false;
                    _stopEvent.Reset();
                }
            }

            return true;
        }

        /// <summary>True from <see cref="Stop"/> until the job thread has ended (the transfer polls it between chunks).</summary>
        internal bool IsStopping()
        {
            lock (_lock)
            {
                return _stopping;
            }
        }

        /// <summary>
        /// Records <paramref name="outcome"/> as the attempt's result and delivers its final report, trying again for
        /// up to <paramref name="retryForMs"/> while the outbox refuses it (0 on the session worker, which must not block).
        /// </summary>
        internal void Finish(OtaOutcome outcome, int retryForMs)
        {
            lock (_lock)
            {
                _lastOutcome = outcome;
            }

            _log.Write(outcome.Succeeded ? LogLevel.Info : LogLevel.Warning, "ota", "step " + outcome.Step.ToString() + ": " + outcome.Desc);

            // Success is followed by a restart: wait (bounded) for the broker's PUBACK, or the reboot loses the report.
            if (!_finalReport.Deliver(outcome, _stopEvent, retryForMs, FinalReportTimeoutMs) && outcome.Succeeded)
            {
                _log.Write(LogLevel.Warning, "ota", "step 100 not acknowledged within " + FinalReportTimeoutMs.ToString() + " ms; restarting anyway (the version inform after the restart tells the platform)");
            }
        }

        private void RunJob()
        {
            OtaJob job;
            IDownloadConnectionControl control = ConnectionControl;
            lock (_lock)
            {
                job = _job;
            }

            OtaOutcome outcome;
            bool suspended = false;
            try
            {
                _log.Write(LogLevel.Info, "ota", "job " + job.Version + ": " + job.Size.ToString() + " bytes from " + job.UrlForLog);
                // Not dropped when refused: it stays pending and goes before any later report.
                _progress.Report(0, "download started");
                if (_settings.CloseMqttDuringDownload && control != null)
                {
                    control.Suspend();
                    suspended = true;
                }

                outcome = _transfer.Run(job, suspended, control);
            }
            catch (Exception ex)
            {
                outcome = new OtaOutcome(OtaJobParser.StepUpgradeFailed, "internal error: " + ex.GetType().Name);
            }

            if (suspended && !IsStopping())
            {
                // Not while stopping: the device is shutting the session down (AliyunDevice.Stop).
                control.Resume();
            }

            if (outcome != null && outcome.DiscardsDownload)
            {
                _store.DiscardDownload();
            }

            lock (_lock)
            {
                if (outcome != null && outcome.Succeeded)
                {
                    // No new job may start between the success and the restart below.
                    _restartRequested = true;
                }

                _job = null;
                _thread = null;
            }

            if (outcome == null)
            {
                _log.Write(LogLevel.Info, "ota", "job " + job.Version + " paused; it resumes after the next start");
                return;
            }

            Finish(outcome, FinalReportRetryMs);
            if (outcome.Succeeded)
            {
                _restart.Restart("ota: switching to version " + job.Version);
            }
        }
    }
}
