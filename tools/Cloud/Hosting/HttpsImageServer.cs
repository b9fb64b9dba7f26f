using AliyunIot.Cloud.Platform;
using AliyunIot.TestBroker.Https;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary><see cref="IImageServer"/> over the project's HttpsTestServer (Kestrel, Range/206, certificate from the broker's CA).</summary>
    public sealed class HttpsImageServer : IImageServer
    {
        /// <summary>Starts the server with a certificate for localhost/127.0.0.1 issued by <paramref name="ca"/>.</summary>
        public HttpsImageServer(AliyunIot.TestBroker.TestCa ca)
        {
            Server = HttpsTestServer.Start(ca.IssueServerCertificate("localhost", "127.0.0.1"));
        }

        /// <summary>The underlying server (tests inject drops and expiry).</summary>
        public HttpsTestServer Server { get; }

        /// <inheritdoc />
        public string Serve(string path, byte[] content) => Server.AddFile(path, content);

        /// <inheritdoc />
        public void Dispose() => Server.Dispose();
    }
}
