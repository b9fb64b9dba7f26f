using System.Collections;
using System.Text;
using System.Text.Json;

namespace AliyunIot.Tests.Support
{
    /// <summary>
    /// Reference parser for tests only: System.Text.Json producing the tree shapes the core's <c>JsonTree</c> promises
    /// (objects <see cref="Hashtable"/>, a repeated member keeps the last value; arrays <see cref="ArrayList"/>;
    /// numbers <see cref="int"/>, else <see cref="long"/>, and <see cref="double"/> for a fraction or exponent or
    /// beyond long). It is no longer on any message path (host and device both parse with the core's JsonReader);
    /// differential tests compare the core's parser against it. Throws on malformed text.
    /// </summary>
    public sealed class ReferenceJsonParser
    {
        // Throws on lone surrogates, as JsonDocument.Parse(string) does: such text is not JSON.
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        private static readonly JsonReaderOptions Options = new JsonReaderOptions
        {
            // The core runs JsonGuard first; this is a second fence, not the policy.
            MaxDepth = 64,
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
        };

        /// <summary>Parses <paramref name="json"/>; throws on anything that is not exactly one JSON value.</summary>
        public object Parse(string json)
        {
            if (json == null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            return ParseUtf8(StrictUtf8.GetBytes(json));
        }

        /// <summary>Parses UTF-8 bytes; throws on anything that is not exactly one JSON value (or not UTF-8).</summary>
        public object ParseUtf8(byte[] utf8)
        {
            var reader = new Utf8JsonReader(utf8, Options);
            if (!reader.Read())
            {
                throw new JsonException("no JSON value");
            }

            object value = ReadValue(ref reader);

            // The reader throws on anything but whitespace after the single root value.
            if (reader.Read())
            {
                throw new JsonException("more than one JSON value");
            }

            return value;
        }

        private static object ReadValue(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    var table = new Hashtable();
                    while (Next(ref reader) != JsonTokenType.EndObject)
                    {
                        string name = reader.GetString();
                        Next(ref reader);
                        table[name] = ReadValue(ref reader);
                    }

                    return table;
                case JsonTokenType.StartArray:
                    var list = new ArrayList();
                    while (Next(ref reader) != JsonTokenType.EndArray)
                    {
                        list.Add(ReadValue(ref reader));
                    }

                    return list;
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    return ReadNumber(ref reader);
                case JsonTokenType.True:
                    return true;
                case JsonTokenType.False:
                    return false;
                case JsonTokenType.Null:
                    return null;
                default:
                    throw new JsonException("unexpected token " + reader.TokenType.ToString());
            }
        }

        private static JsonTokenType Next(ref Utf8JsonReader reader)
        {
            // The whole text is one final block, so running out of tokens inside a value means it was cut short
            // (the reader normally throws first).
            if (!reader.Read())
            {
                throw new JsonException("unexpected end of JSON");
            }

            return reader.TokenType;
        }

        private static object ReadNumber(ref Utf8JsonReader reader)
        {
            // A number token is never escaped and the input is one contiguous span, so ValueSpan is the literal.
            bool isFloat = reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0;
            if (!isFloat)
            {
                if (reader.TryGetInt32(out int i))
                {
                    return i;
                }

                if (reader.TryGetInt64(out long l))
                {
                    return l;
                }
            }

            return reader.GetDouble();
        }
    }
}
