using System;
using System.Collections;
using System.Threading;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Json;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>
    /// The device side of the platform's OTA protocol. On every connect (<see cref="OnConnected"/>): the first
    /// time after boot it confirms a new image that is being tested (or tells the platform about a rollback),
    /// then reports the running version on <c>inform</c>, and asks <c>thing.ota.firmware.get</c> once per boot.
    /// A job (push on <c>/ota/device/upgrade</c> or <c>firmware/get_reply</c>) runs on its own thread: HTTPS download
    /// through ONE buffer of <see cref="OtaSettings.ChunkSize"/> bytes straight into the inactive slot, hashed as it
    /// arrives, resumed with Range after drops, reboots and URL refreshes; then verification, activation and a
    /// restart. Before activation the image must pass <see cref="OtaSignatureCheck"/> (signature with the key on I:,
    /// version equal to the job's, no downgrade of version or security counter, fits the board); the header part of
    /// that check already runs on the first chunk (<see cref="OtaHeaderProbe"/>). Every job attempt ends with exactly one final report: step 100 (then restart; success is confirmed
    /// by the next <c>inform</c> with the new version) or -1/-2/-3/-4 with a desc.
    /// </summary>
    public sealed class OtaAgent : IMessageHandler
    {
        private const int MaxPayloadBytes = 8192;
        private const int MaxUrlRefreshes = 3;

        private readonly DeviceTopics _topics;
        private readonly IJsonParser _json;
        private readonly IHttpDownloader _downloader;
        private readonly SlotStore _store;
        // How long the final "100" report may take to be acknowledged before the restart goes ahead without it.
        private const int FinalReportTimeoutMs = 5000;

        private readonly IRestart _restart;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly OtaSettings _settings;
        private readonly string _caCertificatesPem;
        private readonly OtaReporter _reporter;
        private readonly OtaSignatureCheck _signatureCheck;
        private readonly byte[] _buffer;
        private readonly object _lock = new object();
        private readonly ManualResetEvent _stopEvent = new ManualResetEvent(false);
        private readonly AutoResetEvent _urlEvent = new AutoResetEvent(false);

        private OtaJob _job;
        private Thread _thread;
        private bool _stopping;
        private bool _bootChecked;
        private bool _firmwareAsked;
        private bool _waitingForUrl;
        private string _refreshedUrl;
        private bool _restartRequested;
        private OtaOutcome _lastOutcome;

        /// <summary>Creates the agent (idle until <see cref="OnConnected"/> or a push).</summary>
        /// <param name="topics">The device's topics.</param>
        /// <param name="publisher">Where reports go (the session's outbox).</param>
        /// <param name="json">Parser for pushes and replies.</param>
        /// <param name="downloader">HTTPS downloader.</param>
        /// <param name="store">Slot store over the device's flash.</param>
        /// <param name="restart">Restarts the device into the new image.</param>
        /// <param name="clock">Time for retry back-off.</param>
        /// <param name="log">Log (URLs are logged without their query).</param>
        /// <param name="settings">The <c>ota</c> config section.</param>
        /// <param name="caCertificatesPem">Roots trusted for the download server.</param>
        /// <param name="runningVersion">Version of the running image (the loader's boot decision).</param>
        public OtaAgent(DeviceTopics topics, IPublisher publisher, IJsonParser json, IHttpDownloader downloader, SlotStore store,
            IRestart restart, IClock clock, ILog log, OtaSettings settings, string caCertificatesPem, string runningVersion)
        {
            _topics = topics;
            _json = json;
            _downloader = downloader;
            _store = store;
            _restart = restart;
            _clock = clock;
            _log = log;
            _settings = settings == null ? new OtaSettings() : settings;
            _caCertificatesPem = caCertificatesPem;
            RunningVersion = runningVersion;
            _reporter = new OtaReporter(topics, publisher, _settings);
            _buffer = new byte[_settings.ChunkSize];
            _signatureCheck = new OtaSignatureCheck(store, _settings);
        }

        /// <summary>Version of the running image, as reported on <c>inform</c>.</summary>
        public string RunningVersion { get; private set; }

        /// <summary>Optional: closes MQTT during downloads when <see cref="OtaSettings.CloseMqttDuringDownload"/> is set.</summary>
        public IOtaConnectionControl ConnectionControl { get; set; }

        /// <summary>True while a job runs.</summary>
        public bool IsBusy
        {
            get
            {
                lock (_lock)
                {
                    return _thread != null;
                }
            }
        }

        /// <summary>The final outcome of the last job attempt of this boot, or null.</summary>
        public OtaOutcome LastOutcome
        {
            get
            {
                lock (_lock)
                {
                    return _lastOutcome;
                }
            }
        }

        /// <summary>Adds the upgrade push and the firmware.get reply topics.</summary>
        public void AddSubscriptions(ArrayList topics)
        {
            topics.Add(_topics.OtaUpgrade);
            topics.Add(_topics.OtaFirmwareGetReply);
        }

        /// <summary>Handles pushes and firmware.get replies.</summary>
        public bool Handle(string topic, byte[] payload)
        {
            if (topic != _topics.OtaUpgrade && topic != _topics.OtaFirmwareGetReply)
            {
                return false;
            }

            Hashtable data = ParseData(payload);
            if (data == null)
            {
                return true;
            }

            if (data.Count == 0)
            {
                _log.Write(LogLevel.Debug, "ota", "no pending firmware job");
                return true;
            }

            OnJobOffered(data);
            return true;
        }

        /// <summary>
        /// Call after every successful connect (e.g. from the session's StatusChanged = Connected). The first call
        /// after boot confirms a Testing image (it booted and reached the platform) or reports a rollback; every
        /// call reports the running version; the first call also asks for a pending job.
        /// </summary>
        public void OnConnected()
        {
            bool askFirmware = false;
            lock (_lock)
            {
                if (!_bootChecked)
                {
                    _bootChecked = true;
                    CheckBootState();
                }

                if (!_firmwareAsked)
                {
                    _firmwareAsked = true;
                    askFirmware = true;
                }
            }

            _reporter.Inform(RunningVersion);
            if (askFirmware)
            {
                _reporter.FirmwareGet();
            }
        }

        /// <summary>Waits until no job runs (tests, orderly shutdown).</summary>
        /// <returns>false on timeout.</returns>
        public bool WaitIdle(int timeoutMs)
        {
            Thread thread;
            lock (_lock)
            {
                thread = _thread;
            }

            return thread == null || thread.Join(timeoutMs);
        }

        /// <summary>Stops a running job without a final report (it resumes after the next boot) and joins its thread.</summary>
        public void Stop()
        {
            Thread thread;
            lock (_lock)
            {
                _stopping = true;
                thread = _thread;
            }

            _stopEvent.Set();
            if (thread != null)
            {
                thread.Join();
            }
        }

        private void CheckBootState()
        {
            SlotManifest manifest = _store.ReadManifest();
            if (manifest.State == SlotState.Testing)
            {
                _store.Confirm();
                _log.Write(LogLevel.Info, "ota", "version " + RunningVersion + " confirmed itself");
            }
            else if (manifest.State == SlotState.RolledBack)
            {
                string desc = "rolled back: version " + manifest.RolledBackVersion + " " + manifest.RolledBackReason + "; running " + RunningVersion;
                _log.Write(LogLevel.Warning, "ota", desc);
                _reporter.Progress(OtaJobParser.StepUpgradeFailed, desc);
                _store.AcknowledgeRollback();
            }
        }

        private Hashtable ParseData(byte[] payload)
        {
            string refusal = JsonGuard.Check(payload, 0, payload == null ? 0 : payload.Length, MaxPayloadBytes, 8);
            if (refusal != null)
            {
                _log.Write(LogLevel.Warning, "ota", "OTA message ignored: " + refusal);
                return null;
            }

            try
            {
                Hashtable root = _json.Parse(System.Text.Encoding.UTF8.GetString(payload, 0, payload.Length)) as Hashtable;
                Hashtable data = JsonValues.GetOptionalObject(root, "data");
                return data == null ? new Hashtable() : data;
            }
            catch (Exception)
            {
                _log.Write(LogLevel.Warning, "ota", "OTA message ignored: malformed JSON");
                return null;
            }
        }

        private void OnJobOffered(Hashtable data)
        {
            string module = OtaJobParser.ModuleOf(data);
            if (module != _settings.Module)
            {
                _log.Write(LogLevel.Debug, "ota", "job for module " + module + " ignored");
                return;
            }

            string version = JsonValues.Get(data, "version") as string;
            if (version != null && version == RunningVersion)
            {
                _log.Write(LogLevel.Info, "ota", "version " + version + " is already running");
                _reporter.Inform(RunningVersion);
                return;
            }

            OtaJob job;
            try
            {
                job = OtaJobParser.Parse(data, _settings.SlotCapacity, _settings.AllowMd5Only);
                string refusal = OtaImagePolicy.CheckJobVersion(job.Version, RunningVersion, _settings);
                if (refusal == null)
                {
                    refusal = OtaImagePolicy.CheckJobFit(job.ExtData, _settings);
                }

                if (refusal != null)
                {
                    throw new OtaJobRefusedException(OtaJobParser.StepUpgradeFailed, refusal);
                }
            }
            catch (OtaJobRefusedException ex)
            {
                lock (_lock)
                {
                    if (_job != null)
                    {
                        _log.Write(LogLevel.Warning, "ota", "job ignored while another runs: " + ex.Message);
                        return;
                    }
                }

                Finish(new OtaOutcome(ex.Step, ex.Message));
                return;
            }

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
                        if (_waitingForUrl)
                        {
                            _refreshedUrl = job.Url;
                            _urlEvent.Set();
                        }

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

        private void RunJob()
        {
            OtaJob job;
            lock (_lock)
            {
                job = _job;
            }

            OtaOutcome outcome;
            bool suspended = false;
            try
            {
                _log.Write(LogLevel.Info, "ota", "job " + job.Version + ": " + job.Size.ToString() + " bytes from " + job.UrlForLog);
                _reporter.Progress(0, "download started");
                if (_settings.CloseMqttDuringDownload && ConnectionControl != null)
                {
                    ConnectionControl.Suspend();
                    suspended = true;
                }

                outcome = Download(job);
            }
            catch (Exception ex)
            {
                outcome = new OtaOutcome(OtaJobParser.StepUpgradeFailed, "internal error: " + ex.GetType().Name);
            }

            if (suspended)
            {
                ConnectionControl.Resume();
            }

            if (outcome != null && outcome.DiscardsDownload)
            {
                _store.DiscardDownload();
            }

            if (outcome != null && outcome.Succeeded)
            {
                lock (_lock)
                {
                    _restartRequested = true;
                }
            }

            lock (_lock)
            {
                _job = null;
                _thread = null;
            }

            if (outcome == null)
            {
                _log.Write(LogLevel.Info, "ota", "job " + job.Version + " paused; it resumes after the next start");
                return;
            }

            Finish(outcome);
            if (outcome.Succeeded)
            {
                _restart.Restart("ota: switching to version " + job.Version);
            }
        }

        private void Finish(OtaOutcome outcome)
        {
            lock (_lock)
            {
                _lastOutcome = outcome;
            }

            _log.Write(outcome.Succeeded ? LogLevel.Info : LogLevel.Warning, "ota", "step " + outcome.Step.ToString() + ": " + outcome.Desc);
            if (!outcome.Succeeded)
            {
                _reporter.Progress(outcome.Step, outcome.Desc);
                return;
            }

            // Success is followed by a restart: wait (bounded) for the broker's PUBACK, or the reboot loses the report.
            if (!_reporter.ProgressAcknowledged(outcome.Step, outcome.Desc, _clock, FinalReportTimeoutMs))
            {
                _log.Write(LogLevel.Warning, "ota", "step 100 not acknowledged within " + FinalReportTimeoutMs.ToString() + " ms; restarting anyway (the version inform after the restart tells the platform)");
            }
        }

        /// <summary>Downloads, verifies and activates; null when stopped (no report: the job resumes later).</summary>
        private OtaOutcome Download(OtaJob job)
        {
            SlotWriter writer;
            try
            {
                writer = _store.OpenWriter(job.Tag, job.Size);
            }
            catch (InvalidOperationException ex)
            {
                return new OtaOutcome(OtaJobParser.StepUpgradeFailed, "refused: " + ex.Message);
            }
            catch (Exception ex)
            {
                return new OtaOutcome(OtaJobParser.StepWriteFailed, "cannot prepare the slot: " + ex.GetType().Name);
            }

            IHash hash = job.DigestKind == OtaDigestKind.Md5 ? (IHash)new Md5() : new Sha256();
            OtaDownloadSink sink = new OtaDownloadSink(this, writer, hash, job, _reporter);
            if (writer.Offset == 0)
            {
                sink.HeaderProbe = new OtaHeaderProbe(_signatureCheck, job, RunningVersion);
            }

            try
            {
                if (writer.Offset > 0)
                {
                    _log.Write(LogLevel.Info, "ota", "resuming after " + writer.Offset.ToString() + " stored bytes (re-hashing them)");
                    if (!Rehash(hash, writer.Offset))
                    {
                        return new OtaOutcome(OtaJobParser.StepWriteFailed, "stored part of the image is unreadable");
                    }
                }

                OtaOutcome failed = Transfer(job, writer, sink);
                if (failed != null || IsStopping())
                {
                    return failed;
                }
            }
            finally
            {
                writer.Dispose();
            }

            byte[] digest = hash.Finish();
            if (!Hex.DigestEquals(digest, job.Digest))
            {
                return new OtaOutcome(OtaJobParser.StepVerifyFailed, (job.DigestKind == OtaDigestKind.Md5 ? "MD5" : "SHA-256") + " mismatch: the image is corrupt");
            }

            uint signatureCrc;
            OtaOutcome refused = _signatureCheck.Verify(job, RunningVersion, _buffer, out signatureCrc);
            if (refused != null)
            {
                return refused;
            }

            try
            {
                _store.ActivateInactive(job.Version, _settings.ConfirmWithinBoots, _buffer, signatureCrc);
            }
            catch (OtaImageException ex)
            {
                return new OtaOutcome(OtaJobParser.StepVerifyFailed, "not a valid OTA image: " + ex.Message);
            }
            catch (Exception ex)
            {
                return new OtaOutcome(OtaJobParser.StepWriteFailed, "activating the new slot failed: " + ex.GetType().Name);
            }

            return new OtaOutcome(100, "verified; restarting into version " + job.Version);
        }

        /// <summary>Runs download attempts until the slot is complete; a failure outcome, or null.</summary>
        private OtaOutcome Transfer(OtaJob job, SlotWriter writer, OtaDownloadSink sink)
        {
            int failures = 0;
            int refreshes = 0;
            int delay = _settings.RetryBaseMs;
            while (!writer.IsComplete)
            {
                if (IsStopping())
                {
                    return null;
                }

                long before = writer.Offset;
                string url;
                lock (_lock)
                {
                    url = job.Url;
                }

                HttpDownloadResult result = _downloader.Download(url, writer.Offset, _buffer, _caCertificatesPem, sink);
                if (sink.Failure != null)
                {
                    return sink.Failure;
                }

                if (writer.IsComplete || IsStopping())
                {
                    return null;
                }

                if (result.Status == HttpDownloadStatus.HttpError && (result.StatusCode == 403 || result.StatusCode == 400))
                {
                    if (refreshes == MaxUrlRefreshes)
                    {
                        return new OtaOutcome(OtaJobParser.StepDownloadFailed, "download URL refused (HTTP " + result.StatusCode.ToString() + ") after " + MaxUrlRefreshes.ToString() + " refreshes");
                    }

                    refreshes++;
                    _log.Write(LogLevel.Info, "ota", "download URL expired (HTTP " + result.StatusCode.ToString() + "); asking firmware.get for a new one");
                    if (!RefreshUrl(job))
                    {
                        return IsStopping() ? null : new OtaOutcome(OtaJobParser.StepDownloadFailed, "download URL expired (HTTP " + result.StatusCode.ToString() + ") and no new URL arrived");
                    }

                    continue;
                }

                if (writer.Offset > before)
                {
                    failures = 0;
                    delay = _settings.RetryBaseMs;
                }

                failures++;
                if (failures > _settings.MaxRetries)
                {
                    return new OtaOutcome(OtaJobParser.StepDownloadFailed, "download failed after " + failures.ToString() + " attempts: " + result.Detail);
                }

                _log.Write(LogLevel.Warning, "ota", "download interrupted at " + writer.Offset.ToString() + " bytes (" + result.Detail + "); retry in " + delay.ToString() + " ms");
                if (_clock.Wait(_stopEvent, delay))
                {
                    return null;
                }

                delay = delay > _settings.RetryCapMs / 2 ? _settings.RetryCapMs : delay * 2;
            }

            return null;
        }

        private bool RefreshUrl(OtaJob job)
        {
            lock (_lock)
            {
                _waitingForUrl = true;
                _refreshedUrl = null;
            }

            _urlEvent.Reset();
            _reporter.FirmwareGet();
            long deadline = _clock.MonotonicMs + _settings.FirmwareGetTimeoutMs;
            while (true)
            {
                lock (_lock)
                {
                    if (_refreshedUrl != null || _stopping)
                    {
                        _waitingForUrl = false;
                        return _refreshedUrl != null;
                    }
                }

                long left = deadline - _clock.MonotonicMs;
                if (left <= 0)
                {
                    lock (_lock)
                    {
                        _waitingForUrl = false;
                    }

                    return false;
                }

                _urlEvent.WaitOne((int)(left < 200 ? left : 200), false);
            }
        }

        private bool Rehash(IHash hash, long length)
        {
            IFlashFile file = _store.OpenInactiveForRead();
            try
            {
                return FlashHashing.Append(file, hash, length, _buffer);
            }
            finally
            {
                file.Dispose();
            }
        }

        internal bool IsStopping()
        {
            lock (_lock)
            {
                return _stopping;
            }
        }
    }
}
