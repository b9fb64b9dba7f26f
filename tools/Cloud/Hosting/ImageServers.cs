using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AliyunIot.Cloud.Platform;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary>Creates the cloud's HTTPS image server.</summary>
    internal static class ImageServers
    {
        /// <summary>Starts an image server with a certificate for localhost/127.0.0.1 from <paramref name="ca"/>.</summary>
        public static IImageServer Start(AliyunIot.TestBroker.TestCa ca) => new MinimalHttpsImageServer(ca.IssueServerCertificate("localhost", "127.0.0.1"));

        /// <summary>
        /// STAND-IN until the project's HttpsTestServer is available: a small HTTPS/1.1 server on 127.0.0.1 serving
        /// byte arrays by path with GET, <c>Range: bytes=a-[b]</c> (206 + Content-Range) and Content-Length.
        /// One connection per request (Connection: close).
        /// </summary>
        private sealed class MinimalHttpsImageServer : IImageServer
        {
            private readonly X509Certificate2 _certificate;
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly ConcurrentDictionary<string, byte[]> _files = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
            private readonly Thread _accept;
            private volatile bool _stopped;

            public MinimalHttpsImageServer(X509Certificate2 certificate)
            {
                _certificate = certificate;
                _listener.Start();
                Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
                _accept = new Thread(Accept) { IsBackground = true, Name = "cloud-https" };
                _accept.Start();
            }

            public int Port { get; }

            public string Serve(string path, byte[] content)
            {
                _files[path] = content;
                return $"https://localhost:{Port}{path}";
            }

            public void Dispose()
            {
                _stopped = true;
                _listener.Stop();
                _accept.Join(2000);
            }

            private void Accept()
            {
                while (!_stopped)
                {
                    TcpClient client;
                    try
                    {
                        client = _listener.AcceptTcpClient();
                    }
                    catch (SocketException)
                    {
                        return;
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }

                    ThreadPool.QueueUserWorkItem(_ => Answer(client));
                }
            }

            private void Answer(TcpClient client)
            {
                using (client)
                {
                    try
                    {
                        using var tls = new SslStream(client.GetStream());
                        tls.AuthenticateAsServer(_certificate, false, System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13, false);
                        string[] head = ReadHead(tls);
                        string[] request = head.Length > 0 ? head[0].Split(' ') : Array.Empty<string>();
                        if (request.Length < 2 || request[0] != "GET")
                        {
                            Write(tls, 405, "Method Not Allowed", null, 0, 0, null);
                            return;
                        }

                        string path = request[1].Split('?')[0];
                        if (!_files.TryGetValue(path, out byte[] content))
                        {
                            Write(tls, 404, "Not Found", null, 0, 0, null);
                            return;
                        }

                        string range = head.Skip(1).Where(h => h.StartsWith("Range:", StringComparison.OrdinalIgnoreCase)).Select(h => h.Substring(6).Trim()).FirstOrDefault();
                        long from = 0;
                        long to = content.Length - 1;
                        if (range != null && range.StartsWith("bytes=", StringComparison.Ordinal))
                        {
                            string[] bounds = range.Substring(6).Split('-');
                            from = long.Parse(bounds[0], CultureInfo.InvariantCulture);
                            if (bounds.Length > 1 && bounds[1].Length > 0)
                            {
                                to = Math.Min(to, long.Parse(bounds[1], CultureInfo.InvariantCulture));
                            }

                            if (from > to)
                            {
                                Write(tls, 416, "Range Not Satisfiable", null, 0, 0, $"Content-Range: bytes */{content.Length}");
                                return;
                            }

                            Write(tls, 206, "Partial Content", content, from, to - from + 1, $"Content-Range: bytes {from}-{to}/{content.Length}");
                            return;
                        }

                        Write(tls, 200, "OK", content, 0, content.Length, null);
                    }
                    catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or FormatException or SocketException)
                    {
                        // A client that fails TLS (wrong CA) or drops the connection ends only its own request.
                    }
                }
            }

            private static string[] ReadHead(Stream stream)
            {
                var text = new StringBuilder();
                int b;
                while (text.Length < 8192 && (b = stream.ReadByte()) >= 0)
                {
                    text.Append((char)b);
                    if (text.Length >= 4 && text.ToString(text.Length - 4, 4) == "\r\n\r\n")
                    {
                        break;
                    }
                }

                return text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            }

            private static void Write(Stream stream, int status, string reason, byte[] content, long offset, long count, string extraHeader)
            {
                var head = new StringBuilder();
                head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
                head.Append(CultureInfo.InvariantCulture, $"Content-Length: {count}\r\n");
                head.Append("Content-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nConnection: close\r\n");
                if (extraHeader != null)
                {
                    head.Append(extraHeader).Append("\r\n");
                }

                head.Append("\r\n");
                stream.Write(Encoding.ASCII.GetBytes(head.ToString()));
                if (content != null && count > 0)
                {
                    stream.Write(content, (int)offset, (int)count);
                }

                stream.Flush();
            }
        }
    }
}
