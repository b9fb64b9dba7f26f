using AliyunIot.Http;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Http
{
    /// <summary>
    /// Host <see cref="IHttpDownloader"/>: the device's own HTTP client (<see cref="HttpsDownloader"/>, portable core)
    /// over <see cref="TlsConnectionOpener"/>, so every host test of OTA and remote config runs the device's HTTP code
    /// against a real HTTPS server. Trusts only the given CA PEM; never throws for network or HTTP failures.
    /// </summary>
    public sealed class HttpDownloader : IHttpDownloader
    {
        private readonly HttpsDownloader _client;

        /// <summary>Creates a downloader.</summary>
        /// <param name="timeoutMs">Limit for connecting, for the response headers and for each wait for more of the body.</param>
        public HttpDownloader(int timeoutMs = 30000)
        {
            _client = new HttpsDownloader(new TlsConnectionOpener(), timeoutMs, timeoutMs);
        }

        /// <inheritdoc />
        public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
            => _client.Download(url, offset, buffer, caCertificatesPem, sink);
    }
}
