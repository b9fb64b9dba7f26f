namespace AliyunIot.Connection
{
    /// <summary>An incoming message waiting for the worker thread (counted against the inbound budgets).</summary>
    internal sealed class InboundItem
    {
        internal InboundItem(string topic, byte[] payload)
        {
            Topic = topic;
            Payload = payload;
        }

        internal readonly string Topic;
        internal readonly byte[] Payload;
    }

    /// <summary>A delivery notification waiting for the worker thread (never dropped: the outbox bounds them).</summary>
    internal sealed class DeliveryItem
    {
        internal DeliveryItem(DeliveryHandler handler, object token, DeliveryOutcome outcome, int reasonCode)
        {
            Handler = handler;
            Token = token;
            Outcome = outcome;
            ReasonCode = reasonCode;
        }

        internal readonly DeliveryHandler Handler;
        internal readonly object Token;
        internal readonly DeliveryOutcome Outcome;
        internal readonly int ReasonCode;
    }

    /// <summary>A status event waiting for the worker thread.</summary>
    internal sealed class StatusItem
    {
        internal StatusItem(ConnectionStatus status, string reason)
        {
            Status = status;
            Reason = reason;
        }

        internal readonly ConnectionStatus Status;
        internal readonly string Reason;
    }
}
