using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An <see cref="IHttpDownloader"/> serving one file from RAM through the caller's buffer, honouring the offset
    /// (206 for a range), with the faults a board's network produces injected on demand: a connection that breaks
    /// after some bytes (once), and a URL the server refuses with 403 (an expired OSS signature).
    /// </summary>
    internal sealed class InMemoryDownloader : IHttpDownloader
    {
        private readonly byte[] _file;
        private readonly object _gate = new object();
        private string _requests = "";

        /// <summary>Serves <paramref name="file"/>.</summary>
        public InMemoryDownloader(byte[] file)
        {
            _file = file;
        }

        /// <summary>When ≥ 0, the next download breaks after this many body bytes (then it is reset to -1).</summary>
        public int BreakAfterBytes = -1;

        /// <summary>Requests for this URL are answered 403.</summary>
        public string ExpiredUrl;

        /// <summary>"url@offset" of every request, joined with ' '.</summary>
        public string Requests
        {
            get { lock (_gate) { return _requests; } }
        }

        /// <inheritdoc />
        public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
        {
            lock (_gate)
            {
                _requests = (_requests.Length == 0 ? "" : _requests + " ") + url + "@" + offset.ToString();
            }

            if (url == ExpiredUrl)
            {
                return new HttpDownloadResult(HttpDownloadStatus.HttpError, 403, 0, "HTTP 403");
            }

            if (!sink.OnStart(offset > 0 ? 206 : 200, offset, _file.Length - offset))
            {
                return new HttpDownloadResult(HttpDownloadStatus.Aborted, 200, 0, "aborted at start");
            }

            long sent = 0;
            long position = offset;
            while (position < _file.Length)
            {
                int count = _file.Length - position < buffer.Length ? (int)(_file.Length - position) : buffer.Length;
                if (BreakAfterBytes >= 0 && sent + count > BreakAfterBytes)
                {
                    count = (int)(BreakAfterBytes - sent);
                    System.Array.Copy(_file, (int)position, buffer, 0, count);
                    if (count > 0)
                    {
                        sink.OnChunk(buffer, count);
                    }

                    BreakAfterBytes = -1;
                    return new HttpDownloadResult(HttpDownloadStatus.NetworkError, 200, sent + count, "connection reset");
                }

                System.Array.Copy(_file, (int)position, buffer, 0, count);
                if (!sink.OnChunk(buffer, count))
                {
                    return new HttpDownloadResult(HttpDownloadStatus.Aborted, 200, sent, "aborted");
                }

                sent += count;
                position += count;
            }

            return new HttpDownloadResult(HttpDownloadStatus.Completed, offset > 0 ? 206 : 200, sent, "completed");
        }
    }
}
