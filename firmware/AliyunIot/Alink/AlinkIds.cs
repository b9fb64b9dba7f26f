namespace AliyunIot.Alink
{
    /// <summary>
    /// Message ids for requests this device sends: a per-boot counter written as a decimal string, 1…4294967295
    /// and then round again (aliyun-protocol.md §3.1: a string holding a decimal number, unique per device for the
    /// lifetime of a request). Thread-safe: the session worker and a sensor thread both post.
    /// </summary>
    public sealed class AlinkIds
    {
        private const long MaxId = 4294967295;
        private readonly object _gate = new object();
        private long _last;

        /// <summary>Starts at 1.</summary>
        public AlinkIds()
        {
        }

        /// <summary>Starts after <paramref name="last"/> (tests; resuming a counter).</summary>
        public AlinkIds(long last)
        {
            _last = last < 0 || last >= MaxId ? 0 : last;
        }

        /// <summary>The next id.</summary>
        public string Next()
        {
            long id;
            lock (_gate)
            {
                _last = _last >= MaxId ? 1 : _last + 1;
                id = _last;
            }

            return id.ToString();
        }
    }
}
