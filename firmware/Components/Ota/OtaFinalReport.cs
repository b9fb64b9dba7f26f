using System.Threading;
using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Delivers the one final report of a job attempt (step 100, or -1..-4), which the console needs to close the
    /// job. The outbox keeps a QoS 1 message it answered <see cref="PublishStatus.Sent"/> or
    /// <see cref="PublishStatus.Queued"/> until its PUBACK; any other answer (in-flight window or offline queue full,
    /// rate limit) means nothing was kept, so the report is tried again, a short while later on the job thread, and
    /// else it stays pending and is re-sent after the next connect. It is never dropped silently and never published
    /// twice by this class (the outbox may re-send it after a reconnect: at-least-once). A progress report still
    /// pending (<see cref="OtaProgressReport"/>) goes first: the final one is held back until it is handed over, so the
    /// console never gets progress after the outcome.
    /// </summary>
    internal sealed class OtaFinalReport
    {
        private const int RetryMs = 500;

        private readonly OtaReporter _reporter;
        private readonly OtaProgressReport _progress;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly object _lock = new object();
        private OtaOutcome _pending;

        internal OtaFinalReport(OtaReporter reporter, OtaProgressReport progress, IClock clock, ILog log)
        {
            _reporter = reporter;
            _progress = progress;
            _clock = clock;
            _log = log;
        }

        /// <summary>The report not yet handed to the outbox, or null.</summary>
        internal OtaOutcome Pending
        {
            get { lock (_lock) { return _pending; } }
        }

        /// <summary>
        /// Hands the report to the outbox, trying again every 500 ms for up to <paramref name="retryForMs"/> (0: once)
        /// while it is refused, and for a success waits up to <paramref name="ackTimeoutMs"/> for its PUBACK (a
        /// restart right after would lose it with the RAM it sat in). Stops waiting when <paramref name="stop"/> is set.
        /// </summary>
        /// <returns>true when the outbox kept it (and, for a success, the broker acknowledged it in time).</returns>
        internal bool Deliver(OtaOutcome outcome, WaitHandle stop, int retryForMs, int ackTimeoutMs)
        {
            lock (_lock)
            {
                _pending = outcome;
            }

            long deadline = _clock.MonotonicMs + retryForMs;
            while (true)
            {
                // Why nothing was handed over this round; a progress report still refused holds the outcome back.
                string refused = ProgressRefused;
                if (_progress.Flush())
                {
                    AutoResetEvent acknowledged = outcome.Succeeded ? new AutoResetEvent(false) : null;
                    PublishStatus status = _reporter.ProgressWithDelivery(outcome.Step, outcome.Desc, acknowledged);
                    if (status == PublishStatus.Sent || status == PublishStatus.Queued)
                    {
                        lock (_lock)
                        {
                            if (_pending == outcome)
                            {
                                _pending = null;
                            }
                        }

                        return acknowledged == null || _clock.Wait(acknowledged, ackTimeoutMs);
                    }

                    refused = StatusName(status);
                }

                long left = deadline - _clock.MonotonicMs;
                if (left <= 0 || (stop != null && _clock.Wait(stop, left < RetryMs ? (int)left : RetryMs)))
                {
                    _log.Write(LogLevel.Warning, "ota", "final report (step " + outcome.Step.ToString() + ") not accepted by the outbox (" + refused + "); it is sent after the next connect");
                    return false;
                }
            }
        }

        /// <summary>Re-sends the reports that could not be handed over before, progress first (call after every connect).</summary>
        internal void ResendPending()
        {
            _progress.Flush();
            OtaOutcome pending = Pending;
            if (pending != null)
            {
                _log.Write(LogLevel.Info, "ota", "sending the pending final report (step " + pending.Step.ToString() + ")");
                Deliver(pending, null, 0, 0);
            }
        }

        private const string ProgressRefused = "an earlier progress report is still refused";

        private static string StatusName(PublishStatus status)
        {
            switch (status)
            {
                case PublishStatus.NotConnected:
                    return "not connected";
                case PublishStatus.InFlightFull:
                    return "in-flight window full";
                case PublishStatus.QueueFull:
                    return "offline queue full";
                case PublishStatus.RateLimited:
                    return "rate limited";
                default:
                    return "refused";
            }
        }
    }
}
