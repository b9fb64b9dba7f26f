using AliyunIot.Connection;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Delivers a job's progress reports ("download started" 0, then 10..90). The console shows a job as started and
    /// how far it got only from these, so one the outbox could not take (in-flight window or offline queue full, rate
    /// limit) is not dropped: the latest refused report stays pending (a newer one replaces it: only where the job
    /// stands matters) and is offered again with the next chunk, after the next connect, and before the final report,
    /// which goes only once nothing is pending, so a progress report never arrives after the job's outcome.
    /// </summary>
    internal sealed class OtaProgressReport
    {
        private readonly OtaReporter _reporter;
        private readonly object _lock = new object();
        private int _pendingStep;
        private string _pendingDesc;

        // One sender at a time (job thread, or the worker after a connect), so a report is not published twice.
        private bool _sending;

        internal OtaProgressReport(OtaReporter reporter)
        {
            _reporter = reporter;
        }

        /// <summary>True while a refused report waits to be offered again.</summary>
        internal bool HasPending
        {
            get { lock (_lock) { return _pendingDesc != null; } }
        }

        /// <summary>Offers the report; when the outbox refuses it, it becomes the pending one (replacing an older one).</summary>
        /// <returns>true when the outbox kept it.</returns>
        internal bool Report(int step, string desc)
        {
            lock (_lock)
            {
                // Newer than anything pending: the older report no longer says where the job stands.
                _pendingStep = step;
                _pendingDesc = desc;
            }

            return Flush();
        }

        /// <summary>Offers the pending report again, if any.</summary>
        /// <returns>true when nothing is pending any more.</returns>
        internal bool Flush()
        {
            int step;
            string desc;
            lock (_lock)
            {
                if (_pendingDesc == null)
                {
                    return true;
                }

                if (_sending)
                {
                    return false;
                }

                _sending = true;
                step = _pendingStep;
                desc = _pendingDesc;
            }

            // Published outside the lock (it may reach the transport); a concurrent Report only replaces the pending one.
            PublishStatus status = _reporter.Progress(step, desc);
            bool kept = status == PublishStatus.Sent || status == PublishStatus.Queued;
            lock (_lock)
            {
                _sending = false;
                if (kept && _pendingStep == step && (object)_pendingDesc == (object)desc)
                {
                    _pendingDesc = null;
                }

                return _pendingDesc == null;
            }
        }
    }
}
