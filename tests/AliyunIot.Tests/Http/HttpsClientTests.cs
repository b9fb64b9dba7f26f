using System.Text;
using AliyunIot.HostPorts.Http;
using AliyunIot.Http;
using AliyunIot.NFUnitTest;
using AliyunIot.Ports;
using AliyunIot.TestBroker.Https;
using AliyunIot.Tests.Ota;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Http
{
    /// <summary>
    /// The device's HTTP client (AliyunIot.Http, the same code the ESP32 runs) over real TLS connections
    /// (<see cref="TlsConnectionOpener"/>) to real HTTPS servers: Kestrel (<see cref="HttpsTestServer"/>) for files,
    /// ranges, drops, 403/404 and POST, and <see cref="ScriptedHttpsServer"/> for exact bytes Kestrel will not send.
    /// </summary>
    public sealed class HttpsClientTests : IDisposable
    {
        private const string Secret = "Signature=s3cretSig";
        private readonly HttpsTestServer _server = HttpsTestServer.Start(OtaTestCa.Shared.ServerCertificate);
        private readonly byte[] _content = new byte[50_000];

        public HttpsClientTests() => new Random(12).NextBytes(_content);

        public void Dispose() => _server.Dispose();

        private static HttpsDownloader Client(int readTimeoutMs = 10_000) => new(new TlsConnectionOpener(), 10_000, readTimeoutMs);

        private static HttpDownloadResult Get(HttpsDownloader client, string url, long offset, RecordingSink sink)
            => client.Download(url, offset, new byte[1024], OtaTestCa.Shared.CertificatePem, sink);

        [Fact]
        public void Status_200_with_content_length_delivers_the_file()
        {
            string url = _server.AddFile("/a.img", _content, "?Expires=1&" + Secret);
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(), url, 0, sink);
            Assert.Equal(HttpDownloadStatus.Completed, result.Status);
            Assert.Equal((200, 0L, (long)_content.Length), (sink.StatusCode, sink.RangeStart, sink.ContentLength));
            Assert.Equal(_content, sink.Bytes);
            Assert.Equal(_content.Length, result.BytesReceived);
            Assert.Equal("?Expires=1&" + Secret, _server.Requests.Single().Query);
            SecretAssert.NotIn("s3cretSig", result.Detail, "the result's Detail");
        }

        [Fact]
        public void Status_206_resumes_at_the_offset_from_content_range()
        {
            string url = _server.AddFile("/a.img", _content);
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(), url, 30_000, sink);
            Assert.Equal(HttpDownloadStatus.Completed, result.Status);
            Assert.Equal((206, 30_000L, 20_000L), (sink.StatusCode, sink.RangeStart, sink.ContentLength));
            Assert.Equal(_content.AsSpan(30_000).ToArray(), sink.Bytes);
            Assert.Equal("bytes=30000-", _server.Requests.Single().Range);
        }

        [Fact]
        public void A_server_ignoring_range_answers_200_and_the_sink_is_told_the_body_starts_at_0()
        {
            using var server = new ScriptedHttpsServer(OtaTestCa.Shared.ServerCertificate, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nabcdef");
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(), server.BaseUrl + "/f", 3, sink);
            Assert.Equal(HttpDownloadStatus.Completed, result.Status);
            Assert.Equal((200, 0L, 6L), (sink.StatusCode, sink.RangeStart, sink.ContentLength));
            Assert.Equal("abcdef", Encoding.ASCII.GetString(sink.Bytes));
            Assert.Contains("\r\nRange: bytes=3-\r\n", server.Requests.Single());
        }

        [Fact]
        public void Chunked_body_is_delivered_without_the_framing()
        {
            using var server = new ScriptedHttpsServer(OtaTestCa.Shared.ServerCertificate,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10;x=y\r\n0123456789abcdef\r\n1\r\nZ\r\n0\r\n\r\n");
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(), server.BaseUrl + "/f", 0, sink);
            Assert.Equal(HttpDownloadStatus.Completed, result.Status);
            Assert.Equal(-1L, sink.ContentLength);
            Assert.Equal("abc0123456789abcdefZ", Encoding.ASCII.GetString(sink.Bytes));
        }

        [Fact]
        public void Not_found_is_an_http_error_404_and_nothing_is_written()
        {
            string url = _server.AddFile("/a.img", _content);
            _server.RemoveFile("/a.img");
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(), url, 0, sink);
            Assert.Equal(HttpDownloadStatus.HttpError, result.Status);
            Assert.Equal(404, result.StatusCode);
            Assert.False(sink.Started);
            Assert.Empty(sink.Bytes);
        }

        [Fact]
        public void Expired_url_is_an_http_error_403_nothing_written_and_no_signature_in_the_detail()
        {
            string url = _server.AddFile("/a.img", _content, "?" + Secret);
            _server.Expire("/a.img");
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(), url, 0, sink);
            Assert.Equal(HttpDownloadStatus.HttpError, result.Status);
            Assert.Equal(403, result.StatusCode);
            Assert.False(sink.Started);
            Assert.Empty(sink.Bytes);
            Assert.Contains("HTTP 403", result.Detail);
            SecretAssert.NotIn("s3cretSig", result.Detail, "the result's Detail");
        }

        [Fact]
        public void Server_closing_mid_body_is_a_network_error_with_the_bytes_received()
        {
            // A clean close (FIN) after 40 of 100 bytes. The reset variant (Kestrel aborting the connection) is in
            // Ota/HttpDownloaderTests; it cannot pin the byte count, because a reset may discard unread bytes.
            using var server = new ScriptedHttpsServer(OtaTestCa.Shared.ServerCertificate,
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + new string('b', 40));
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(), server.BaseUrl + "/f?" + Secret, 0, sink);
            Assert.Equal(HttpDownloadStatus.NetworkError, result.Status);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal(40, result.BytesReceived);
            Assert.Equal(new string('b', 40), Encoding.ASCII.GetString(sink.Bytes));
            Assert.StartsWith("the connection closed after 40 of 100 bytes", result.Detail);
            SecretAssert.NotIn("s3cretSig", result.Detail, "the result's Detail");
        }

        [Fact]
        public void A_stalled_server_ends_in_a_read_timeout_network_error()
        {
            // The head and 10 bytes go out at once, then nothing. The read timeout is generous so that a loaded machine
            // still delivers those first bytes in time; the assertion is the outcome, not how long it took.
            using var server = new ScriptedHttpsServer(OtaTestCa.Shared.ServerCertificate,
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", stallAfterResponse: true);
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(readTimeoutMs: 2000), server.BaseUrl + "/f", 0, sink);
            Assert.Equal(HttpDownloadStatus.NetworkError, result.Status);
            Assert.Equal(10, result.BytesReceived);
            Assert.Equal("0123456789", Encoding.ASCII.GetString(sink.Bytes));
            Assert.Contains("reading the body failed: timed out", result.Detail);
        }

        [Fact]
        public void Headers_over_the_line_limit_are_a_clear_error()
        {
            using var server = new ScriptedHttpsServer(OtaTestCa.Shared.ServerCertificate,
                "HTTP/1.1 200 OK\r\nX-Big: " + new string('x', 5000) + "\r\nContent-Length: 1\r\n\r\nA");
            var sink = new RecordingSink();
            HttpDownloadResult result = Get(Client(), server.BaseUrl + "/f", 0, sink);
            Assert.Equal(HttpDownloadStatus.NetworkError, result.Status);
            Assert.False(sink.Started);
            Assert.StartsWith("a header line is longer than 1024 bytes", result.Detail);
        }

        [Fact]
        public void Headers_over_the_count_limit_are_a_clear_error()
        {
            var head = new StringBuilder("HTTP/1.1 200 OK\r\n");
            for (int i = 0; i <= HttpResponseReader.DefaultMaxHeaderCount; i++)
            {
                head.Append("X-H").Append(i).Append(": v\r\n");
            }

            using var server = new ScriptedHttpsServer(OtaTestCa.Shared.ServerCertificate, head.Append("Content-Length: 1\r\n\r\nA").ToString());
            HttpDownloadResult result = Get(Client(), server.BaseUrl + "/f", 0, new RecordingSink());
            Assert.Equal(HttpDownloadStatus.NetworkError, result.Status);
            Assert.StartsWith("the response has more than 64 header lines", result.Detail);
        }

        [Fact]
        public void A_server_not_signed_by_the_given_ca_is_a_tls_failure_with_a_clear_detail()
        {
            string url = _server.AddFile("/a.img", _content, "?" + Secret);
            string otherCa = File.ReadAllText(HttpDownloaderTests.FindRepoFile("firmware/AliyunIot/Resources/aliyun-ca-bundle.pem"));
            var sink = new RecordingSink();
            HttpDownloadResult result = Client().Download(url, 0, new byte[1024], otherCa, sink);
            Assert.Equal(HttpDownloadStatus.NetworkError, result.Status);
            Assert.Equal(0, result.StatusCode);
            Assert.False(sink.Started);
            Assert.StartsWith("connecting to localhost:" + _server.Port + " failed: TLS handshake failed", result.Detail);
            SecretAssert.NotIn("s3cretSig", result.Detail, "the result's Detail");
            Assert.Empty(_server.Requests);
        }

        [Fact]
        public void Post_round_trip_for_registration()
        {
            _server.MapPost("/auth/register/device", request =>
                new HttpsResponse(200, "application/json", "{\"code\":200,\"data\":{\"echo\":\"" + request.Body + "\",\"type\":\"" + request.ContentType + "\"}}"));
            HttpPostResult result = new HttpPoster().Post(_server.BaseUrl + "/auth/register/device", "application/x-www-form-urlencoded",
                "productKey=a1&deviceName=d1&sign=x", OtaTestCa.Shared.CertificatePem, 5000);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal("{\"code\":200,\"data\":{\"echo\":\"productKey=a1&deviceName=d1&sign=x\",\"type\":\"application/x-www-form-urlencoded\"}}", result.Body);
            Assert.Equal("HTTP 200.", result.Detail);
        }

        [Fact]
        public void Post_to_an_untrusted_server_fails_with_status_0()
        {
            _server.MapPost("/p", _ => new HttpsResponse(200, "text/plain", "secret-answer"));
            string otherCa = File.ReadAllText(HttpDownloaderTests.FindRepoFile("firmware/AliyunIot/Resources/aliyun-ca-bundle.pem"));
            HttpPostResult result = new HttpPoster().Post(_server.BaseUrl + "/p", "text/plain", "x", otherCa, 5000);
            Assert.Equal(0, result.StatusCode);
            Assert.Null(result.Body);
            Assert.Contains("TLS handshake failed", result.Detail);
        }
    }
}
