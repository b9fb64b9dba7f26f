using System.Collections;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Readings waiting to be delivered, oldest first, bounded: when full, the oldest is dropped and counted, so
    /// memory stays fixed and no loss goes unnoticed. The oldest readings can be marked in flight while a history
    /// post carrying them is published without the reporter's lock: one dropped meanwhile to make room is counted
    /// lost only if that post is not taken (it was delivered otherwise). Not thread-safe (the reporter locks around it).
    /// </summary>
    public sealed class ReadingBuffer
    {
        private readonly ArrayList _items = new ArrayList();
        private readonly int _capacity;

        // The oldest readings being published right now, and how many of those were pushed out meanwhile.
        private int _inFlight;
        private int _inFlightDropped;

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
                if (_inFlight > 0)
                {
                    // Its fate is the in-flight post's: counted lost only if that post is not taken.
                    _inFlight--;
                    _inFlightDropped++;
                }
                else
                {
                    Dropped++;
                }
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

        /// <summary>Marks the <paramref name="count"/> oldest readings as being published in one post.</summary>
        public void MarkInFlight(int count)
        {
            _inFlight = count < _items.Count ? count : _items.Count;
            _inFlightDropped = 0;
        }

        /// <summary>The in-flight post was taken: removes its readings that are still held.</summary>
        public void InFlightDelivered()
        {
            RemoveOldest(_inFlight);
            _inFlight = 0;
            _inFlightDropped = 0;
        }

        /// <summary>The in-flight post was not taken: its readings stay, those pushed out meanwhile are counted lost.</summary>
        public void InFlightNotDelivered()
        {
            Dropped += _inFlightDropped;
            _inFlight = 0;
            _inFlightDropped = 0;
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
