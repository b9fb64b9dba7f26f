namespace AliyunIot.Alink
{
    /// <summary>How a request that expected a reply ended.</summary>
    public enum RequestStatus
    {
        /// <summary>The cloud replied; see <see cref="RequestOutcome.Code"/>.</summary>
        Replied = 0,
        /// <summary>No reply within the timeout.</summary>
        TimedOut = 1,
        /// <summary>The table was full; the oldest request was given up to make room.</summary>
        Evicted = 2,
        /// <summary>The caller withdrew it (e.g. the message was never sent).</summary>
        Cancelled = 3,
    }
}
