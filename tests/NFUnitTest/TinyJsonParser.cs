using System;
using System.Collections;
using System.Text;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// A small strict <see cref="IJsonParser"/> for the on-device tests: it produces the shapes the port promises
    /// (Hashtable, ArrayList, string, int/long/double, bool, null) so the core can be fed real JSON text on a board
    /// where the device's own parser lives in the hardware project. Any malformed text throws, as the port allows.
    /// Culture-free: numbers are assembled digit by digit, never through double.Parse.
    /// </summary>
    internal sealed class TinyJsonParser : IJsonParser
    {
        private string _text;
        private int _at;

        /// <inheritdoc />
        public object Parse(string json)
        {
            _text = json;
            _at = 0;
            object value = Value(0);
            SkipSpace();
            if (_at != _text.Length)
            {
                throw Fail("text after the value");
            }

            return value;
        }

        private object Value(int depth)
        {
            if (depth > 32)
            {
                throw Fail("too deep");
            }

            SkipSpace();
            if (_at >= _text.Length)
            {
                throw Fail("value expected");
            }

            char c = _text[_at];
            switch (c)
            {
                case '{':
                    return Object(depth);
                case '[':
                    return Array(depth);
                case '"':
                    return String();
                case 't':
                    Literal("true");
                    return true;
                case 'f':
                    Literal("false");
                    return false;
                case 'n':
                    Literal("null");
                    return null;
                default:
                    return Number();
            }
        }

        private Hashtable Object(int depth)
        {
            Hashtable result = new Hashtable();
            _at++;
            SkipSpace();
            if (Peek() == '}')
            {
                _at++;
                return result;
            }

            while (true)
            {
                SkipSpace();
                if (Peek() != '"')
                {
                    throw Fail("member name expected");
                }

                string name = String();
                SkipSpace();
                Expect(':');
                result[name] = Value(depth + 1);
                SkipSpace();
                char c = Next();
                if (c == '}')
                {
                    return result;
                }

                if (c != ',')
                {
                    throw Fail("',' or '}' expected");
                }
            }
        }

        private ArrayList Array(int depth)
        {
            ArrayList result = new ArrayList();
            _at++;
            SkipSpace();
            if (Peek() == ']')
            {
                _at++;
                return result;
            }

            while (true)
            {
                result.Add(Value(depth + 1));
                SkipSpace();
                char c = Next();
                if (c == ']')
                {
                    return result;
                }

                if (c != ',')
                {
                    throw Fail("',' or ']' expected");
                }
            }
        }

        private string String()
        {
            Expect('"');
            StringBuilder sb = new StringBuilder();
            while (true)
            {
                char c = Next();
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c < ' ')
                {
                    throw Fail("control character in a string");
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }

                char e = Next();
                switch (e)
                {
                    case '"':
                    case '\\':
                    case '/':
                        sb.Append(e);
                        break;
                    case 'b':
                        sb.Append('\b');
                        break;
                    case 'f':
                        sb.Append('\f');
                        break;
                    case 'n':
                        sb.Append('\n');
                        break;
                    case 'r':
                        sb.Append('\r');
                        break;
                    case 't':
                        sb.Append('\t');
                        break;
                    case 'u':
                        int code = 0;
                        for (int i = 0; i < 4; i++)
                        {
                            code = (code * 16) + HexDigit(Next());
                        }

                        sb.Append((char)code);
                        break;
                    default:
                        throw Fail("bad escape");
                }
            }
        }

        private object Number()
        {
            bool negative = false;
            if (Peek() == '-')
            {
                negative = true;
                _at++;
            }

            int start = _at;
            long mantissa = 0;
            int digits = 0;
            int fraction = 0;
            bool isDouble = false;
            while (_at < _text.Length && IsDigit(_text[_at]))
            {
                Accumulate(ref mantissa, ref digits, _text[_at]);
                _at++;
            }

            int integerDigits = _at - start;
            if (integerDigits == 0 || (integerDigits > 1 && _text[start] == '0'))
            {
                throw Fail("bad number");
            }

            if (Peek() == '.')
            {
                isDouble = true;
                _at++;
                int fractionStart = _at;
                while (_at < _text.Length && IsDigit(_text[_at]))
                {
                    Accumulate(ref mantissa, ref digits, _text[_at]);
                    fraction++;
                    _at++;
                }

                if (_at == fractionStart)
                {
                    throw Fail("bad fraction");
                }
            }

            int exponent = 0;
            if (Peek() == 'e' || Peek() == 'E')
            {
                isDouble = true;
                _at++;
                bool negativeExponent = false;
                if (Peek() == '+' || Peek() == '-')
                {
                    negativeExponent = Next() == '-';
                }

                int exponentStart = _at;
                while (_at < _text.Length && IsDigit(_text[_at]))
                {
                    exponent = exponent > 10000 ? exponent : (exponent * 10) + (_text[_at] - '0');
                    _at++;
                }

                if (_at == exponentStart)
                {
                    throw Fail("bad exponent");
                }

                exponent = negativeExponent ? -exponent : exponent;
            }

            if (digits > 18)
            {
                // Beyond 18 digits the mantissa stopped growing; what was dropped only scales it.
                exponent += digits - 18;
                isDouble = true;
            }

            if (!isDouble)
            {
                long whole = negative ? -mantissa : mantissa;
                if (whole >= int.MinValue && whole <= int.MaxValue)
                {
                    return (int)whole;
                }

                return whole;
            }

            double value = Scale(mantissa, exponent - fraction);
            return negative ? -value : value;
        }

        private static void Accumulate(ref long mantissa, ref int digits, char c)
        {
            if (digits < 18)
            {
                mantissa = (mantissa * 10) + (c - '0');
            }

            if (digits > 0 || c != '0')
            {
                digits++;
            }
        }

        // One rounding: the exact mantissa divided or multiplied by an exact power of ten where possible.
        private static double Scale(long mantissa, int power)
        {
            double value = mantissa;
            if (power < 0)
            {
                int down = -power;
                while (down > 22)
                {
                    value /= 1e22;
                    down -= 22;
                }

                return value / PowerOfTen(down);
            }

            int up = power;
            while (up > 22)
            {
                value *= 1e22;
                up -= 22;
            }

            return value * PowerOfTen(up);
        }

        private static double PowerOfTen(int n)
        {
            double p = 1;
            for (int i = 0; i < n; i++)
            {
                p *= 10;
            }

            return p;
        }

        private void Literal(string word)
        {
            for (int i = 0; i < word.Length; i++)
            {
                if (Next() != word[i])
                {
                    throw Fail("bad literal");
                }
            }
        }

        private void SkipSpace()
        {
            while (_at < _text.Length && (_text[_at] == ' ' || _text[_at] == '\t' || _text[_at] == '\r' || _text[_at] == '\n'))
            {
                _at++;
            }
        }

        private char Peek()
        {
            return _at < _text.Length ? _text[_at] : '\0';
        }

        private char Next()
        {
            if (_at >= _text.Length)
            {
                throw Fail("unexpected end");
            }

            return _text[_at++];
        }

        private void Expect(char c)
        {
            if (Next() != c)
            {
                throw Fail("'" + c.ToString() + "' expected");
            }
        }

        private static bool IsDigit(char c)
        {
            return c >= '0' && c <= '9';
        }

        private int HexDigit(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            throw Fail("bad \\u escape");
        }

        private Exception Fail(string why)
        {
            return new ArgumentException("malformed JSON at " + _at.ToString() + ": " + why);
        }
    }
}
