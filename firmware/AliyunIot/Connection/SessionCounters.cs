namespace AliyunIot.Connection
{
    /// <summary>A snapshot of the session's counters (totals since construction).</summary>
    public sealed class SessionCounters
    {
        /// <summary>Connection attempts started.</summary>
        public long ConnectAttempts;

        /// <summary>Attempts that ended with an accepted CONNACK.</summary>
        public long Connections;

        /// <summary>Established connections that were lost (not closed by <see cref="SessionSupervisor.Stop"/>).</summary>
        public long ConnectionsLost;

        /// <summary>Attempts refused by the server (CONNACK refusal).</summary>
        public long Refusals;

        /// <summary>SUBSCRIBE packets whose SUBACK did not come within twice the request timeout.</summary>
        public long SubscribeTimeouts;

        /// <summary>Topics the server refused in a SUBACK (granted QoS 0x80 or more).</summary>
        public long SubscribeRefused;

        /// <summary>Incoming messages the transports delivered.</summary>
        public long MessagesReceived;

        /// <summary>Incoming messages dropped because the worker's queue was full.</summary>
        public long MessagesDropped;

        /// <summary>Incoming messages still queued, unhandled, when the session was stopped (discarded and logged).</summary>
        public long MessagesDiscarded;

        /// <summary>Incoming messages no handler took.</summary>
        public long MessagesUnhandled;

        /// <summary>Exceptions thrown by handlers, delivery handlers and status handlers (caught and logged).</summary>
        public long HandlerErrors;

        // A field-by-field copy would silently read 0 for a counter added later and forgotten there.
        internal SessionCounters Copy()
        {
            return (SessionCounters)MemberwiseClone();
        }
    }
}
