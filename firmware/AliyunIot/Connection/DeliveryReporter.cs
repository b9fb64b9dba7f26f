using System;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Tells a QoS 1 message's publisher how it ended (acknowledged, refused by the broker, dropped from the offline
    /// queue). Through the session's notifier when there is one, so a handler runs on the worker thread and cannot
    /// stall the supervisor; otherwise directly, with a handler's exception logged rather than thrown into the
    /// outbox. Never called under the outbox's lock: a handler may publish again.
    /// </summary>
    internal sealed class DeliveryReporter
    {
        private readonly object _gate = new object();
        private readonly ILog _log;
        private readonly string _logSource;
        private IDeliveryNotifier _notifier;

        internal DeliveryReporter(ILog log, string logSource)
        {
            _log = log;
            _logSource = logSource;
        }

        /// <summary>Routes later notifications through <paramref name="notifier"/>.</summary>
        internal void SetNotifier(IDeliveryNotifier notifier)
        {
            lock (_gate)
            {
                _notifier = notifier;
            }
        }

        /// <summary>The broker answered a message's publish: acknowledged, or refused (0x80 or more; logged, not retried).</summary>
        internal void Answered(OutboxMessage message, int reasonCode)
        {
            if (reasonCode >= 0x80)
            {
                _log.Write(LogLevel.Warning, _logSource, "the broker refused a message (reason " + reasonCode.ToString() + ", " + message.Topic.Length.ToString() + "-char topic); not retried");
            }

            Report(message, reasonCode >= 0x80 ? DeliveryOutcome.Refused : DeliveryOutcome.Acknowledged, reasonCode);
        }

        /// <summary>The offline queue's drop policy sacrificed the message for a newer one.</summary>
        internal void Dropped(OutboxMessage message)
        {
            Report(message, DeliveryOutcome.Dropped, -1);
        }

        private void Report(OutboxMessage message, DeliveryOutcome outcome, int reasonCode)
        {
            if (message.Delivered == null)
            {
                return;
            }

            IDeliveryNotifier notifier;
            lock (_gate)
            {
                notifier = _notifier;
            }

            if (notifier != null)
            {
                notifier.Notify(message.Delivered, message.Token, outcome, reasonCode);
                return;
            }

            try
            {
                message.Delivered(message.Token, outcome, reasonCode);
            }
            catch (Exception e)
            {
                _log.Write(LogLevel.Error, _logSource, "a delivery handler threw " + e.GetType().Name + ": " + e.Message);
            }
        }
    }
}
