using System;

namespace OtaPartition
{
    /// <summary>
    /// Streams an image into the inactive slot (<see cref="SlotStore.OpenWriter"/>), appending after what a
    /// previous attempt stored. The resume point is the slot file's committed length, and only bytes that arrived
    /// in order are ever appended. Dispose closes (commits) the file.
    /// </summary>
    /// <remarks>
    /// littlefs commits a file's data when it is closed, not on Flush: a power cut loses everything written since
    /// the last close. So the writer closes the file after every <see cref="CommitInterval"/> bytes and reopens it
    /// for the next write; a resume after a cut then downloads at most that much again instead of the whole image.
    /// </remarks>
    public sealed class SlotWriter : IDisposable
    {
        /// <summary>Bytes written between two commits (close and reopen) of the slot file.</summary>
        public const int CommitInterval = 32768;

        private readonly IFlashStorage _storage;
        private IFlashFile _file;
        private long _written;
        private long _uncommitted;

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
            _uncommitted += count;
            if (_uncommitted >= CommitInterval)
            {
                // The commit step: littlefs makes the data durable on close (see the class remarks).
                Commit();
            }
        }

        /// <summary>
        /// Hands what was written to the file system (durable on a file system that syncs on flush; on littlefs
        /// only the commit every <see cref="CommitInterval"/> bytes and <see cref="Dispose"/> are).
        /// </summary>
        public void Flush()
        {
            if (_file != null)
            {
                _file.Flush();
            }
        }

        /// <summary>Closes the slot file, which commits everything written.</summary>
        public void Dispose()
        {
            Commit();
        }

        private void Commit()
        {
            if (_file != null)
            {
                IFlashFile file = _file;
                _file = null;
                _uncommitted = 0;
                file.Dispose();
            }
        }
    }
}
