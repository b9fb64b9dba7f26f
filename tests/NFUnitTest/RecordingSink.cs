using System.IO;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>An <see cref="IDownloadSink"/> that keeps what it is given.</summary>
    internal sealed class RecordingSink : IDownloadSink
    {
        private readonly MemoryStream _bytes = new MemoryStream();

        /// <summary>Answer to OnStart.</summary>
        public bool AcceptStart = true;

        /// <summary>OnStart was called.</summary>
        public bool Started;

        public int StatusCode;
        public long RangeStart = -1;
        public long ContentLength = -2;

        /// <summary>Number of OnChunk calls.</summary>
        public int Chunks;

        /// <summary>Every body byte, in order.</summary>
        public byte[] Bytes
        {
            get { return _bytes.ToArray(); }
        }

        public bool OnStart(int statusCode, long rangeStart, long contentLength)
        {
            Started = true;
            StatusCode = statusCode;
            RangeStart = rangeStart;
            ContentLength = contentLength;
            return AcceptStart;
        }

        public bool OnChunk(byte[] buffer, int count)
        {
            Chunks++;
            _bytes.Write(buffer, 0, count);
            return true;
        }
    }
}
