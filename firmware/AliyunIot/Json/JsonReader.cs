namespace AliyunIot.Json
{
    /// <summary>
    /// A strict pull reader over UTF-8 JSON bytes: each <see cref="Read"/> moves to the next token and records
    /// where its text is, without allocating. Strings are compared to constants in place
    /// (<see cref="ValueEquals"/>) and materialized only on request (<see cref="GetString"/>); numbers are read
    /// straight from the bytes (<see cref="TryGetInt64"/>, <see cref="TryGetDouble"/>). Malformed text, nesting
    /// deeper than the limit, invalid UTF-8, bad escapes and lone surrogates end in <see cref="JsonToken.Error"/>
    /// with a <see cref="Problem"/> that never repeats the payload: no exception is thrown on the network path.
    /// The same code runs on the device and on the host, so host tests cover the device's parsing.
    /// One instance is reused message after message (<see cref="Reset"/>); it is not thread-safe.
    /// </summary>
    public sealed class JsonReader
    {
        /// <summary>Deepest nesting the reader supports (the container stack is a 64-bit mask).</summary>
        public const int MaxSupportedDepth = 64;

        private const int ExpectValue = 0;
        private const int ExpectValueOrEndArray = 1;
        private const int ExpectNameOrEndObject = 2;
        private const int ExpectName = 3;
        private const int ExpectCommaOrEnd = 4;
        private const int Done = 5;
        private const int Failed = 6;

        private byte[] _data;
        private int _start;
        private int _pos;
        private int _end;
        private int _maxDepth;
        private int _depth;
        private ulong _objects;
        private int _state;
        private int _valueStart;
        private int _valueLength;
        private int _charCount;
        private bool _hasEscapes;
        private bool _ascii;
        private bool _isInteger;

        /// <summary>The token the reader stands on.</summary>
        public JsonToken Token { get; private set; }

        /// <summary>Open containers around the current position (1 inside the root object).</summary>
        public int Depth
        {
            get { return _depth; }
        }

        /// <summary>Why the text was refused, or null (safe to log: no payload text).</summary>
        public string Problem { get; private set; }

        /// <summary>Length in UTF-16 code units of the current string or name once decoded.</summary>
        public int StringLength
        {
            get { return _charCount; }
        }

        /// <summary>True when the current number has no fraction and no exponent.</summary>
        public bool IsIntegerLiteral
        {
            get { return _isInteger; }
        }

        /// <summary>Offset in the buffer of the current token's first byte (the quote for strings).</summary>
        public int TokenStart { get; private set; }

        /// <summary>Offset just after the current token (after the closing bracket for an end token).</summary>
        public int Position
        {
            get { return _pos; }
        }

        /// <summary>The buffer being read.</summary>
        public byte[] Data
        {
            get { return _data; }
        }

        /// <summary>Starts reading <paramref name="count"/> bytes of <paramref name="data"/> at <paramref name="offset"/>.</summary>
        /// <param name="data">UTF-8 JSON.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <param name="maxDepth">Deepest nesting accepted (1 = a flat object), at most <see cref="MaxSupportedDepth"/>.</param>
        public void Reset(byte[] data, int offset, int count, int maxDepth)
        {
            _data = data;
            _start = offset;
            _pos = offset;
            _end = offset + count;
            _maxDepth = maxDepth < 1 ? 1 : (maxDepth > MaxSupportedDepth ? MaxSupportedDepth : maxDepth);
            _depth = 0;
            _objects = 0;
            _state = ExpectValue;
            _valueStart = 0;
            _valueLength = 0;
            _charCount = 0;
            Token = JsonToken.None;
            Problem = null;
            TokenStart = offset;
            if (data == null || offset < 0 || count < 0 || count > data.Length - offset)
            {
                _data = null;
                _end = 0;
                _pos = 0;
                Fail("bad range");
            }
        }

        /// <summary>Moves to the next token.</summary>
        /// <returns>False at <see cref="JsonToken.EndOfDocument"/> or <see cref="JsonToken.Error"/>.</returns>
        public bool Read()
        {
            if (_state == Failed)
            {
                return false;
            }

            while (true)
            {
                SkipWhitespace();
                if (_pos >= _end)
                {
                    if (_state == Done)
                    {
                        Token = JsonToken.EndOfDocument;
                        return false;
                    }

                    return Fail(_pos == _start ? "no JSON document" : "truncated document");
                }

                TokenStart = _pos;
                byte b = _data[_pos];
                switch (_state)
                {
                    case Done:
                        return Fail("text after the end of the document at byte " + (_pos - _start).ToString());

                    case ExpectCommaOrEnd:
                        if (b == (byte)',')
                        {
                            _pos++;
                            _state = InObject() ? ExpectName : ExpectValue;
                            continue;
                        }

                        if (b == (byte)'}' || b == (byte)']')
                        {
                            return Close(b);
                        }

                        return Fail("expected ',' or a closing bracket at byte " + (_pos - _start).ToString());

                    case ExpectNameOrEndObject:
                        if (b == (byte)'}')
                        {
                            return Close(b);
                        }

                        return ReadName(b);

                    case ExpectName:
                        return ReadName(b);

                    case ExpectValueOrEndArray:
                        if (b == (byte)']')
                        {
                            return Close(b);
                        }

                        return ReadValue(b);

                    default:
                        return ReadValue(b);
                }
            }
        }

        /// <summary>
        /// Skips what the current token opens: the whole value after a <see cref="JsonToken.PropertyName"/>, the rest
        /// of a container after its start token; nothing for a scalar. The reader then stands on the last token skipped.
        /// </summary>
        /// <returns>False when the text is malformed.</returns>
        public bool Skip()
        {
            if (Token == JsonToken.PropertyName && !Read())
            {
                return false;
            }

            if (Token != JsonToken.StartObject && Token != JsonToken.StartArray)
            {
                return Token != JsonToken.Error;
            }

            int depth = _depth;
            while (Read())
            {
                if ((Token == JsonToken.EndObject || Token == JsonToken.EndArray) && _depth < depth)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// True when the current string or property name, decoded, equals <paramref name="text"/> (ordinal). Allocates nothing.
        /// </summary>
        public bool ValueEquals(string text)
        {
            if ((Token != JsonToken.String && Token != JsonToken.PropertyName) || text == null || text.Length != _charCount)
            {
                return false;
            }

            if (!_hasEscapes && _ascii)
            {
                for (int i = 0; i < _valueLength; i++)
                {
                    if (_data[_valueStart + i] != text[i])
                    {
                        return false;
                    }
                }

                return true;
            }

            int p = _valueStart;
            int pending = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (NextUnit(ref p, ref pending) != text[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The current string or property name, decoded (one allocation; two with escapes or non-ASCII text).</summary>
        /// <returns>null when the reader is not on a string or name.</returns>
        public string GetString()
        {
            if (Token != JsonToken.String && Token != JsonToken.PropertyName)
            {
                return null;
            }

            if (_charCount == 0)
            {
                return string.Empty;
            }

            if (!_hasEscapes && _ascii)
            {
                return System.Text.Encoding.UTF8.GetString(_data, _valueStart, _valueLength);
            }

            // Decoded here rather than by Encoding.UTF8 so both runtimes produce the same UTF-16 (pairs included).
            char[] chars = new char[_charCount];
            int p = _valueStart;
            int pending = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = NextUnit(ref p, ref pending);
            }

            return new string(chars);
        }

        /// <summary>Reads the current number as a 64-bit integer.</summary>
        /// <returns>False when it is not a number, has a fraction or exponent, or does not fit a long.</returns>
        public bool TryGetInt64(out long value)
        {
            value = 0;
            return Token == JsonToken.Number && _isInteger && JsonNumber.TryParseInt64(_data, _valueStart, _valueLength, out value);
        }

        /// <summary>Reads the current number as a double.</summary>
        /// <returns>False when it is not a number or its magnitude exceeds double's range.</returns>
        public bool TryGetDouble(out double value)
        {
            value = 0;
            return Token == JsonToken.Number && JsonNumber.TryParseDouble(_data, _valueStart, _valueLength, out value);
        }

        private bool ReadName(byte b)
        {
            if (b != (byte)'"')
            {
                return Fail("expected a property name at byte " + (_pos - _start).ToString());
            }

            if (!ScanString())
            {
                return false;
            }

            SkipWhitespace();
            if (_pos >= _end)
            {
                return Fail("truncated document");
            }

            if (_data[_pos] != (byte)':')
            {
                return Fail("expected ':' at byte " + (_pos - _start).ToString());
            }

            _pos++;
            _state = ExpectValue;
            Token = JsonToken.PropertyName;
            return true;
        }

        private bool ReadValue(byte b)
        {
            if (b == (byte)'{' || b == (byte)'[')
            {
                if (_depth >= _maxDepth)
                {
                    return Fail("nesting deeper than " + _maxDepth.ToString());
                }

                ulong bit = 1UL << _depth;
                _objects = b == (byte)'{' ? (_objects | bit) : (_objects & ~bit);
                _depth++;
                _pos++;
                _state = b == (byte)'{' ? ExpectNameOrEndObject : ExpectValueOrEndArray;
                Token = b == (byte)'{' ? JsonToken.StartObject : JsonToken.StartArray;
                return true;
            }

            if (b == (byte)'"')
            {
                if (!ScanString())
                {
                    return false;
                }

                Token = JsonToken.String;
            }
            else if (b == (byte)'-' || (b >= (byte)'0' && b <= (byte)'9'))
            {
                if (!ScanNumber())
                {
                    return false;
                }

                Token = JsonToken.Number;
            }
            else if (b == (byte)'t')
            {
                if (!ScanLiteral("true"))
                {
                    return false;
                }

                Token = JsonToken.True;
            }
            else if (b == (byte)'f')
            {
                if (!ScanLiteral("false"))
                {
                    return false;
                }

                Token = JsonToken.False;
            }
            else if (b == (byte)'n')
            {
                if (!ScanLiteral("null"))
                {
                    return false;
                }

                Token = JsonToken.Null;
            }
            else
            {
                return Fail("unexpected character at byte " + (_pos - _start).ToString());
            }

            _state = _depth == 0 ? Done : ExpectCommaOrEnd;
            return true;
        }

        private bool Close(byte b)
        {
            bool isObject = InObject();
            if (isObject != (b == (byte)'}'))
            {
                return Fail("mismatched closing bracket at byte " + (_pos - _start).ToString());
            }

            _depth--;
            _pos++;
            _state = _depth == 0 ? Done : ExpectCommaOrEnd;
            Token = isObject ? JsonToken.EndObject : JsonToken.EndArray;
            return true;
        }

        private bool InObject()
        {
            return _depth > 0 && (_objects & (1UL << (_depth - 1))) != 0;
        }

        private void SkipWhitespace()
        {
            while (_pos < _end)
            {
                byte b = _data[_pos];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
                {
                    return;
                }

                _pos++;
            }
        }

        private bool ScanLiteral(string literal)
        {
            if (_end - _pos < literal.Length)
            {
                return Fail("truncated document");
            }

            for (int i = 0; i < literal.Length; i++)
            {
                if (_data[_pos + i] != literal[i])
                {
                    return Fail("unexpected character at byte " + (_pos + i - _start).ToString());
                }
            }

            _pos += literal.Length;
            return true;
        }

        private bool ScanNumber()
        {
            int begin = _pos;
            bool isInteger;
            int end = JsonNumber.Scan(_data, _pos, _end, out isInteger);
            if (end < 0)
            {
                return Fail(-end >= _end ? "truncated document" : "malformed number at byte " + (begin - _start).ToString());
            }

            _pos = end;
            _isInteger = isInteger;
            _valueStart = begin;
            _valueLength = end - begin;
            return true;
        }

        // Validates a string from its opening quote and records its content range and decoded length.
        private bool ScanString()
        {
            int begin = _pos;
            int chars;
            bool escapes;
            bool ascii;
            string problem;
            int problemAt;
            int end = JsonText.ScanString(_data, _pos, _end, out chars, out escapes, out ascii, out problem, out problemAt);
            if (end < 0)
            {
                return Fail(problemAt < 0 ? problem : problem + (problemAt == begin ? " from byte " : " at byte ") + (problemAt - _start).ToString());
            }

            _valueStart = begin + 1;
            _valueLength = end - 1 - _valueStart;
            _charCount = chars;
            _hasEscapes = escapes;
            _ascii = ascii;
            _pos = end;
            return true;
        }

        private char NextUnit(ref int p, ref int pending)
        {
            return JsonText.NextUnit(_data, ref p, ref pending);
        }

        private bool Fail(string problem)
        {
            if (_state != Failed)
            {
                Problem = problem;
            }

            _state = Failed;
            Token = JsonToken.Error;
            return false;
        }
    }
}
