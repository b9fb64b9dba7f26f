using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An <see cref="IHttpDownloader"/> serving one byte array in chunks of the caller's buffer (the device cannot run
    /// an HTTPS server inside the test).
    /// </summary>
    internal sealed class BytesDownloader : IHttpDownloader
    {
        private readonly byte[] _content;

        public BytesDownloader(byte[] content)
        {
            _content = content;
        }

        /// <summary>Downloads started.</summary>
        public int Calls;

        public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
        {
            Calls++;
            if (!sink.OnStart(200, 0, _content.Length))
            {
                return new HttpDownloadResult(HttpDownloadStatus.Aborted, 200, 0, "aborted");
            }

            int sent = 0;
            while (sent < _content.Length)
            {
                int n = _content.Length - sent < buffer.Length ? _content.Length - sent : buffer.Length;
                System.Array.Copy(_content, sent, buffer, 0, n);
                sent += n;
                if (!sink.OnChunk(buffer, n))
                {
                    return new HttpDownloadResult(HttpDownloadStatus.Aborted, 200, sent, "aborted");
                }
            }

            return new HttpDownloadResult(HttpDownloadStatus.Completed, 200, sent, "completed");
        }
    }
}
