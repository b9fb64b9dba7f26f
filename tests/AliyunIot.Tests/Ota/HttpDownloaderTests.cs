using Xunit;
using System.Text;
using AliyunIot.HostPorts.Http;
using AliyunIot.Ports;
using AliyunIot.TestBroker.Https;

namespace AliyunIot.Tests.Ota
{
    /// <summary>The host downloader against the real HTTPS test server (Kestrel, TLS from the test CA).</summary>
    public sealed class HttpDownloaderTests : IDisposable
    {
        private readonly HttpsTestServer _server = HttpsTestServer.Start(OtaTestCa.Shared.ServerCertificate);
        private readonly HttpDownloader _downloader = new(10000);
        private readonly byte[] _content = new byte[100_000];

        public HttpDownloaderTests() => new Random(7).NextBytes(_content);

        public void Dispose() => _server.Dispose();

        [Fact]
        public void Downloads_the_whole_body_through_the_one_buffer()
        {
            string url = _server.AddFile("/f.img", _content, "?Expires=1&Signature=secret");
            var sink = new CollectingSink();
            var result = _downloader.Download(url, 0, new byte[4096], OtaTestCa.Shared.CertificatePem, sink);
            Assert.Equal(HttpDownloadStatus.Completed, result.Status);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal((200, 0L, (long)_content.Length), sink.Start);
            Assert.Equal(_content, sink.Bytes.ToArray());
            Assert.All(sink.ChunkSizes, size => Assert.InRange(size, 1, 4096));
            Assert.Null(_server.Requests.Single().Range);
        }

        [Fact]
        public void Offset_sends_a_range_and_reports_where_the_body_starts()
        {
            string url = _server.AddFile("/f.img", _content);
            var sink = new CollectingSink();
            var result = _downloader.Download(url, 60_000, new byte[4096], OtaTestCa.Shared.CertificatePem, sink);
            Assert.Equal(HttpDownloadStatus.Completed, result.Status);
            Assert.Equal((206, 60_000L, 40_000L), sink.Start);
            Assert.Equal(_content.AsSpan(60_000).ToArray(), sink.Bytes.ToArray());
            Assert.Equal("bytes=60000-", _server.Requests.Single().Range);
        }

        [Fact]
        public void Dropped_connection_is_a_network_error_after_delivering_what_arrived()
        {
            string url = _server.AddFile("/f.img", _content);
            _server.DropConnectionAt("/f.img", 50_001);
            var sink = new CollectingSink();
            var result = _downloader.Download(url, 0, new byte[4096], OtaTestCa.Shared.CertificatePem, sink);
            Assert.Equal(HttpDownloadStatus.NetworkError, result.Status);
            Assert.Equal(sink.Bytes.Length, result.BytesReceived);
            Assert.True(sink.Bytes.Length <= 50_001);
            Assert.Equal(_content.AsSpan(0, (int)sink.Bytes.Length).ToArray(), sink.Bytes.ToArray());
            Assert.DoesNotContain("Signature", result.Detail);
        }

        [Fact]
        public void Expired_url_is_an_http_error_403_without_the_query_in_the_detail()
        {
            string url = _server.AddFile("/f.img", _content, "?Signature=abc");
            _server.Expire("/f.img");
            var result = _downloader.Download(url, 0, new byte[4096], OtaTestCa.Shared.CertificatePem, new CollectingSink());
            Assert.Equal(HttpDownloadStatus.HttpError, result.Status);
            Assert.Equal(403, result.StatusCode);
            Assert.DoesNotContain("Signature", result.Detail);
        }

        [Fact]
        public void Server_not_signed_by_the_given_ca_is_refused()
        {
            string url = _server.AddFile("/f.img", _content);
            string otherCa = File.ReadAllText(FindRepoFile("firmware/AliyunIot/Resources/aliyun-ca-bundle.pem"));
            var sink = new CollectingSink();
            var result = _downloader.Download(url, 0, new byte[4096], otherCa, sink);
            Assert.Equal(HttpDownloadStatus.NetworkError, result.Status);
            Assert.Null(sink.Start);
        }

        [Fact]
        public void Sink_can_abort_for_example_when_the_range_was_ignored()
        {
            string url = _server.AddFile("/f.img", _content);
            var sink = new CollectingSink { AcceptStart = false };
            var result = _downloader.Download(url, 10, new byte[4096], OtaTestCa.Shared.CertificatePem, sink);
            Assert.Equal(HttpDownloadStatus.Aborted, result.Status);
        }

        [Fact]
        public void Post_routes_reach_their_handler()
        {
            _server.MapPost("/auth/register/device", request =>
                new HttpsResponse(200, "application/json", "{\"echo\":\"" + request.Body + "\",\"type\":\"" + request.ContentType + "\"}"));
            using var client = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = HttpsTrust.Only(OtaTestCa.Shared.CertificatePem) },
            });
            var response = client.PostAsync(_server.BaseUrl + "/auth/register/device",
                new StringContent("a=1", Encoding.UTF8, "application/x-www-form-urlencoded")).GetAwaiter().GetResult();
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("{\"echo\":\"a=1\",\"type\":\"application/x-www-form-urlencoded; charset=utf-8\"}",
                response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        }

        internal static string FindRepoFile(string relative)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException(relative);
        }

        private sealed class CollectingSink : IDownloadSink
        {
            public bool AcceptStart { get; set; } = true;

            public (int, long, long)? Start { get; private set; }

            public MemoryStream Bytes { get; } = new();

            public List<int> ChunkSizes { get; } = new();

            public bool OnStart(int statusCode, long rangeStart, long contentLength)
            {
                Start = (statusCode, rangeStart, contentLength);
                return AcceptStart;
            }

            public bool OnChunk(byte[] buffer, int count)
            {
                ChunkSizes.Add(count);
                Bytes.Write(buffer, 0, count);
                return true;
            }
        }
    }
}
