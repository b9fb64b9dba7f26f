using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Json;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Json
{
    /// <summary>
    /// Host <see cref="IJsonParser"/> over System.Text.Json producing exactly the shapes nanoFramework.Json gives for
    /// <c>typeof(Hashtable)</c>: objects <see cref="Hashtable"/> (a repeated member keeps the last value), arrays
    /// <see cref="ArrayList"/>, strings, numbers as <see cref="int"/> when they fit, else <see cref="long"/>,
    /// and <see cref="double"/> when the literal has a fraction or exponent (or exceeds long), booleans, null.
    /// Reads with <see cref="Utf8JsonReader"/> (validating, one pass) over a pooled UTF-8 copy of the text, so the
    /// only allocations are the resulting objects themselves: no JsonDocument, no per-number text.
    /// </summary>
    public sealed class SystemTextJsonParser : IJsonParser
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

        /// <inheritdoc />
        public object Parse(string json)
        {
            if (json == null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            byte[] utf8 = ArrayPool<byte>.Shared.Rent(StrictUtf8.GetMaxByteCount(json.Length));
            try
            {
                int length = StrictUtf8.GetBytes(json, 0, json.Length, utf8, 0);
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(utf8, 0, length), Options);
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
            finally
            {
                ArrayPool<byte>.Shared.Return(utf8);
            }
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
