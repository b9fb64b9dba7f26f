using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
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
    /// that check already runs on the first chunk (<see cref="OtaHeaderProbe"/>).
    /// The work is split: <see cref="OtaBootConfirmation"/> (first connect after boot), <see cref="OtaJobRunner"/>
    /// (the job thread, stopping, the final report) and <see cref="OtaUrlRefresh"/>; this class speaks the protocol.
    /// Every job attempt ends with exactly one final report: step 100 (then restart; success is confirmed
    /// by the next <c>inform</c> with the new version) or -1/-2/-3/-4 with a desc; a report the outbox cannot take
    /// is retried and, at worst, re-sent after the next connect (<see cref="OtaFinalReport"/>); so is a progress report
    /// (<see cref="OtaProgressReport"/>), which always goes before the outcome. An expired URL is
    /// refreshed through <c>thing.ota.firmware.get</c>, with MQTT resumed briefly when it is closed for the
    /// download (<see cref="OtaUrlRefresh"/>). <see cref="Stop(int)"/> (also called by <see cref="AliyunDevice.Stop"/>)
    /// pauses a running job; it resumes after the next start.
    /// </summary>
    public sealed class OtaAgent : IMessageHandler, IStoppableHandler
    {
        /// <summary>How long <see cref="Stop()"/> waits for the job thread (a blocked HTTP read ends by its own timeout).</summary>
        public const int DefaultStopTimeoutMs = 30000;

        private readonly DeviceTopics _topics;
        private readonly ILog _log;
        private readonly OtaSettings _settings;
        private readonly OtaReporter _reporter;
        private readonly OtaFinalReport _finalReport;
        private readonly OtaBootConfirmation _bootConfirmation;
        private readonly OtaJobRunner _runner;
        private readonly object _lock = new object();
        private bool _firmwareAsked;

        /// <summary>Creates the agent (idle until <see cref="OnConnected"/> or a push).</summary>
        /// <param name="topics">The device's topics.</param>
        /// <param name="publisher">Where reports go (the session's outbox).</param>
        /// <param name="downloader">HTTPS downloader.</param>
        /// <param name="store">Slot store over the device's flash.</param>
        /// <param name="restart">Restarts the device into the new image.</param>
        /// <param name="clock">Time for retry back-off.</param>
        /// <param name="log">Log (URLs are logged without their query).</param>
        /// <param name="settings">The <c>ota</c> config section.</param>
        /// <param name="caCertificatesPem">Roots trusted for the download server.</param>
        /// <param name="runningVersion">Version of the running image (the loader's boot decision).</param>
        public OtaAgent(DeviceTopics topics, IPublisher publisher, IHttpDownloader downloader, SlotStore store,
            IRestart restart, IClock clock, ILog log, OtaSettings settings, string caCertificatesPem, string runningVersion)
        {
            _topics = topics;
            _log = log;
            _settings = settings == null ? new OtaSettings() : settings;
            RunningVersion = runningVersion;
            _reporter = new OtaReporter(topics, publisher, _settings);
            OtaProgressReport progress = new OtaProgressReport(_reporter);
            _finalReport = new OtaFinalReport(_reporter, progress, clock, log);
            OtaUrlRefresh urlRefresh = new OtaUrlRefresh(_reporter, clock, log, _settings.FirmwareGetTimeoutMs);
            _bootConfirmation = new OtaBootConfirmation(store, log, _finalReport, runningVersion);
            _runner = new OtaJobRunner(downloader, store, restart, clock, log, _settings, caCertificatesPem, runningVersion, progress, _finalReport, urlRefresh);
        }

        /// <summary>Version of the running image, as reported on <c>inform</c>.</summary>
        public string RunningVersion { get; private set; }

        /// <summary>Optional: closes MQTT during downloads when <see cref="OtaSettings.CloseMqttDuringDownload"/> is set.</summary>
        public IDownloadConnectionControl ConnectionControl
        {
            get { return _runner.ConnectionControl; }
            set { _runner.ConnectionControl = value; }
        }

        /// <summary>True while a job runs.</summary>
        public bool IsBusy
        {
            get { return _runner.IsBusy; }
        }

        /// <summary>The final outcome of the last job attempt of this boot, or null.</summary>
        public OtaOutcome LastOutcome
        {
            get { return _runner.LastOutcome; }
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

            Hashtable data = OtaMessages.ReadData(payload, _log);
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
                if (!_firmwareAsked)
                {
                    _firmwareAsked = true;
                    askFirmware = true;
                }
            }

            _bootConfirmation.CheckOnce();
            _finalReport.ResendPending();
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
            return _runner.WaitIdle(timeoutMs);
        }

        /// <summary>As <see cref="Stop(int)"/> with <see cref="DefaultStopTimeoutMs"/>.</summary>
        public void Stop()
        {
            Stop(DefaultStopTimeoutMs);
        }

        /// <summary>
        /// Pauses a running job without a final report (it resumes after the next start, from the stored bytes) and
        /// waits at most <paramref name="timeoutMs"/> for its thread. A job offered afterwards runs normally.
        /// </summary>
        /// <returns>false when the job thread did not end in time (it still ends at its next check).</returns>
        public bool Stop(int timeoutMs)
        {
            return _runner.Stop(timeoutMs);
        }

        private void OnJobOffered(Hashtable data)
        {
            string module = OtaMessages.ModuleOf(data);
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
                if (_runner.HasJob)
                {
                    // The running job owns the one final report of its attempt; a refusal must not look like its outcome.
                    _log.Write(LogLevel.Warning, "ota", "job ignored while another runs: " + ex.Message);
                    return;
                }

                // On the session worker: one try; a refused report is re-sent after the next connect.
                _runner.Finish(new OtaOutcome(ex.Step, ex.Message), 0);
                return;
            }

            _runner.TryStart(job);
        }
    }
}
