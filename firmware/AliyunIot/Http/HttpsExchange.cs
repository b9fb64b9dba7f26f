using System;
using AliyunIot.Ports;

namespace AliyunIot.Http
{
    /// <summary>
    /// One request and its response over a fresh TLS connection: open, send, read the head; remembers which step it
    /// is in so that a failure says where it happened. Shared by <see cref="HttpsDownloader"/> and <see cref="HttpsPoster"/>.
    /// </summary>
    internal sealed class HttpsExchange : IDisposable
    {
        private readonly ISecureConnectionOpener _opener;
        private readonly HttpsUrl _url;
        private ISecureConnection _connection;
        private string _step;

        public HttpsExchange(ISecureConnectionOpener opener, HttpsUrl url)
        {
            _opener = opener;
            _url = url;
            _step = "connecting";
        }

        /// <summary>The response, once <see cref="Start"/> returned.</summary>
        public HttpResponseReader Response { get; private set; }

        /// <summary>Connects, sends <paramref name="request"/> and reads the response head.</summary>
        /// <returns>false when the head is missing or malformed (<see cref="HttpResponseReader.Error"/>).</returns>
        /// <exception cref="Exception">Connection failures, to be named with <see cref="Failure"/>.</exception>
        public bool Start(byte[] request, string caCertificatesPem, int connectTimeoutMs, int readTimeoutMs, byte[] buffer)
        {
            _step = "connecting to " + _url.HostHeader;
            _connection = _opener.Open(_url.Host, _url.Port, caCertificatesPem, connectTimeoutMs, readTimeoutMs);
            _step = "sending the request";
            _connection.Write(request, 0, request.Length);
            _step = "waiting for the response";
            Response = new HttpResponseReader(_connection, buffer);
            bool head = Response.ReadHead();
            _step = "reading the body";
            return head;
        }

        /// <summary>What failed, where, without the URL's query.</summary>
        public string Failure(Exception failure)
        {
            string what;
            try
            {
                what = _opener.Describe(failure);
            }
            catch (Exception)
            {
                what = failure.GetType().Name;
            }

            return _step + " failed: " + what + " (" + _url.Redacted + ")";
        }

        /// <summary>What is wrong with the response, where.</summary>
        public string ProtocolFailure()
        {
            return Response.Error + " (" + _url.Redacted + ")";
        }

        /// <summary>Closes the connection; a broken one may throw while closing, which changes nothing.</summary>
        public void Dispose()
        {
            if (_connection == null)
            {
                return;
            }

            try
            {
                _connection.Dispose();
            }
            catch (Exception)
            {
                // Nothing else holds the connection.
            }

            _connection = null;
        }
    }
}
