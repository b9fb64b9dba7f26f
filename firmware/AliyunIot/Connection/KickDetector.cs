namespace AliyunIot.Connection
{
    /// <summary>
    /// Tells a kick from an outage. The platform keeps one connection per device identity and closes the older one
    /// when another connects: the kicked device sees its connection closed right after the CONNACK, and its next
    /// attempt is accepted at once. So <see cref="ConnectionStatus.IdentityInUse"/> is reported after
    /// <see cref="SessionOptions.QuickDisconnectsForIdentityInUse"/> such losses in a row, each within
    /// <see cref="SessionOptions.QuickDisconnectMs"/> of its CONNACK. The count restarts when a connection stays up
    /// longer, when an attempt fails (the broker, or the way to it, went away: a kick would not stop the next attempt),
    /// and when the client itself gave the connection up (no PUBACK after its retries). Supervisor thread only.
    /// </summary>
    internal sealed class KickDetector
    {
        private readonly int _quickMs;
        private readonly int _threshold;
        private int _count;

        internal KickDetector(int quickMs, int threshold)
        {
            _quickMs = quickMs;
            _threshold = threshold;
        }

        /// <summary>Quick losses in a row so far.</summary>
        internal int Count
        {
            get { return _count; }
        }

        /// <summary>A connection stayed up long enough, or an attempt failed: not a run of kicks.</summary>
        internal void Reset()
        {
            _count = 0;
        }

        /// <summary>A connection that was up <paramref name="upMs"/> was lost.</summary>
        /// <param name="upMs">Time since its CONNACK.</param>
        /// <param name="byClient">The client gave it up itself (not closed by the server).</param>
        /// <returns>true when this loss completes a run of kicks (report IdentityInUse).</returns>
        internal bool OnLost(long upMs, bool byClient)
        {
            if (upMs < _quickMs && !byClient)
            {
                _count++;
            }
            else
            {
                _count = 0;
            }

            return _count >= _threshold;
        }
    }
}
