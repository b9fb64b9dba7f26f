using System.Text;
using AliyunIot.Http;
using AliyunIot.NFUnitTest;
using Xunit;

namespace AliyunIot.Tests.Http
{
    /// <summary>
    /// The response reader over a connection that delivers the response one byte per Read and split in two at every
    /// possible point: status line, headers, chunk sizes, chunk data and trailers may all arrive in pieces, and the
    /// body must come out the same, through a buffer smaller than the response.
    /// </summary>
    public sealed class HttpResponseReaderSplitTests
    {
        private const string ChunkedResponse =
            "HTTP/1.1 200 OK\r\nServer: test\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n1;name=value\r\n \r\nB\r\nchunk world\r\n0\r\nX-Checksum: 1\r\n\r\n";

        private const string LengthResponse =
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-119/120\r\ncontent-length:  20 \r\n\r\n0123456789abcdefghij";

        public static TheoryData<string, string> Responses() => new()
        {
            { ChunkedResponse, "hello chunk world" },
            { LengthResponse, "0123456789abcdefghij" },
        };

        [Theory]
        [MemberData(nameof(Responses))]
        public void One_byte_per_read_gives_the_same_body(string response, string body)
        {
            var connection = new ScriptedConnection(Encoding.ASCII.GetBytes(response)) { ReadSizes = new[] { 1 } };
            Assert.Equal(body, ReadAll(connection, new byte[7]));
        }

        [Theory]
        [MemberData(nameof(Responses))]
        public void Every_split_point_gives_the_same_body(string response, string body)
        {
            for (int split = 1; split < response.Length; split++)
            {
                var connection = new ScriptedConnection(Encoding.ASCII.GetBytes(response)) { ReadSizes = new[] { split, int.MaxValue } };
                Assert.True(body == ReadAll(connection, new byte[64]), "split after " + split + " bytes");
            }
        }

        [Fact]
        public void Head_fields_are_read_whatever_the_split()
        {
            for (int split = 1; split < LengthResponse.Length; split++)
            {
                var connection = new ScriptedConnection(Encoding.ASCII.GetBytes(LengthResponse)) { ReadSizes = new[] { split, 1 } };
                var reader = new HttpResponseReader(connection, new byte[16]);
                Assert.True(reader.ReadHead(), reader.Error);
                Assert.Equal((206, 100L, 20L, false), (reader.StatusCode, reader.ContentRangeStart, reader.ContentLength, reader.Chunked));
            }
        }

        [Fact]
        public void Interim_100_continue_is_skipped()
        {
            var connection = new ScriptedConnection(Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
            Assert.Equal("ok", ReadAll(connection, new byte[8]));
        }

        [Theory]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk size")]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdefg\r\n0\r\n\r\n", "a chunk is longer than its size")]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "the connection closed inside a chunk after 2 bytes")]
        public void Broken_chunking_is_an_error_not_a_body(string response, string error)
        {
            var reader = new HttpResponseReader(new ScriptedConnection(Encoding.ASCII.GetBytes(response)), new byte[32]);
            Assert.True(reader.ReadHead(), reader.Error);
            int count;
            while ((count = reader.ReadBody()) > 0)
            {
            }

            Assert.Equal(-1, count);
            Assert.Equal(error, reader.Error);
        }

        [Theory]
        [InlineData("", "the connection closed before the end of the response headers")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Le", "the connection closed before the end of the response headers")]
        [InlineData("SSH-2.0-OpenSSH\r\n\r\n", "the response does not start with an HTTP/1.x status line")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n", "invalid Content-Length")]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported Transfer-Encoding")]
        [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "a header line without a name")]
        public void Malformed_heads_are_refused_with_a_reason(string response, string error)
        {
            var reader = new HttpResponseReader(new ScriptedConnection(Encoding.ASCII.GetBytes(response)), new byte[32]);
            Assert.False(reader.ReadHead());
            Assert.Equal(error, reader.Error);
        }

        private static string ReadAll(ScriptedConnection connection, byte[] buffer)
        {
            var reader = new HttpResponseReader(connection, buffer);
            Assert.True(reader.ReadHead(), reader.Error);
            var body = new StringBuilder();
            int count;
            while ((count = reader.ReadBody()) > 0)
            {
                body.Append(Encoding.ASCII.GetString(buffer, 0, count));
            }

            Assert.True(count == 0, reader.Error);
            return body.ToString();
        }
    }
}
