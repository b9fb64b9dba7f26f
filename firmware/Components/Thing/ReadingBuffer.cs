using System.Collections;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Readings waiting to be delivered, oldest first, bounded: when full, the oldest is dropped and counted, so
    /// memory stays fixed and no loss goes unnoticed. Not thread-safe (the reporter locks around it).
    /// </summary>
    public sealed class ReadingBuffer
    {
        private readonly ArrayList _items = new ArrayList();
        private readonly int _capacity;

        /// <summary>Creates a buffer holding at most <paramref name="capacity"/> readings (at least 1).</summary>
        public ReadingBuffer(int capacity)
        {
            _capacity = capacity < 1 ? 1 : capacity;
        }

        /// <summary>Readings held.</summary>
        public int Count
        {
            get { return _items.Count; }
        }

        /// <summary>Most readings held.</summary>
        public int Capacity
        {
            get { return _capacity; }
        }

        /// <summary>Readings dropped because the buffer was full, since start.</summary>
        public int Dropped { get; private set; }

        /// <summary>Adds a reading; returns the oldest one dropped to make room, or null.</summary>
        public Reading Add(Reading reading)
        {
            Reading dropped = null;
            if (_items.Count >= _capacity)
            {
                dropped = (Reading)_items[0];
                _items.RemoveAt(0);
                Dropped++;
            }

            _items.Add(reading);
            return dropped;
        }

        /// <summary>The reading at <paramref name="index"/> (0 = oldest).</summary>
        public Reading Get(int index)
        {
            return (Reading)_items[index];
        }

        /// <summary>Removes the <paramref name="count"/> oldest readings (delivered).</summary>
        public void RemoveOldest(int count)
        {
            for (int i = 0; i < count && _items.Count > 0; i++)
            {
                _items.RemoveAt(0);
            }
        }

        /// <summary>Drops the oldest reading as undeliverable (counted).</summary>
        public void DropOldest()
        {
            if (_items.Count > 0)
            {
                _items.RemoveAt(0);
                Dropped++;
            }
        }
    }
}
