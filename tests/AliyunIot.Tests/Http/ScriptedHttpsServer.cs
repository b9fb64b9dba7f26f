using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AliyunIot.Tests.Http
{
    /// <summary>
    /// A real TLS server on 127.0.0.1 that answers every request with exactly the bytes a test gives it — for what
    /// Kestrel will not send on demand: a chunked body in chosen chunks, headers over the client's limits, a server
    /// that ignores Range, one that stalls mid-body. After the bytes it either closes the connection or keeps it
    /// open without sending anything until the client leaves or the server is disposed.
    /// </summary>
    internal sealed class ScriptedHttpsServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly X509Certificate2 _certificate;
        private readonly byte[] _response;
        private readonly bool _stallAfterResponse;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private readonly List<string> _requests = new();

        public ScriptedHttpsServer(X509Certificate2 certificate, byte[] response, bool stallAfterResponse = false)
        {
            _certificate = certificate;
            _response = response;
            _stallAfterResponse = stallAfterResponse;
            _listener.Start();
            _thread = new Thread(Serve) { IsBackground = true, Name = "ScriptedHttpsServer" };
            _thread.Start();
        }

        public ScriptedHttpsServer(X509Certificate2 certificate, string response, bool stallAfterResponse = false)
            : this(certificate, Encoding.ASCII.GetBytes(response), stallAfterResponse)
        {
        }

        /// <summary><c>https://localhost:{port}</c>.</summary>
        public string BaseUrl => "https://localhost:" + ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>The request heads received so far.</summary>
        public string[] Requests
        {
            get
            {
                lock (_requests)
                {
                    return _requests.ToArray();
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _thread.Join(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }

        private void Serve()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = _listener.AcceptTcpClient();
                }
                catch (SocketException)
                {
                    return; // stopped
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                using (client)
                {
                    try
                    {
                        Answer(client);
                    }
                    catch (IOException)
                    {
                        // The client went away (timeout tests close their side first).
                    }
                    catch (AuthenticationException)
                    {
                        // The client refused the certificate (wrong-CA tests).
                    }
                }
            }
        }

        private void Answer(TcpClient client)
        {
            using var tls = new SslStream(client.GetStream(), false);
            tls.AuthenticateAsServer(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                EnabledSslProtocols = SslProtocols.Tls12,
            });
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (tls.Read(one, 0, 1) == 0)
                {
                    return;
                }

                head.Append((char)one[0]);
            }

            lock (_requests)
            {
                _requests.Add(head.ToString());
            }

            tls.Write(_response);
            tls.Flush();
            if (_stallAfterResponse)
            {
                // Keep the connection open and silent: the client's read timeout must end the transfer. Reading
                // returns when the client closes its side.
                client.ReceiveTimeout = 0;
                try
                {
                    while (!_stop.IsCancellationRequested && tls.Read(one, 0, 1) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                    // The client closed.
                }
            }
        }
    }
}
