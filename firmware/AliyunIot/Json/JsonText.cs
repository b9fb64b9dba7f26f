namespace AliyunIot.Json
{
    /// <summary>
    /// The byte-level rules of JSON text shared by <see cref="JsonReader"/>: well-formed UTF-8 (RFC 3629), hex
    /// digits of <c>\uXXXX</c> escapes, and decoding a validated string into UTF-16 units, surrogate pairs included.
    /// </summary>
    internal static class JsonText
    {
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
                int digit = HexValue(data[at + i]);
                if (digit < 0)
                {
                    return -1;
                }

                value = (value << 4) | digit;
            }

            return value;
        }

        private static int HexValue(byte b)
        {
            if (b >= (byte)'0' && b <= (byte)'9')
            {
                return b - '0';
            }

            if (b >= (byte)'a' && b <= (byte)'f')
            {
                return b - 'a' + 10;
            }

            if (b >= (byte)'A' && b <= (byte)'F')
            {
                return b - 'A' + 10;
            }

            return -1;
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
