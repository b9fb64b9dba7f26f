using System;
using System.IO;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An <see cref="ISecureConnection"/> that answers with fixed bytes, at most <see cref="ReadSizes"/>[i] bytes per
    /// Read (the last size repeats), records what was written, and after the last byte either reports the close (0)
    /// or throws <see cref="FailureAtEnd"/> (a board's read timeout or reset).
    /// </summary>
    internal sealed class ScriptedConnection : ISecureConnection
    {
        private readonly byte[] _response;
        private readonly MemoryStream _written = new MemoryStream();
        private int _position;
        private int _reads;

        /// <summary>Answers with <paramref name="response"/>.</summary>
        public ScriptedConnection(byte[] response)
        {
            _response = response;
            ReadSizes = new int[] { int.MaxValue };
        }

        /// <summary>Largest count each Read returns, in order; the last one repeats.</summary>
        public int[] ReadSizes;

        /// <summary>Thrown by Read once the response is used up; null: Read returns 0 (the server closed).</summary>
        public Exception FailureAtEnd;

        /// <summary>Disposed by the client.</summary>
        public bool Disposed { get; private set; }

        /// <summary>Bytes the client wrote.</summary>
        public byte[] Written
        {
            get { return _written.ToArray(); }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            if (_position == _response.Length)
            {
                if (FailureAtEnd != null)
                {
                    throw FailureAtEnd;
                }

                return 0;
            }

            int limit = ReadSizes[_reads < ReadSizes.Length ? _reads : ReadSizes.Length - 1];
            _reads++;
            int n = _response.Length - _position;
            if (n > count)
            {
                n = count;
            }

            if (n > limit)
            {
                n = limit;
            }

            Array.Copy(_response, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _written.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Disposed = true;
        }
    }
}
