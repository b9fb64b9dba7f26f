using System;
using AliyunIot.Ports;

namespace AliyunIot.Http
{
    /// <summary>
    /// <see cref="IHttpDownloader"/> over this folder's HTTP/1.1 client and an <see cref="ISecureConnectionOpener"/>:
    /// the same code on the device and on the host. One GET per call on a new connection (<c>Connection: close</c>),
    /// <c>Range: bytes=offset-</c> to resume, the body streamed through the caller's buffer into the sink.
    /// </summary>
    /// <remarks>
    /// Results: 200/206 with the whole body → Completed; any other status (3xx included: redirects are not followed)
    /// → HttpError with nothing given to the sink; connect/TLS/read failures, a body cut short or malformed →
    /// NetworkError with what arrived already given to the sink; the sink returning false → Aborted. A 206 without a
    /// readable Content-Range is an HttpError (where the body starts would be a guess). The sink's own exceptions
    /// are not network failures and pass through. No Detail contains the URL's query.
    /// </remarks>
    public sealed class HttpsDownloader : IHttpDownloader
    {
        private readonly ISecureConnectionOpener _opener;

        /// <summary>Creates a downloader.</summary>
        /// <param name="opener">Opens the TLS connections.</param>
        /// <param name="connectTimeoutMs">Connect and handshake limit (where the platform can bound them).</param>
        /// <param name="readTimeoutMs">Longest wait for the response head or for more of the body.</param>
        public HttpsDownloader(ISecureConnectionOpener opener, int connectTimeoutMs, int readTimeoutMs)
        {
            if (opener == null)
            {
                throw new ArgumentNullException("opener");
            }

            _opener = opener;
            ConnectTimeoutMs = connectTimeoutMs > 0 ? connectTimeoutMs : 30000;
            ReadTimeoutMs = readTimeoutMs > 0 ? readTimeoutMs : 20000;
        }

        /// <summary>Connect and handshake limit in milliseconds.</summary>
        public int ConnectTimeoutMs { get; private set; }

        /// <summary>Longest silence of the server in milliseconds.</summary>
        public int ReadTimeoutMs { get; private set; }

        /// <inheritdoc />
        public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
        {
            if (url == null || buffer == null || buffer.Length == 0 || sink == null)
            {
                throw new ArgumentNullException(url == null ? "url" : (sink == null ? "sink" : "buffer"));
            }

            string error;
            HttpsUrl target = HttpsUrl.Parse(url, out error);
            if (target == null)
            {
                return new HttpDownloadResult(HttpDownloadStatus.NetworkError, 0, 0, "Unusable download URL: " + error + ".");
            }

            if (offset < 0)
            {
                return new HttpDownloadResult(HttpDownloadStatus.NetworkError, 0, 0, "Negative range offset.");
            }

            HttpsExchange exchange = new HttpsExchange(_opener, target);
            try
            {
                return Transfer(exchange, target, offset, buffer, caCertificatesPem, sink);
            }
            finally
            {
                exchange.Dispose();
            }
        }

        private HttpDownloadResult Transfer(HttpsExchange exchange, HttpsUrl target, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
        {
            try
            {
                if (!exchange.Start(HttpRequestWriter.Get(target, offset), caCertificatesPem, ConnectTimeoutMs, ReadTimeoutMs, buffer))
                {
                    return new HttpDownloadResult(HttpDownloadStatus.NetworkError, 0, 0, exchange.ProtocolFailure());
                }
            }
            catch (Exception e)
            {
                return new HttpDownloadResult(HttpDownloadStatus.NetworkError, 0, 0, exchange.Failure(e));
            }

            HttpResponseReader response = exchange.Response;
            int status = response.StatusCode;
            if (status != 200 && status != 206)
            {
                return new HttpDownloadResult(HttpDownloadStatus.HttpError, status, 0, "The server answered HTTP " + status.ToString() + " (" + target.Redacted + ").");
            }

            long rangeStart = 0;
            if (status == 206)
            {
                rangeStart = response.ContentRangeStart;
                if (rangeStart < 0)
                {
                    return new HttpDownloadResult(HttpDownloadStatus.HttpError, status, 0, "206 without a readable Content-Range (" + target.Redacted + ").");
                }
            }

            if (!sink.OnStart(status, rangeStart, response.ContentLength))
            {
                return new HttpDownloadResult(HttpDownloadStatus.Aborted, status, 0, "The receiver refused the response.");
            }

            long received = 0;
            while (true)
            {
                int count;
                try
                {
                    count = response.ReadBody();
                }
                catch (Exception e)
                {
                    return new HttpDownloadResult(HttpDownloadStatus.NetworkError, status, received, exchange.Failure(e) + " after " + received.ToString() + " bytes");
                }

                if (count < 0)
                {
                    return new HttpDownloadResult(HttpDownloadStatus.NetworkError, status, received, exchange.ProtocolFailure());
                }

                if (count == 0)
                {
                    return new HttpDownloadResult(HttpDownloadStatus.Completed, status, received, "Completed.");
                }

                received += count;
                if (!sink.OnChunk(buffer, count))
                {
                    return new HttpDownloadResult(HttpDownloadStatus.Aborted, status, received, "The receiver stopped the download.");
                }
            }
        }
    }
}
