using AliyunIot.Http;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Http
{
    /// <summary>
    /// Host <see cref="IHttpPoster"/>: the device's own HTTP client (<see cref="HttpsPoster"/>, portable core) over
    /// <see cref="TlsConnectionOpener"/>. The server certificate must chain to one of the roots in the given PEM
    /// (<see cref="HttpsTrust"/>: the operating system's roots are not consulted), like the device, which trusts only
    /// the bundle it carries. Never throws for network, TLS or HTTP failures.
    /// </summary>
    public sealed class HttpPoster : IHttpPoster
    {
        private readonly HttpsPoster _client = new(new TlsConnectionOpener());

        /// <inheritdoc />
        public HttpPostResult Post(string url, string contentType, string body, string caCertificatesPem, int timeoutMs)
            => _client.Post(url, contentType, body, caCertificatesPem, timeoutMs);
    }
}
