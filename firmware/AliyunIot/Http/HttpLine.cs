namespace AliyunIot.Http
{
    /// <summary>
    /// One status, header or chunk-size line of a response as received (bytes, no CR/LF), bounded in length, with
    /// the parsing the reader needs done on the bytes: no string per header line.
    /// </summary>
    internal sealed class HttpLine
    {
        private readonly byte[] _bytes;

        /// <summary>Creates a line holder for lines up to <paramref name="maxLength"/> bytes.</summary>
        public HttpLine(int maxLength)
        {
            _bytes = new byte[maxLength + 1]; // + the CR before the LF
        }

        /// <summary>Longest line accepted.</summary>
        public int MaxLength
        {
            get { return _bytes.Length - 1; }
        }

        /// <summary>Bytes in the line.</summary>
        public int Length { get; private set; }

        /// <summary>The byte at <paramref name="index"/>.</summary>
        public byte this[int index]
        {
            get { return _bytes[index]; }
        }

        /// <summary>Empties the line.</summary>
        public void Clear()
        {
            Length = 0;
        }

        /// <summary>Adds a byte; false when the line is full.</summary>
        public bool Append(byte b)
        {
            if (Length == _bytes.Length)
            {
                return false;
            }

            _bytes[Length++] = b;
            return true;
        }

        /// <summary>Drops the CR that preceded the LF.</summary>
        public void TrimCr()
        {
            if (Length > 0 && _bytes[Length - 1] == 13)
            {
                Length--;
            }
        }

        /// <summary>The line holds <paramref name="ascii"/> at <paramref name="at"/>.</summary>
        public bool Matches(int at, string ascii)
        {
            if (at + ascii.Length > Length)
            {
                return false;
            }

            for (int i = 0; i < ascii.Length; i++)
            {
                if (_bytes[at + i] != ascii[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The header name (bytes before the colon) is <paramref name="lowerName"/>, ignoring case.</summary>
        public bool NameIs(int nameLength, string lowerName)
        {
            return nameLength == lowerName.Length && EndsWithIgnoreCase(0, nameLength, lowerName);
        }

        /// <summary>Bytes [start, end) end with <paramref name="lower"/>, ignoring ASCII case.</summary>
        public bool EndsWithIgnoreCase(int start, int end, string lower)
        {
            if (end - start < lower.Length)
            {
                return false;
            }

            int at = end - lower.Length;
            for (int i = 0; i < lower.Length; i++)
            {
                int c = _bytes[at + i];
                if (c >= 'A' && c <= 'Z')
                {
                    c += 'a' - 'A';
                }

                if (c != lower[i])
                {
                    return false;
                }
            }

            return true;
        }

        // "bytes 1000-4095/4096" → 1000; -1 when unreadable.
        /// <summary>The start of a Content-Range value in [start, end).</summary>
        public long ParseRangeStart(int start, int end)
        {
            if (end - start < 7 || !EndsWithIgnoreCase(start, start + 6, "bytes "))
            {
                return -1;
            }

            int digitsStart = start + 6;
            int dash = digitsStart;
            while (dash < end && _bytes[dash] != '-')
            {
                dash++;
            }

            return dash < end ? ParseDecimal(digitsStart, dash) : -1;
        }

        /// <summary>A non-negative decimal in [start, end); -1 when invalid.</summary>
        public long ParseDecimal(int start, int end)
        {
            if (end <= start || end - start > 18)
            {
                return -1;
            }

            long value = 0;
            for (int i = start; i < end; i++)
            {
                if (!IsDigit(_bytes[i]))
                {
                    return -1;
                }

                value = (value * 10) + (_bytes[i] - '0');
            }

            return value;
        }

        // Hex digits up to an optional ";extension"; -1 when invalid or above 2^60.
        /// <summary>The chunk size of a chunk-size line.</summary>
        public long ParseChunkSize()
        {
            long value = 0;
            int digits = 0;
            for (int i = 0; i < Length; i++)
            {
                int c = _bytes[i];
                int digit;
                if (c >= '0' && c <= '9')
                {
                    digit = c - '0';
                }
                else if (c >= 'a' && c <= 'f')
                {
                    digit = c - 'a' + 10;
                }
                else if (c >= 'A' && c <= 'F')
                {
                    digit = c - 'A' + 10;
                }
                else if (c == ';' || IsSpace((byte)c))
                {
                    break;
                }
                else
                {
                    return -1;
                }

                digits++;
                if (digits > 15)
                {
                    return -1;
                }

                value = (value * 16) + digit;
            }

            return digits == 0 ? -1 : value;
        }

        /// <summary>An ASCII digit.</summary>
        public static bool IsDigit(byte b)
        {
            return b >= '0' && b <= '9';
        }

        /// <summary>A space or a tab.</summary>
        public static bool IsSpace(byte b)
        {
            return b == ' ' || b == 9;
        }
    }
}
