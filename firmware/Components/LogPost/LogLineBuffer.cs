namespace AliyunIot.LogPost
{
    /// <summary>
    /// Log lines waiting to be posted: a ring bounded by line count and by bytes (each line's JSON size). Full means
    /// the NEWEST line is refused (the caller counts it): the lines leading up to a problem are kept, nothing grows.
    /// Not thread-safe: <see cref="LogPoster"/> guards it.
    /// </summary>
    internal sealed class LogLineBuffer
    {
        private readonly int[] _levels;
        private readonly string[] _sources;
        private readonly string[] _messages;
        private readonly long[] _ticks;
        private readonly int[] _sizes;
        private readonly int _capacityBytes;
        private int _head;
        private int _count;
        private int _bytes;

        public LogLineBuffer(int maxLines, int capacityBytes)
        {
            _levels = new int[maxLines];
            _sources = new string[maxLines];
            _messages = new string[maxLines];
            _ticks = new long[maxLines];
            _sizes = new int[maxLines];
            _capacityBytes = capacityBytes;
        }

        public int Count
        {
            get { return _count; }
        }

        public int Bytes
        {
            get { return _bytes; }
        }

        /// <summary>Adds a line; false (nothing kept) when it does not fit.</summary>
        public bool Add(int level, string source, string message, long utcTicks, int size)
        {
            if (_count == _levels.Length || size > _capacityBytes - _bytes)
            {
                return false;
            }

            int slot = (_head + _count) % _levels.Length;
            _levels[slot] = level;
            _sources[slot] = source;
            _messages[slot] = message;
            _ticks[slot] = utcTicks;
            _sizes[slot] = size;
            _count++;
            _bytes += size;
            return true;
        }

        public int Level(int i)
        {
            return _levels[(_head + i) % _levels.Length];
        }

        public string Source(int i)
        {
            return _sources[(_head + i) % _levels.Length];
        }

        public string Message(int i)
        {
            return _messages[(_head + i) % _levels.Length];
        }

        public long Ticks(int i)
        {
            return _ticks[(_head + i) % _levels.Length];
        }

        public int Size(int i)
        {
            return _sizes[(_head + i) % _levels.Length];
        }

        /// <summary>Forgets the oldest <paramref name="n"/> lines.</summary>
        public void RemoveFirst(int n)
        {
            for (int i = 0; i < n && _count > 0; i++)
            {
                _bytes -= _sizes[_head];
                _sources[_head] = null;
                _messages[_head] = null;
                _head = (_head + 1) % _levels.Length;
                _count--;
            }
        }

        /// <summary>Forgets everything.</summary>
        public void Clear()
        {
            RemoveFirst(_count);
            _head = 0;
        }
    }
}
