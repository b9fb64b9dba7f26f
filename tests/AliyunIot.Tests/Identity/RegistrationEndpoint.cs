using System.Security.Cryptography.X509Certificates;
using AliyunIot.TestBroker;
using AliyunIot.TestBroker.Https;

namespace AliyunIot.Tests.Identity
{
    /// <summary>
    /// The platform's HTTPS registration service, played by the shared <see cref="HttpsTestServer"/> (real TLS from a
    /// throwaway CA): every POST is recorded with its body and answered by <see cref="Handler"/>.
    /// </summary>
    internal sealed class RegistrationEndpoint : IDisposable
    {
        private static readonly Lazy<(TestCa Ca, X509Certificate2 Server)>[] Authorities =
        {
            new Lazy<(TestCa, X509Certificate2)>(() => Issue("Identity Test CA")),
            new Lazy<(TestCa, X509Certificate2)>(() => Issue("Identity Other CA")),
        };

        private readonly HttpsTestServer _server;

        /// <summary>Starts the endpoint; <paramref name="otherCa"/> serves a certificate of an unrelated CA.</summary>
        public RegistrationEndpoint(Func<string, string, (int Status, string Body)> handler, bool otherCa = false)
        {
            Handler = handler;
            var (ca, certificate) = Authorities[otherCa ? 1 : 0].Value;
            CaCertificatePem = ca.CertificatePem;
            _server = HttpsTestServer.Start(certificate);
            _server.MapPost("/auth/register/device", request =>
            {
                lock (Requests)
                {
                    Requests.Add((request.Path, request.ContentType, request.Body));
                }

                var (status, body) = Handler(request.Path, request.Body);
                return new HttpsResponse(status, "application/json", body ?? string.Empty);
            });
        }

        public Func<string, string, (int Status, string Body)> Handler { get; set; }

        public string CaCertificatePem { get; }

        public List<(string Path, string ContentType, string Body)> Requests { get; } = new();

        public string Url(string path) => _server.BaseUrl + path;

        public void Dispose() => _server.Dispose();

        private static (TestCa, X509Certificate2) Issue(string name)
        {
            var ca = new TestCa(name);
            return (ca, ca.IssueServerCertificate("localhost", "127.0.0.1"));
        }
    }
}
