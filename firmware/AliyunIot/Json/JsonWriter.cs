using System;

namespace AliyunIot.Json
{
    /// <summary>
    /// Writes JSON straight to UTF-8 in one reused buffer: no strings, no boxing, no reflection. Commas and
    /// nesting are tracked by the writer, so callers only say what comes next. nanoFramework.Json's
    /// SerializeObject costs ~16 KB of garbage per small post on the device; this costs only what
    /// <see cref="ToArray"/> copies out.
    /// </summary>
    public sealed class JsonWriter
    {
        private const int MaxDepth = 32;

        private readonly byte[] _digits = new byte[20];
        private readonly bool[] _hasItems = new bool[MaxDepth];
        private readonly int _maxCapacity;
        private byte[] _buffer;
        private int _length;
        private int _depth;
        private bool _afterName;

        /// <summary>Creates a writer.</summary>
        /// <param name="initialCapacity">Bytes allocated up front.</param>
        /// <param name="maxCapacity">The buffer never grows beyond this; writing more throws <see cref="InvalidOperationException"/>.</param>
        public JsonWriter(int initialCapacity, int maxCapacity)
        {
            _buffer = new byte[initialCapacity];
            _maxCapacity = maxCapacity;
        }

        /// <summary>Bytes written so far.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>The internal buffer; the first <see cref="Length"/> bytes are the JSON.</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Forgets what was written; keeps the buffer.</summary>
        public void Reset()
        {
            _length = 0;
            _depth = 0;
            _afterName = false;
        }

        /// <summary>A copy of what was written, exactly <see cref="Length"/> bytes.</summary>
        public byte[] ToArray()
        {
            byte[] copy = new byte[_length];
            Array.Copy(_buffer, copy, _length);
            return copy;
        }

        /// <summary>Writes <c>{</c>.</summary>
        public void BeginObject()
        {
            BeforeValue();
            AppendByte((byte)'{');
            Push();
        }

        /// <summary>Writes <c>}</c>.</summary>
        public void EndObject()
        {
            Pop();
            AppendByte((byte)'}');
        }

        /// <summary>Writes <c>[</c>.</summary>
        public void BeginArray()
        {
            BeforeValue();
            AppendByte((byte)'[');
            Push();
        }

        /// <summary>Writes <c>]</c>.</summary>
        public void EndArray()
        {
            Pop();
            AppendByte((byte)']');
        }

        /// <summary>Writes a member name; the next call writes its value.</summary>
        public void Name(string name)
        {
            BeforeValue();
            AppendQuoted(name);
            AppendByte((byte)':');
            _afterName = true;
        }

        /// <summary>Writes a string value (null writes <c>null</c>).</summary>
        public void String(string value)
        {
            BeforeValue();
            if (value == null)
            {
                AppendAscii("null");
            }
            else
            {
                AppendQuoted(value);
            }
        }

        /// <summary>Writes an integer value.</summary>
        public void Long(long value)
        {
            BeforeValue();
            AppendLong(value);
        }

        /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
        public void Bool(bool value)
        {
            BeforeValue();
            AppendAscii(value ? "true" : "false");
        }

        /// <summary>Writes <c>null</c>.</summary>
        public void Null()
        {
            BeforeValue();
            AppendAscii("null");
        }

        /// <summary>
        /// Writes a number with exactly <paramref name="decimals"/> digits after the point (rounded half away from
        /// zero), so 3.3 with one decimal is <c>3.3</c> on every runtime, and 10 with one decimal is <c>10.0</c>
        /// (the platform wants float values to carry a decimal place).
        /// </summary>
        /// <exception cref="ArgumentException">NaN, infinity, decimals outside 0..9, or a value too large to scale exactly.</exception>
        public void Double(double value, int decimals)
        {
            if (decimals < 0 || decimals > 9)
            {
                throw new ArgumentException("decimals must be 0..9");
            }

            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                throw new ArgumentException("JSON has no NaN or infinity");
            }

            long divisor = PowerOfTen(decimals);
            double scaled = value * divisor;
            if (scaled >= 9.0e18 || scaled <= -9.0e18)
            {
                throw new ArgumentException("value too large for the declared precision");
            }

            long units = (long)(scaled < 0 ? -Math.Floor(-scaled + 0.5) : Math.Floor(scaled + 0.5));
            BeforeValue();
            if (units < 0)
            {
                AppendByte((byte)'-');
                units = -units;
            }

            AppendLong(units / divisor);
            if (decimals > 0)
            {
                AppendByte((byte)'.');
                long fraction = units % divisor;
                for (long place = divisor / 10; place > 0; place /= 10)
                {
                    long digit = fraction / place;
                    AppendByte((byte)('0' + (int)digit));
                    fraction -= digit * place;
                }
            }
        }

        /// <summary>Writes already-encoded JSON text as one value (the caller guarantees it is valid JSON).</summary>
        public void RawValue(byte[] utf8Json, int offset, int count)
        {
            BeforeValue();
            Ensure(count);
            Array.Copy(utf8Json, offset, _buffer, _length, count);
            _length += count;
        }

        /// <summary>Name and string value.</summary>
        public void Property(string name, string value)
        {
            Name(name);
            String(value);
        }

        /// <summary>Name and integer value.</summary>
        public void Property(string name, long value)
        {
            Name(name);
            Long(value);
        }

        /// <summary>Name and boolean value.</summary>
        public void Property(string name, bool value)
        {
            Name(name);
            Bool(value);
        }

        private void BeforeValue()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }

            if (_depth > 0)
            {
                if (_hasItems[_depth - 1])
                {
                    AppendByte((byte)',');
                }

                _hasItems[_depth - 1] = true;
            }
        }

        private void Push()
        {
            if (_depth == MaxDepth)
            {
                throw new InvalidOperationException("JSON nesting too deep");
            }

            _hasItems[_depth] = false;
            _depth++;
        }

        private void Pop()
        {
            if (_depth == 0)
            {
                throw new InvalidOperationException("unbalanced JSON end");
            }

            _depth--;
        }

        private void AppendLong(long value)
        {
            if (value == long.MinValue)
            {
                AppendAscii("-9223372036854775808");
                return;
            }

            if (value < 0)
            {
                AppendByte((byte)'-');
                value = -value;
            }

            int n = 0;
            do
            {
                _digits[n++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);

            Ensure(n);
            while (n > 0)
            {
                _buffer[_length++] = _digits[--n];
            }
        }

        private void AppendAscii(string text)
        {
            Ensure(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                _buffer[_length++] = (byte)text[i];
            }
        }

        private void AppendQuoted(string text)
        {
            AppendByte((byte)'"');
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\')
                {
                    AppendByte((byte)'\\');
                    AppendByte((byte)c);
                }
                else if (c < 0x20)
                {
                    AppendByte((byte)'\\');
                    switch (c)
                    {
                        case '\n': AppendByte((byte)'n'); break;
                        case '\r': AppendByte((byte)'r'); break;
                        case '\t': AppendByte((byte)'t'); break;
                        case '\b': AppendByte((byte)'b'); break;
                        case '\f': AppendByte((byte)'f'); break;
                        default:
                            AppendByte((byte)'u');
                            AppendByte((byte)'0');
                            AppendByte((byte)'0');
                            AppendByte(HexDigit(c >> 4));
                            AppendByte(HexDigit(c & 0xF));
                            break;
                    }
                }
                else if (c < 0x80)
                {
                    AppendByte((byte)c);
                }
                else if (c < 0x800)
                {
                    AppendByte((byte)(0xC0 | (c >> 6)));
                    AppendByte((byte)(0x80 | (c & 0x3F)));
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    int codePoint = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                    AppendByte((byte)(0xF0 | (codePoint >> 18)));
                    AppendByte((byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                    AppendByte((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                    AppendByte((byte)(0x80 | (codePoint & 0x3F)));
                }
                else if (c >= 0xD800 && c <= 0xDFFF)
                {
                    // A lone surrogate is not text: write U+FFFD so the output stays valid UTF-8.
                    AppendByte(0xEF);
                    AppendByte(0xBF);
                    AppendByte(0xBD);
                }
                else
                {
                    AppendByte((byte)(0xE0 | (c >> 12)));
                    AppendByte((byte)(0x80 | ((c >> 6) & 0x3F)));
                    AppendByte((byte)(0x80 | (c & 0x3F)));
                }
            }

            AppendByte((byte)'"');
        }

        // 10^n for the 0-9 decimals the writer takes. Computed, not a static table: nanoCLR keeps what static
        // constructors allocate for the whole run (docs/board.md, "Update tiers per profile").
        private static long PowerOfTen(int n)
        {
            long result = 1;
            for (int i = 0; i < n; i++)
            {
                result *= 10;
            }

            return result;
        }

        private static byte HexDigit(int nibble)
        {
            return (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }

        private void AppendByte(byte b)
        {
            if (_length == _buffer.Length)
            {
                Ensure(1);
            }

            _buffer[_length++] = b;
        }

        private void Ensure(int more)
        {
            int needed = _length + more;
            if (needed <= _buffer.Length)
            {
                return;
            }

            if (needed > _maxCapacity)
            {
                throw new InvalidOperationException("JSON exceeds " + _maxCapacity.ToString() + " bytes");
            }

            int size = _buffer.Length * 2;
            if (size < needed)
            {
                size = needed;
            }

            if (size > _maxCapacity)
            {
                size = _maxCapacity;
            }

            byte[] larger = new byte[size];
            Array.Copy(_buffer, larger, _length);
            _buffer = larger;
        }
    }
}
