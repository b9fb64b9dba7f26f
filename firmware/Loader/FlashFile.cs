using System.IO;
using OtaPartition;

namespace AliyunIot.Loader
{
    /// <summary>An open file on <c>I:\</c>: a thin wrapper over <see cref="FileStream"/>.</summary>
    internal sealed class FlashFile : IFlashFile
    {
        private readonly FileStream _stream;

        /// <summary>Wraps an open stream; disposing the file closes it.</summary>
        public FlashFile(FileStream stream)
        {
            _stream = stream;
        }

        /// <inheritdoc />
        public long Length
        {
            get { return _stream.Length; }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            return _stream.Read(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _stream.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Flush()
        {
            // FileStream.Flush hands the data to littlefs, which syncs the file (its metadata commit is atomic).
            _stream.Flush();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _stream.Dispose();
        }
    }
}
