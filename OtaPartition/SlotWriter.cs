using System;

namespace OtaPartition
{
    /// <summary>
    /// Streams an image into the inactive slot (<see cref="SlotStore.OpenWriter"/>), appending after what a
    /// previous attempt stored. The resume point is the slot file's length: after <see cref="Flush"/> the bytes
    /// are durable, and only bytes that arrived in order are ever appended. Dispose closes the file.
    /// </summary>
    public sealed class SlotWriter : IDisposable
    {
        private readonly IFlashStorage _storage;
        private IFlashFile _file;
        private long _written;

        internal SlotWriter(IFlashStorage storage, int slot, string fileName, long expectedSize, long alreadyStored)
        {
            _storage = storage;
            Slot = slot;
            FileName = fileName;
            ExpectedSize = expectedSize;
            _written = alreadyStored;
        }

        /// <summary>The slot written (0 = A, 1 = B).</summary>
        public int Slot { get; private set; }

        /// <summary>Its file name.</summary>
        public string FileName { get; private set; }

        /// <summary>Exact size of the complete image.</summary>
        public long ExpectedSize { get; private set; }

        /// <summary>Bytes stored so far: where the download continues.</summary>
        public long Offset
        {
            get { return _written; }
        }

        /// <summary>True when all <see cref="ExpectedSize"/> bytes are stored.</summary>
        public bool IsComplete
        {
            get { return _written == ExpectedSize; }
        }

        /// <summary>Appends the next bytes of the image.</summary>
        /// <exception cref="InvalidOperationException">More bytes than the expected size.</exception>
        public void Write(byte[] buffer, int offset, int count)
        {
            if (_written + count > ExpectedSize)
            {
                throw new InvalidOperationException("more bytes than the declared size");
            }

            if (_file == null)
            {
                _file = _storage.OpenAppend(FileName);
            }

            _file.Write(buffer, offset, count);
            _written += count;
        }

        /// <summary>Makes what was written durable: a later resume continues from here.</summary>
        public void Flush()
        {
            if (_file != null)
            {
                _file.Flush();
            }
        }

        /// <summary>Closes the slot file (without flushing what is unflushed: callers flush first).</summary>
        public void Dispose()
        {
            if (_file != null)
            {
                _file.Dispose();
                _file = null;
            }
        }
    }
}
