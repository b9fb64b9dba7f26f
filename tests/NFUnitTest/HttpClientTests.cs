using System;
using System.IO;
using System.Text;
using AliyunIot.Http;
using AliyunIot.Ports;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The core's HTTP/1.1 client on the device's runtime, over scripted connections: the exact request bytes, a
    /// Content-Length body read one byte per Read, a chunked body, a 206 resume, HTTP errors that reach no sink,
    /// limits on header lines, a body cut short, a read timeout, and the registration POST.
    /// </summary>
    [TestClass]
    public class HttpClientTests
    {
        private const string Ca = "-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n";

        [TestMethod]
        public void Get_request_has_the_documented_bytes()
        {
            string error;
            HttpsUrl url = HttpsUrl.Parse("https://ota.example.com/fw/app.img?Expires=1&Signature=s3cret", out error);

            Assert.AreEqual(
                "GET /fw/app.img?Expires=1&Signature=s3cret HTTP/1.1\r\nHost: ota.example.com\r\nUser-Agent: AliyunIot-nanoFramework/1.0\r\nRange: bytes=4096-\r\nConnection: close\r\n\r\n",
                Ascii(HttpRequestWriter.Get(url, 4096)),
                "GET with Range");
            Assert.AreEqual(
                "GET /fw/app.img?Expires=1&Signature=s3cret HTTP/1.1\r\nHost: ota.example.com\r\nUser-Agent: AliyunIot-nanoFramework/1.0\r\nConnection: close\r\n\r\n",
                Ascii(HttpRequestWriter.Get(url, 0)),
                "GET from the start has no Range");
            Assert.AreEqual("https://ota.example.com/fw/app.img", url.Redacted, "redacted URL has no query");
        }

        [TestMethod]
        public void Post_request_has_the_documented_bytes()
        {
            string error;
            HttpsUrl url = HttpsUrl.Parse("https://iot-auth.example.com:8443/auth/register/device", out error);

            Assert.AreEqual(
                "POST /auth/register/device HTTP/1.1\r\nHost: iot-auth.example.com:8443\r\nUser-Agent: AliyunIot-nanoFramework/1.0\r\n"
                + "Accept: text/xml,text/javascript,text/html,application/json\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\nConnection: close\r\n\r\na=1&b=2",
                Ascii(HttpRequestWriter.Post(url, "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("a=1&b=2"))),
                "POST");
        }

        [TestMethod]
        public void Url_parsing_takes_host_port_and_target_and_refuses_what_is_not_https()
        {
            string error;
            HttpsUrl url = HttpsUrl.Parse("HTTPS://Example.com:4443?x=1#frag", out error);
            Assert.IsNotNull(url, "parsed");
            Assert.AreEqual("Example.com", url.Host, "host");
            Assert.AreEqual(4443, url.Port, "port");
            Assert.AreEqual("/?x=1", url.PathAndQuery, "target");

            Assert.IsNull(HttpsUrl.Parse("http://example.com/a", out error), "plain http refused");
            Assert.AreEqual("not an https:// URL", error, "why");
            Assert.IsNull(HttpsUrl.Parse("https://example.com:99999/a", out error), "bad port refused");
            Assert.IsNull(HttpsUrl.Parse("https://user:pw@example.com/a", out error), "user info refused");
            Assert.IsNull(HttpsUrl.Parse("https://example.com/a b", out error), "space refused");
        }

        [TestMethod]
        public void Content_length_body_read_one_byte_per_read_arrives_whole()
        {
            ScriptedConnection connection = new ScriptedConnection(Ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Type: application/octet-stream\r\n\r\n0123456789"));
            connection.ReadSizes = new int[] { 1 };
            ScriptedOpener opener = new ScriptedOpener(connection);
            RecordingSink sink = new RecordingSink();

            HttpDownloadResult result = new HttpsDownloader(opener, 1000, 2000).Download("https://h.example/f?sig=1", 0, new byte[4], Ca, sink);

            Assert.AreEqual((int)HttpDownloadStatus.Completed, (int)result.Status, "status " + result.Detail);
            Assert.AreEqual(200, result.StatusCode, "HTTP status");
            Assert.AreEqual(10L, result.BytesReceived, "bytes");
            Assert.AreEqual("0123456789", Ascii(sink.Bytes), "body");
            Assert.AreEqual(0L, sink.RangeStart, "range start of a 200");
            Assert.AreEqual(10L, sink.ContentLength, "content length");
            Assert.AreEqual("h.example:443", opener.Opened, "connected to");
            Assert.AreEqual(2000, opener.ReadTimeoutMs, "read timeout passed on");
            Assert.IsTrue(connection.Disposed, "connection closed");
        }

        [TestMethod]
        public void Chunked_body_is_decoded()
        {
            ScriptedConnection connection = new ScriptedConnection(Ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n"));
            RecordingSink sink = new RecordingSink();

            HttpDownloadResult result = new HttpsDownloader(new ScriptedOpener(connection), 1000, 1000).Download("https://h.example/f", 0, new byte[8], Ca, sink);

            Assert.AreEqual((int)HttpDownloadStatus.Completed, (int)result.Status, "status " + result.Detail);
            Assert.AreEqual("Wikipedia in\r\n\r\nchunks.", Ascii(sink.Bytes), "body");
            Assert.AreEqual(-1L, sink.ContentLength, "length unknown");
        }

        [TestMethod]
        public void Resume_reports_where_the_partial_body_starts()
        {
            ScriptedConnection connection = new ScriptedConnection(Ascii("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 6-9/10\r\nContent-Length: 4\r\n\r\n6789"));
            RecordingSink sink = new RecordingSink();

            HttpDownloadResult result = new HttpsDownloader(new ScriptedOpener(connection), 1000, 1000).Download("https://h.example/f", 6, new byte[16], Ca, sink);

            Assert.AreEqual((int)HttpDownloadStatus.Completed, (int)result.Status, "status " + result.Detail);
            Assert.AreEqual(206, sink.StatusCode, "206");
            Assert.AreEqual(6L, sink.RangeStart, "range start");
            Assert.AreEqual("6789", Ascii(sink.Bytes), "body");
            Assert.Contains("Range: bytes=6-\r\n", Ascii(connection.Written), "Range sent");
        }

        [TestMethod]
        public void Not_found_is_an_http_error_that_reaches_no_sink()
        {
            ScriptedConnection connection = new ScriptedConnection(Ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"));
            RecordingSink sink = new RecordingSink();

            HttpDownloadResult result = new HttpsDownloader(new ScriptedOpener(connection), 1000, 1000).Download("https://h.example/f?Signature=s3cret", 0, new byte[16], Ca, sink);

            Assert.AreEqual((int)HttpDownloadStatus.HttpError, (int)result.Status, "status");
            Assert.AreEqual(404, result.StatusCode, "404");
            Assert.IsFalse(sink.Started, "sink not started");
            Assert.DoesNotContains("s3cret", result.Detail, "no signature in the detail");
        }

        [TestMethod]
        public void Header_limits_give_a_clear_error()
        {
            ScriptedConnection longLine = new ScriptedConnection(Ascii("HTTP/1.1 200 OK\r\nX-Long: " + new string('a', 2000) + "\r\n\r\n"));
            HttpResponseReader reader = new HttpResponseReader(longLine, new byte[64]);
            Assert.IsFalse(reader.ReadHead(), "long line refused");
            Assert.AreEqual("a header line is longer than 1024 bytes", reader.Error, "why");

            StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < 5; i++)
            {
                many.Append("X-H: 1\r\n");
            }

            HttpResponseReader counted = new HttpResponseReader(new ScriptedConnection(Ascii(many.Append("\r\n").ToString())), new byte[64], 100, 4);
            Assert.IsFalse(counted.ReadHead(), "too many headers refused");
            Assert.AreEqual("the response has more than 4 header lines", counted.Error, "why");
        }

        [TestMethod]
        public void Body_cut_short_is_a_network_error_after_delivering_what_arrived()
        {
            ScriptedConnection connection = new ScriptedConnection(Ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234"));
            RecordingSink sink = new RecordingSink();

            HttpDownloadResult result = new HttpsDownloader(new ScriptedOpener(connection), 1000, 1000).Download("https://h.example/f", 0, new byte[16], Ca, sink);

            Assert.AreEqual((int)HttpDownloadStatus.NetworkError, (int)result.Status, "status");
            Assert.AreEqual(5L, result.BytesReceived, "bytes received");
            Assert.AreEqual("01234", Ascii(sink.Bytes), "delivered");
            Assert.Contains("closed after 5 of 10 bytes", result.Detail, "detail");
        }

        [TestMethod]
        public void Read_timeout_is_a_network_error_named_by_the_opener()
        {
            ScriptedConnection connection = new ScriptedConnection(Ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n012"));
            connection.FailureAtEnd = new IOException("read timeout");
            RecordingSink sink = new RecordingSink();

            HttpDownloadResult result = new HttpsDownloader(new ScriptedOpener(connection), 1000, 1000).Download("https://h.example/f", 0, new byte[16], Ca, sink);

            Assert.AreEqual((int)HttpDownloadStatus.NetworkError, (int)result.Status, "status");
            Assert.AreEqual(3L, result.BytesReceived, "bytes received");
            Assert.Contains("reading the body failed: scripted read timeout", result.Detail, "detail");
            Assert.IsTrue(connection.Disposed, "connection closed");
        }

        [TestMethod]
        public void Post_returns_status_and_text()
        {
            ScriptedConnection connection = new ScriptedConnection(Ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"code\":200}"));
            ScriptedOpener opener = new ScriptedOpener(connection);

            HttpPostResult result = new HttpsPoster(opener).Post("https://auth.example/auth/register/device", "application/x-www-form-urlencoded", "a=1", Ca, 5000);

            Assert.AreEqual(200, result.StatusCode, "status " + result.Detail);
            Assert.AreEqual("{\"code\":200}", result.Body, "body");
            Assert.StartsWith("POST /auth/register/device HTTP/1.1\r\n", Ascii(connection.Written), "request");
        }

        [TestMethod]
        public void Connect_failure_is_a_network_error_without_the_query()
        {
            ScriptedOpener opener = new ScriptedOpener(null);
            opener.OpenFailure = new IOException("TLS failure");

            HttpDownloadResult result = new HttpsDownloader(opener, 1000, 1000).Download("https://h.example/f?Signature=s3cret", 0, new byte[16], Ca, new RecordingSink());

            Assert.AreEqual((int)HttpDownloadStatus.NetworkError, (int)result.Status, "status");
            Assert.AreEqual("connecting to h.example failed: scripted TLS failure (https://h.example/f)", result.Detail, "detail");
        }

        private static string Ascii(byte[] bytes)
        {
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        private static byte[] Ascii(string text)
        {
            return Encoding.UTF8.GetBytes(text);
        }
    }
}
