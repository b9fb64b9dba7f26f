using System;
using System.Text;

namespace OtaPartition
{
    /// <summary>
    /// A small set of text fields stored as one file: <c>key=value</c> lines followed by a <c>crc=XXXXXXXX</c> line
    /// (CRC-32 over every byte before that line). Human-readable for support, and a torn or corrupted write is
    /// detected instead of being half-believed. Values may hold any character (escaped: <c>\\</c>, <c>\n</c>,
    /// <c>\uXXXX</c> outside printable ASCII).
    /// </summary>
    public sealed class FlashRecord
    {
        private const int MaxFields = 24;
        private const string CrcKey = "crc=";

        private readonly string[] _keys = new string[MaxFields];
        private readonly string[] _values = new string[MaxFields];
        private int _count;

        /// <summary>Number of fields.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
        public string Get(string key)
        {
            int i = IndexOf(key);
            return i < 0 ? null : _values[i];
        }

        /// <summary>The value of <paramref name="key"/> as an integer, or <paramref name="fallback"/> when absent or not a number.</summary>
        public long GetLong(string key, long fallback)
        {
            string text = Get(key);
            if (text == null || text.Length == 0)
            {
                return fallback;
            }

            long result = 0;
            bool negative = text[0] == '-';
            for (int i = negative ? 1 : 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9' || result > 92233720368547757L)
                {
                    return fallback;
                }

                result = (result * 10) + (c - '0');
            }

            return negative ? -result : result;
        }

        /// <summary>Sets (or replaces) a field; a null value removes it.</summary>
        public void Set(string key, string value)
        {
            if (key == null || key.Length == 0 || key.IndexOf('=') >= 0 || key.IndexOf('\n') >= 0 || key == "crc")
            {
                throw new ArgumentException("bad record key");
            }

            int i = IndexOf(key);
            if (value == null)
            {
                if (i >= 0)
                {
                    _count--;
                    _keys[i] = _keys[_count];
                    _values[i] = _values[_count];
                    _keys[_count] = null;
                    _values[_count] = null;
                }

                return;
            }

            if (i < 0)
            {
                if (_count == MaxFields)
                {
                    throw new InvalidOperationException("record full");
                }

                i = _count++;
                _keys[i] = key;
            }

            _values[i] = value;
        }

        /// <summary>Sets an integer field.</summary>
        public void SetLong(string key, long value)
        {
            Set(key, value.ToString());
        }

        /// <summary>The stored bytes: fields in insertion order, then the CRC line.</summary>
        public byte[] Encode()
        {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < _count; i++)
            {
                text.Append(_keys[i]);
                text.Append('=');
                AppendEscaped(text, _values[i]);
                text.Append('\n');
            }

            int bodyLength = text.Length;
            byte[] bytes = new byte[bodyLength + CrcKey.Length + 9];
            for (int i = 0; i < bodyLength; i++)
            {
                bytes[i] = (byte)text[i];
            }

            int p = bodyLength;
            for (int i = 0; i < CrcKey.Length; i++)
            {
                bytes[p++] = (byte)CrcKey[i];
            }

            uint crc = Crc32.Compute(bytes, 0, bodyLength);
            for (int shift = 28; shift >= 0; shift -= 4)
            {
                bytes[p++] = (byte)"0123456789abcdef"[(int)((crc >> shift) & 0xF)];
            }

            bytes[p] = (byte)'\n';
            return bytes;
        }

        /// <summary>Parses stored bytes; null when they are damaged (bad CRC, missing CRC line, bad syntax).</summary>
        public static FlashRecord Decode(byte[] bytes, int length)
        {
            // The CRC line is the last line: "crc=" + 8 hex digits + "\n".
            int crcLine = length - (CrcKey.Length + 9);
            if (crcLine < 0 || bytes[length - 1] != (byte)'\n' || (crcLine > 0 && bytes[crcLine - 1] != (byte)'\n'))
            {
                return null;
            }

            for (int i = 0; i < CrcKey.Length; i++)
            {
                if (bytes[crcLine + i] != (byte)CrcKey[i])
                {
                    return null;
                }
            }

            uint stored = 0;
            for (int i = 0; i < 8; i++)
            {
                int digit = HexValue(bytes[crcLine + CrcKey.Length + i]);
                if (digit < 0)
                {
                    return null;
                }

                stored = (stored << 4) | (uint)digit;
            }

            if (stored != Crc32.Compute(bytes, 0, crcLine))
            {
                return null;
            }

            FlashRecord record = new FlashRecord();
            int start = 0;
            while (start < crcLine)
            {
                int end = start;
                while (bytes[end] != (byte)'\n')
                {
                    end++;
                }

                int eq = start;
                while (eq < end && bytes[eq] != (byte)'=')
                {
                    eq++;
                }

                if (eq == end || eq == start || record._count == MaxFields)
                {
                    return null;
                }

                string value = Unescape(bytes, eq + 1, end);
                if (value == null)
                {
                    return null;
                }

                record._keys[record._count] = Ascii(bytes, start, eq);
                record._values[record._count] = value;
                record._count++;
                start = end + 1;
            }

            return record;
        }

        private int IndexOf(string key)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_keys[i] == key)
                {
                    return i;
                }
            }

            return -1;
        }

        private static void AppendEscaped(StringBuilder text, string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '\\')
                {
                    text.Append("\\\\");
                }
                else if (c == '\n')
                {
                    text.Append("\\n");
                }
                else if (c < ' ' || c > '~')
                {
                    text.Append("\\u");
                    for (int shift = 12; shift >= 0; shift -= 4)
                    {
                        text.Append("0123456789abcdef"[(c >> shift) & 0xF]);
                    }
                }
                else
                {
                    text.Append(c);
                }
            }
        }

        private static string Unescape(byte[] bytes, int start, int end)
        {
            StringBuilder text = new StringBuilder(end - start);
            for (int i = start; i < end; i++)
            {
                char c = (char)bytes[i];
                if (c != '\\')
                {
                    text.Append(c);
                    continue;
                }

                if (i + 1 >= end)
                {
                    return null;
                }

                char kind = (char)bytes[++i];
                if (kind == '\\')
                {
                    text.Append('\\');
                }
                else if (kind == 'n')
                {
                    text.Append('\n');
                }
                else if (kind == 'u' && i + 4 < end)
                {
                    int code = 0;
                    for (int k = 1; k <= 4; k++)
                    {
                        int digit = HexValue(bytes[i + k]);
                        if (digit < 0)
                        {
                            return null;
                        }

                        code = (code << 4) | digit;
                    }

                    text.Append((char)code);
                    i += 4;
                }
                else
                {
                    return null;
                }
            }

            return text.ToString();
        }

        private static string Ascii(byte[] bytes, int start, int end)
        {
            char[] chars = new char[end - start];
            for (int i = start; i < end; i++)
            {
                chars[i - start] = (char)bytes[i];
            }

            return new string(chars);
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
    }
}
