using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AliyunIot.Tests.Identity
{
    /// <summary>
    /// A minimal real HTTPS server for the registration tests (TLS with a throwaway CA, one request per connection).
    /// Stand-in until AliyunIot.TestBroker.Https.HttpsTestServer is on main; then delete this and use that.
    /// </summary>
    internal sealed class LocalHttpsServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly X509Certificate2 _serverCertificate;
        private readonly Thread _thread;
        private volatile bool _stopping;

        private static readonly Lazy<(X509Certificate2 Server, string CaPem)>[] Material =
        {
            new Lazy<(X509Certificate2, string)>(() => CreateMaterial("Identity Test CA")),
            new Lazy<(X509Certificate2, string)>(() => CreateMaterial("Identity Other CA")),
        };

        /// <summary>Starts the server.</summary>
        /// <param name="handler">(path, body) → (status, body).</param>
        /// <param name="otherCa">Use a second, unrelated CA (for "untrusted server" tests).</param>
        public LocalHttpsServer(Func<string, string, (int Status, string Body)> handler, bool otherCa = false)
        {
            Handler = handler;
            (_serverCertificate, CaCertificatePem) = Material[otherCa ? 1 : 0].Value;

            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _thread = new Thread(Serve) { IsBackground = true, Name = "LocalHttpsServer" };
            _thread.Start();
        }

        public Func<string, string, (int Status, string Body)> Handler { get; set; }

        public string CaCertificatePem { get; }

        public int Port { get; }

        public string Url(string path) => "https://127.0.0.1:" + Port + path;

        public List<(string Path, string ContentType, string Body)> Requests { get; } = new();

        // ECDSA keys: fast to make, so every test run gets its own throwaway CA.
        private static (X509Certificate2, string) CreateMaterial(string caName)
        {
            using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=" + caName, caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

            using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            serverRequest.CertificateExtensions.Add(names.Build());
            serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            using X509Certificate2 signed = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
            using X509Certificate2 withKey = signed.CopyWithPrivateKey(serverKey);
            return (X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null), ca.ExportCertificatePem());
        }

        private void Serve()
        {
            while (!_stopping)
            {
                TcpClient client;
                try
                {
                    client = _listener.AcceptTcpClient();
                }
                catch (Exception)
                {
                    return;
                }

                try
                {
                    using (client)
                    using (var tls = new SslStream(client.GetStream()))
                    {
                        tls.ReadTimeout = 5000;
                        tls.AuthenticateAsServer(_serverCertificate);
                        HandleOne(tls);
                    }
                }
                catch (Exception)
                {
                    // A client that refuses our certificate ends here; that is a test outcome, not a server fault.
                }
            }
        }

        private void HandleOne(SslStream tls)
        {
            var head = new StringBuilder();
            int b;
            while ((b = tls.ReadByte()) >= 0)
            {
                head.Append((char)b);
                if (head.Length >= 4 && head.ToString(head.Length - 4, 4) == "\r\n\r\n")
                {
                    break;
                }
            }

            string[] lines = head.ToString().Split("\r\n");
            string path = lines[0].Split(' ')[1];
            int length = 0;
            string contentType = null;
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    continue;
                }

                string name = line.Substring(0, colon).Trim().ToLowerInvariant();
                string value = line.Substring(colon + 1).Trim();
                if (name == "content-length")
                {
                    length = int.Parse(value);
                }
                else if (name == "content-type")
                {
                    contentType = value;
                }
            }

            byte[] body = new byte[length];
            int read = 0;
            while (read < length)
            {
                int n = tls.Read(body, read, length - read);
                if (n <= 0)
                {
                    break;
                }

                read += n;
            }

            string text = Encoding.UTF8.GetString(body, 0, read);
            lock (Requests)
            {
                Requests.Add((path, contentType, text));
            }

            var (status, responseBody) = Handler(path, text);
            byte[] payload = Encoding.UTF8.GetBytes(responseBody ?? string.Empty);
            string header = "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + payload.Length + "\r\nConnection: close\r\n\r\n";
            tls.Write(Encoding.ASCII.GetBytes(header));
            tls.Write(payload);
            tls.Flush();
        }

        public void Dispose()
        {
            _stopping = true;
            _listener.Stop();
            _thread.Join(5000);
        }
    }
}
