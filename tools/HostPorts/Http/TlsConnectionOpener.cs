using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Http
{
    /// <summary>
    /// Host <see cref="ISecureConnectionOpener"/>: TcpClient + SslStream, TLS 1.2 like the device, the server
    /// certificate checked against the given PEM roots only (<see cref="HttpsTrust"/>), connect and handshake bounded
    /// by the connect timeout, each read by the read timeout. Lets the host run the device's HTTP client
    /// (AliyunIot.Http) against real HTTPS servers.
    /// </summary>
    public sealed class TlsConnectionOpener : ISecureConnectionOpener
    {
        /// <inheritdoc />
        public ISecureConnection Open(string host, int port, string caCertificatesPem, int connectTimeoutMs, int readTimeoutMs)
        {
            RemoteCertificateValidationCallback trust = HttpsTrust.Only(caCertificatesPem);
            var client = new TcpClient();
            try
            {
                using (var connectTimeout = new CancellationTokenSource(connectTimeoutMs))
                {
                    client.ConnectAsync(host, port, connectTimeout.Token).AsTask().GetAwaiter().GetResult();
                }

                client.NoDelay = true;

                // The handshake's reads and writes are bounded by the socket timeouts: the connect limit first.
                client.ReceiveTimeout = connectTimeoutMs;
                client.SendTimeout = connectTimeoutMs;
                var tls = new SslStream(client.GetStream(), false);
                tls.AuthenticateAsClient(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    EnabledSslProtocols = SslProtocols.Tls12,
                    RemoteCertificateValidationCallback = trust,
                });
                client.ReceiveTimeout = readTimeoutMs;
                client.SendTimeout = readTimeoutMs;
                return new TlsConnection(client, tls);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        /// <inheritdoc />
        public string Describe(Exception failure)
        {
            for (Exception e = failure; e != null; e = e.InnerException)
            {
                if (e is SocketException socket)
                {
                    return socket.SocketErrorCode switch
                    {
                        SocketError.TimedOut => "timed out",
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.ConnectionReset => "connection reset",
                        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "name resolution failure",
                        _ => "socket error " + socket.SocketErrorCode,
                    };
                }

                if (e is OperationCanceledException)
                {
                    return "connect timeout";
                }

                if (e is AuthenticationException)
                {
                    // "The remote certificate is invalid according to the validation procedure: ..." names no secret.
                    return "TLS handshake failed, certificate not trusted or TLS refused (" + e.Message + ")";
                }

                if (e is ArgumentException || e is System.Security.Cryptography.CryptographicException)
                {
                    // Thrown by HttpsTrust.Only for a PEM without a usable certificate.
                    return "CA certificates unusable (" + e.GetType().Name + ")";
                }
            }

            return failure.GetType().Name;
        }

        private sealed class TlsConnection : ISecureConnection
        {
            private readonly TcpClient _client;
            private readonly SslStream _tls;

            public TlsConnection(TcpClient client, SslStream tls)
            {
                _client = client;
                _tls = tls;
            }

            public int Read(byte[] buffer, int offset, int count) => _tls.Read(buffer, offset, count);

            public void Write(byte[] buffer, int offset, int count)
            {
                _tls.Write(buffer, offset, count);
                _tls.Flush();
            }

            public void Dispose()
            {
                _tls.Dispose();
                _client.Dispose();
            }
        }
    }
}
