using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>
    /// The first connect after boot decides the fate of a new image: reaching the platform proves a
    /// <see cref="SlotState.Testing"/> image works, so it is confirmed (the loader stops counting boot attempts);
    /// after a rollback the platform is told that the job which installed the failed version ended in -1. Runs once
    /// per boot, on the session worker, before the version <c>inform</c> (so the console sees the failure first).
    /// </summary>
    internal sealed class OtaBootConfirmation
    {
        private readonly SlotStore _store;
        private readonly ILog _log;
        private readonly OtaFinalReport _finalReport;
        private readonly string _runningVersion;
        private readonly object _lock = new object();
        private bool _checked;

        internal OtaBootConfirmation(SlotStore store, ILog log, OtaFinalReport finalReport, string runningVersion)
        {
            _store = store;
            _log = log;
            _finalReport = finalReport;
            _runningVersion = runningVersion;
        }

        /// <summary>Confirms a tested image or reports a rollback, the first time it is called; later calls do nothing.</summary>
        internal void CheckOnce()
        {
            lock (_lock)
            {
                if (_checked)
                {
                    return;
                }

                _checked = true;
            }

            // Outside the lock: reading and writing the manifest is flash I/O.
            SlotManifest manifest = _store.ReadManifest();
            if (manifest.State == SlotState.Testing)
            {
                _store.Confirm();
                _log.Write(LogLevel.Info, "ota", "version " + _runningVersion + " confirmed itself");
            }
            else if (manifest.State == SlotState.RolledBack)
            {
                string desc = "rolled back: version " + manifest.RolledBackVersion + " " + manifest.RolledBackReason + "; running " + _runningVersion;
                _log.Write(LogLevel.Warning, "ota", desc);

                // The final report of the job that installed the failed version (pending until the outbox takes it).
                _finalReport.Deliver(new OtaOutcome(OtaJobParser.StepUpgradeFailed, desc), null, 0, 0);
                _store.AcknowledgeRollback();
            }
        }
    }
}
