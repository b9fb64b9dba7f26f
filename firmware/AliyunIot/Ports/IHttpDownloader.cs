namespace AliyunIot.Ports
{
    /// <summary>
    /// Streams one HTTPS GET, optionally from a byte offset (Range), into a sink through one caller-owned buffer,
    /// so memory does not grow with the size of what is downloaded.
    /// Implementation: AliyunIot.Http.HttpsDownloader (the same code on the device and the host) over an ISecureConnectionOpener.
    /// </summary>
    public interface IHttpDownloader
    {
        /// <summary>Downloads <paramref name="url"/> from <paramref name="offset"/> into <paramref name="sink"/>.</summary>
        /// <param name="url">An https:// URL (the caller has refused anything else).</param>
        /// <param name="offset">First byte wanted; &gt; 0 sends <c>Range: bytes=offset-</c>.</param>
        /// <param name="buffer">Reused for every chunk.</param>
        /// <param name="caCertificatesPem">Trusted roots for the server certificate.</param>
        /// <param name="sink">Receives the response start and every chunk.</param>
        /// <returns>How the transfer ended; never throws for network or HTTP failures.</returns>
        HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink);
    }

    /// <summary>Receives a download as it arrives.</summary>
    public interface IDownloadSink
    {
        /// <summary>The response headers arrived.</summary>
        /// <param name="statusCode">200 or 206 (anything else ends the download before this call).</param>
        /// <param name="rangeStart">First byte of the body within the whole file (0 for a 200).</param>
        /// <param name="contentLength">Bytes in this body, -1 if unknown.</param>
        /// <returns>false to abort (for example: the server ignored the Range).</returns>
        bool OnStart(int statusCode, long rangeStart, long contentLength);

        /// <summary>The next <paramref name="count"/> bytes of the body are in <paramref name="buffer"/>.</summary>
        /// <returns>false to abort.</returns>
        bool OnChunk(byte[] buffer, int count);
    }

    /// <summary>How a download ended.</summary>
    public enum HttpDownloadStatus
    {
        /// <summary>The whole body arrived.</summary>
        Completed = 0,
        /// <summary>The server answered with a status other than 200/206 (see the status code).</summary>
        HttpError = 1,
        /// <summary>Connection, TLS or read failure; what arrived before it was delivered to the sink.</summary>
        NetworkError = 2,
        /// <summary>The sink returned false.</summary>
        Aborted = 3,
    }

    /// <summary>The result of <see cref="IHttpDownloader.Download"/>.</summary>
    public sealed class HttpDownloadResult
    {
        /// <summary>Creates a result.</summary>
        public HttpDownloadResult(HttpDownloadStatus status, int statusCode, long bytesReceived, string detail)
        {
            Status = status;
            StatusCode = statusCode;
            BytesReceived = bytesReceived;
            Detail = detail;
        }

        /// <summary>How it ended.</summary>
        public HttpDownloadStatus Status { get; private set; }

        /// <summary>HTTP status code, 0 when none was received.</summary>
        public int StatusCode { get; private set; }

        /// <summary>Body bytes handed to the sink.</summary>
        public long BytesReceived { get; private set; }

        /// <summary>Detail without secrets (URL query strings are not included).</summary>
        public string Detail { get; private set; }
    }
}
