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
            // Not a commit: littlefs makes a file's data durable when it is closed (nanoFramework's FileStream.Flush
            // does nothing more), so the slot writer and the record writers close files to commit them.
            _stream.Flush();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _stream.Dispose();
        }
    }
}
