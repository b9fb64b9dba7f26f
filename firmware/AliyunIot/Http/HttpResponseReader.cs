using System;
using AliyunIot.Ports;

namespace AliyunIot.Http
{
    /// <summary>
    /// Reads one HTTP/1.1 response from a connection: the status line and headers (each line and their number
    /// bounded), then the body — by Content-Length, by chunks, or up to the end of the connection — through the
    /// caller's buffer, which it also uses as its receive buffer: no allocation per chunk.
    /// </summary>
    /// <remarks>
    /// Protocol problems (line too long, malformed status, bad chunk size, connection closed early) are results:
    /// <see cref="ReadHead"/> returns false and <see cref="ReadBody"/> -1, with <see cref="Error"/> saying why.
    /// Exceptions of the connection (timeouts, resets) pass through to the caller, which names them.
    /// </remarks>
    public sealed class HttpResponseReader
    {
        /// <summary>Longest status or header line accepted, in bytes.</summary>
        public const int DefaultMaxLineLength = 1024;

        /// <summary>Most header lines accepted in one response (trailers of a chunked body count separately).</summary>
        public const int DefaultMaxHeaderCount = 64;

        private const byte Lf = 10;
        private const int LineRead = 1;
        private const int LineClosed = 0;
        private const int LineTooLong = -1;

        private readonly ISecureConnection _connection;
        private readonly byte[] _buffer;
        private readonly HttpLine _line;
        private readonly int _maxHeaderCount;
        private int _start;
        private int _end;
        private long _chunkRemaining;
        private bool _chunkNeedsLineEnd;
        private bool _bodyDone;

        /// <summary>Creates a reader with the default limits.</summary>
        /// <param name="connection">Where the response comes from.</param>
        /// <param name="buffer">The caller's buffer: receives the body, is used for the head too.</param>
        public HttpResponseReader(ISecureConnection connection, byte[] buffer)
            : this(connection, buffer, DefaultMaxLineLength, DefaultMaxHeaderCount)
        {
        }

        /// <summary>Creates a reader.</summary>
        /// <param name="connection">Where the response comes from.</param>
        /// <param name="buffer">The caller's buffer: receives the body, is used for the head too.</param>
        /// <param name="maxLineLength">Longest status, header or chunk-size line, in bytes.</param>
        /// <param name="maxHeaderCount">Most header lines.</param>
        public HttpResponseReader(ISecureConnection connection, byte[] buffer, int maxLineLength, int maxHeaderCount)
        {
            if (connection == null || buffer == null || buffer.Length == 0)
            {
                throw new ArgumentNullException(connection == null ? "connection" : "buffer");
            }

            if (maxLineLength < 16 || maxHeaderCount < 1)
            {
                throw new ArgumentOutOfRangeException("maxLineLength", "need maxLineLength >= 16 and maxHeaderCount >= 1");
            }

            _connection = connection;
            _buffer = buffer;
            _line = new HttpLine(maxLineLength);
            _maxHeaderCount = maxHeaderCount;
            ContentLength = -1;
            ContentRangeStart = -1;
        }

        /// <summary>The status code (0 before <see cref="ReadHead"/> succeeded).</summary>
        public int StatusCode { get; private set; }

        /// <summary>Content-Length, -1 when absent or when the body is chunked.</summary>
        public long ContentLength { get; private set; }

        /// <summary>First byte of a 206 body within the whole file (Content-Range), -1 when absent or unreadable.</summary>
        public long ContentRangeStart { get; private set; }

        /// <summary>The body is sent with <c>Transfer-Encoding: chunked</c>.</summary>
        public bool Chunked { get; private set; }

        /// <summary>Body bytes returned so far.</summary>
        public long BodyReceived { get; private set; }

        /// <summary>Why <see cref="ReadHead"/> or <see cref="ReadBody"/> failed; null otherwise.</summary>
        public string Error { get; private set; }

        /// <summary>Reads the status line and the headers (1xx interim responses are skipped).</summary>
        /// <returns>false when the head is missing or malformed (<see cref="Error"/>).</returns>
        public bool ReadHead()
        {
            while (true)
            {
                if (!ReadStatusLine() || !ReadHeaders())
                {
                    return false;
                }

                if (StatusCode >= 200)
                {
                    return true;
                }

                ContentLength = -1;
                ContentRangeStart = -1;
                Chunked = false;
            }
        }

        /// <summary>Reads the next part of the body into the caller's buffer, starting at index 0.</summary>
        /// <returns>Bytes placed (&gt; 0); 0 at the end of the body; -1 when the body is broken (<see cref="Error"/>).</returns>
        public int ReadBody()
        {
            if (_bodyDone)
            {
                return 0;
            }

            int count;
            if (Chunked)
            {
                if (_chunkRemaining == 0)
                {
                    int next = NextChunk();
                    if (next <= 0)
                    {
                        return next;
                    }
                }

                count = Take(_chunkRemaining);
                if (count == 0)
                {
                    return Fail("the connection closed inside a chunk after " + BodyReceived.ToString() + " bytes");
                }

                _chunkRemaining -= count;
            }
            else if (ContentLength >= 0)
            {
                long remaining = ContentLength - BodyReceived;
                if (remaining == 0)
                {
                    _bodyDone = true;
                    return 0;
                }

                count = Take(remaining);
                if (count == 0)
                {
                    return Fail("the connection closed after " + BodyReceived.ToString() + " of " + ContentLength.ToString() + " bytes");
                }
            }
            else
            {
                // Neither length nor chunks: with "Connection: close" the body ends with the connection.
                count = Take(_buffer.Length);
                if (count == 0)
                {
                    _bodyDone = true;
                    return 0;
                }
            }

            BodyReceived += count;
            return count;
        }

        private bool ReadStatusLine()
        {
            int line = ReadLine();
            if (line != LineRead)
            {
                return FailHead(line, "the status line");
            }

            // "HTTP/1.x NNN reason"
            if (_line.Length < 12 || !_line.Matches(0, "HTTP/1.") || _line[8] != ' ' || !HttpLine.IsDigit(_line[9]) || !HttpLine.IsDigit(_line[10]) || !HttpLine.IsDigit(_line[11])
                || (_line.Length > 12 && _line[12] != ' '))
            {
                Error = "the response does not start with an HTTP/1.x status line";
                return false;
            }

            StatusCode = ((_line[9] - '0') * 100) + ((_line[10] - '0') * 10) + (_line[11] - '0');
            return true;
        }

        private bool ReadHeaders()
        {
            int count = 0;
            while (true)
            {
                int line = ReadLine();
                if (line != LineRead)
                {
                    return FailHead(line, "a header line");
                }

                if (_line.Length == 0)
                {
                    return true;
                }

                count++;
                if (count > _maxHeaderCount)
                {
                    Error = "the response has more than " + _maxHeaderCount.ToString() + " header lines";
                    return false;
                }

                if (!Header())
                {
                    return false;
                }
            }
        }

        private bool Header()
        {
            int colon = -1;
            for (int i = 0; i < _line.Length; i++)
            {
                if (_line[i] == ':')
                {
                    colon = i;
                    break;
                }
            }

            if (colon <= 0)
            {
                Error = "a header line without a name";
                return false;
            }

            int valueStart = colon + 1;
            int valueEnd = _line.Length;
            while (valueStart < valueEnd && HttpLine.IsSpace(_line[valueStart]))
            {
                valueStart++;
            }

            while (valueEnd > valueStart && HttpLine.IsSpace(_line[valueEnd - 1]))
            {
                valueEnd--;
            }

            if (_line.NameIs(colon, "content-length"))
            {
                long length = _line.ParseDecimal(valueStart, valueEnd);
                if (length < 0)
                {
                    Error = "invalid Content-Length";
                    return false;
                }

                // Transfer-Encoding wins over Content-Length (RFC 9112 6.3), whichever comes first.
                ContentLength = Chunked ? -1 : length;
            }
            else if (_line.NameIs(colon, "transfer-encoding"))
            {
                // Only "chunked" (as the final coding) is understood; a compressed body could not be written to flash.
                if (!_line.EndsWithIgnoreCase(valueStart, valueEnd, "chunked") || valueEnd - valueStart != 7)
                {
                    Error = "unsupported Transfer-Encoding";
                    return false;
                }

                Chunked = true;
                ContentLength = -1;
            }
            else if (_line.NameIs(colon, "content-range"))
            {
                ContentRangeStart = _line.ParseRangeStart(valueStart, valueEnd);
            }

            return true;
        }

        // Reads the CRLF that ends the previous chunk's data and the next chunk-size line. 1: a chunk follows; 0: the
        // last chunk (and the trailers) arrived; -1: broken.
        private int NextChunk()
        {
            int line;
            if (_chunkNeedsLineEnd)
            {
                line = ReadLine();
                if (line != LineRead || _line.Length != 0)
                {
                    return Fail(line == LineClosed ? "the connection closed between chunks" : "a chunk is longer than its size");
                }
            }

            line = ReadLine();
            if (line != LineRead)
            {
                return Fail(line == LineClosed ? "the connection closed before a chunk size" : "a chunk-size line is too long");
            }

            long size = _line.ParseChunkSize();
            if (size < 0)
            {
                return Fail("invalid chunk size");
            }

            if (size == 0)
            {
                for (int trailers = 0; trailers <= _maxHeaderCount; trailers++)
                {
                    line = ReadLine();
                    if (line != LineRead)
                    {
                        return Fail(line == LineClosed ? "the connection closed in the trailers" : "a trailer line is too long");
                    }

                    if (_line.Length == 0)
                    {
                        _bodyDone = true;
                        return 0;
                    }
                }

                return Fail("too many trailer lines");
            }

            _chunkRemaining = size;
            _chunkNeedsLineEnd = true;
            return 1;
        }

        // Up to max body bytes at _buffer[0..]: first what is left in the receive window, else one read.
        private int Take(long max)
        {
            int limit = max < _buffer.Length ? (int)max : _buffer.Length;
            if (_start < _end)
            {
                int available = _end - _start;
                int count = available < limit ? available : limit;
                if (_start != 0)
                {
                    // Moving down within one array: the bytes after them stay where they are for the next call.
                    Array.Copy(_buffer, _start, _buffer, 0, count);
                }

                _start += count;
                return count;
            }

            _start = 0;
            _end = 0;
            int read = _connection.Read(_buffer, 0, limit);
            return read > 0 ? read : 0;
        }

        private int ReadLine()
        {
            _line.Clear();
            while (true)
            {
                if (_start == _end)
                {
                    int read = _connection.Read(_buffer, 0, _buffer.Length);
                    if (read <= 0)
                    {
                        return LineClosed;
                    }

                    _start = 0;
                    _end = read;
                }

                byte b = _buffer[_start++];
                if (b == Lf)
                {
                    _line.TrimCr();
                    return LineRead;
                }

                if (!_line.Append(b))
                {
                    return LineTooLong;
                }
            }
        }

        private bool FailHead(int line, string what)
        {
            Error = line == LineClosed
                ? "the connection closed before the end of the response headers"
                : what + " is longer than " + _line.MaxLength.ToString() + " bytes";
            return false;
        }

        private int Fail(string error)
        {
            Error = error;
            return -1;
        }
    }
}
