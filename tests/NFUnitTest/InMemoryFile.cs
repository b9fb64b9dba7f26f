using System;
using OtaPartition;

namespace AliyunIot.NFUnitTest
{
    /// <summary>An open in-memory flash file with its own position.</summary>
    internal sealed class InMemoryFile : IFlashFile
    {
        private readonly InMemoryFileData _data;
        private int _position;

        /// <summary>Opens <paramref name="data"/> at <paramref name="position"/>.</summary>
        public InMemoryFile(InMemoryFileData data, int position)
        {
            _data = data;
            _position = position;
        }

        /// <inheritdoc />
        public long Length
        {
            get { return _data.Length; }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            int available = _data.Length - _position;
            int n = count < available ? count : available;
            if (n <= 0)
            {
                return 0;
            }

            Array.Copy(_data.Bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            int end = _position + count;
            if (end > _data.Bytes.Length)
            {
                byte[] larger = new byte[end * 2];
                Array.Copy(_data.Bytes, larger, _data.Length);
                _data.Bytes = larger;
            }

            Array.Copy(buffer, offset, _data.Bytes, _position, count);
            _position = end;
            if (end > _data.Length)
            {
                _data.Length = end;
            }
        }

        /// <inheritdoc />
        public void Flush()
        {
            // RAM is always "durable" here; power cuts are injected by InMemoryFlashStorage.
        }

        /// <inheritdoc />
        public void Dispose()
        {
        }
    }
}
