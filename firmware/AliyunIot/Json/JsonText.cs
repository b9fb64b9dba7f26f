namespace AliyunIot.Json
{
    /// <summary>
    /// The byte-level rules of JSON text shared by <see cref="JsonReader"/>: well-formed UTF-8 (RFC 3629), hex
    /// digits of <c>\uXXXX</c> escapes, and decoding a validated string into UTF-16 units, surrogate pairs included.
    /// </summary>
    internal static class JsonText
    {
        /// <summary>
        /// Validates the string whose opening quote is at <paramref name="at"/>: escapes (surrogates paired), no raw
        /// control characters, well-formed UTF-8, a closing quote.
        /// </summary>
        /// <returns>The offset after the closing quote, or -1 with <paramref name="problem"/> (and where, or -1).</returns>
        internal static int ScanString(byte[] data, int at, int end, out int chars, out bool hasEscapes, out bool ascii, out string problem, out int problemAt)
        {
            int pos = at + 1;
            chars = 0;
            hasEscapes = false;
            ascii = true;
            problem = null;
            problemAt = -1;
            while (pos < end)
            {
                byte b = data[pos];
                if (b == (byte)'"')
                {
                    return pos + 1;
                }

                if (b == (byte)'\\')
                {
                    hasEscapes = true;
                    int length = ScanEscape(data, pos, end, out problem);
                    if (length == 0)
                    {
                        problemAt = problem == TruncatedDocument ? -1 : pos;
                        return -1;
                    }

                    chars += length == 12 ? 2 : 1;
                    pos += length;
                    continue;
                }

                if (b < 0x20)
                {
                    problem = "control character in a string";
                    problemAt = pos;
                    return -1;
                }

                if (b < 0x80)
                {
                    chars++;
                    pos++;
                    continue;
                }

                ascii = false;
                int sequence = Utf8SequenceLength(data, pos, end);
                if (sequence == 0)
                {
                    problem = "invalid UTF-8";
                    problemAt = pos;
                    return -1;
                }

                chars += sequence == 4 ? 2 : 1;
                pos += sequence;
            }

            problem = "unterminated string";
            problemAt = at;
            return -1;
        }

        /// <summary>What the reader reports when the text ends inside a value.</summary>
        internal const string TruncatedDocument = "truncated document";

        // At a backslash: validates one escape; returns its length in bytes (2, 6, or 12 for a surrogate pair), 0 when bad.
        private static int ScanEscape(byte[] data, int at, int end, out string problem)
        {
            problem = null;
            if (at + 1 >= end)
            {
                problem = TruncatedDocument;
                return 0;
            }

            byte e = data[at + 1];
            if (e == (byte)'"' || e == (byte)'\\' || e == (byte)'/' || e == (byte)'b' || e == (byte)'f' || e == (byte)'n' || e == (byte)'r' || e == (byte)'t')
            {
                return 2;
            }

            if (e != (byte)'u')
            {
                problem = "invalid escape";
                return 0;
            }

            int unit = Hex4(data, at + 2, end);
            if (unit < 0)
            {
                problem = "invalid \\u escape";
                return 0;
            }

            if (unit >= 0xDC00 && unit <= 0xDFFF)
            {
                problem = "lone low surrogate";
                return 0;
            }

            if (unit < 0xD800 || unit > 0xDBFF)
            {
                return 6;
            }

            // A high surrogate must be followed at once by an escaped low surrogate.
            int next = at + 6;
            int low = next + 1 < end && data[next] == (byte)'\\' && data[next + 1] == (byte)'u' ? Hex4(data, next + 2, end) : -1;
            if (low < 0xDC00 || low > 0xDFFF)
            {
                problem = "lone high surrogate";
                return 0;
            }

            return 12;
        }

        /// <summary>The value of the four hex digits at <paramref name="at"/>, or -1.</summary>
        internal static int Hex4(byte[] data, int at, int end)
        {
            if (at + 4 > end)
            {
                return -1;
            }

            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                int digit = AliyunIot.Crypto.Hex.DigitValue((char)data[at + i]);
                if (digit < 0)
                {
                    return -1;
                }

                value = (value << 4) | digit;
            }

            return value;
        }

        /// <summary>
        /// Length (2..4) of the well-formed UTF-8 sequence at <paramref name="at"/>, or 0: overlong forms, encoded
        /// surrogates and code points above U+10FFFF are refused (RFC 3629).
        /// </summary>
        internal static int Utf8SequenceLength(byte[] data, int at, int end)
        {
            byte b = data[at];
            int length;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (b >= 0xC2 && b <= 0xDF)
            {
                length = 2;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                length = 3;
                if (b == 0xE0)
                {
                    min2 = 0xA0;
                }
                else if (b == 0xED)
                {
                    max2 = 0x9F;
                }
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                length = 4;
                if (b == 0xF0)
                {
                    min2 = 0x90;
                }
                else if (b == 0xF4)
                {
                    max2 = 0x8F;
                }
            }
            else
            {
                return 0;
            }

            if (at + length > end)
            {
                return 0;
            }

            if (data[at + 1] < min2 || data[at + 1] > max2)
            {
                return 0;
            }

            for (int i = 2; i < length; i++)
            {
                if ((data[at + i] & 0xC0) != 0x80)
                {
                    return 0;
                }
            }

            return length;
        }

        /// <summary>
        /// Decodes the next UTF-16 unit of a string <see cref="JsonReader"/> has validated; <paramref name="pending"/>
        /// carries the low half of a surrogate pair to the next call.
        /// </summary>
        internal static char NextUnit(byte[] data, ref int p, ref int pending)
        {
            if (pending != 0)
            {
                char low = (char)pending;
                pending = 0;
                return low;
            }

            byte b = data[p];
            if (b == (byte)'\\')
            {
                byte e = data[p + 1];
                p += 2;
                switch (e)
                {
                    case (byte)'b': return '\b';
                    case (byte)'f': return '\f';
                    case (byte)'n': return '\n';
                    case (byte)'r': return '\r';
                    case (byte)'t': return '\t';
                    case (byte)'u':
                        int unit = Hex4(data, p, data.Length);
                        p += 4;
                        if (unit >= 0xD800 && unit <= 0xDBFF)
                        {
                            pending = Hex4(data, p + 2, data.Length);
                            p += 6;
                        }

                        return (char)unit;
                    default: return (char)e;
                }
            }

            if (b < 0x80)
            {
                p++;
                return (char)b;
            }

            int code;
            if (b < 0xE0)
            {
                code = ((b & 0x1F) << 6) | (data[p + 1] & 0x3F);
                p += 2;
                return (char)code;
            }

            if (b < 0xF0)
            {
                code = ((b & 0x0F) << 12) | ((data[p + 1] & 0x3F) << 6) | (data[p + 2] & 0x3F);
                p += 3;
                return (char)code;
            }

            code = ((b & 0x07) << 18) | ((data[p + 1] & 0x3F) << 12) | ((data[p + 2] & 0x3F) << 6) | (data[p + 3] & 0x3F);
            p += 4;
            code -= 0x10000;
            pending = 0xDC00 + (code & 0x3FF);
            return (char)(0xD800 + (code >> 10));
        }
    }
}
