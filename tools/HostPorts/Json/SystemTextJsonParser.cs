using System.Collections;
using System.Text.Json;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Json
{
    /// <summary>
    /// Host <see cref="IJsonParser"/> over System.Text.Json producing exactly the shapes nanoFramework.Json gives for
    /// <c>typeof(Hashtable)</c>: objects <see cref="Hashtable"/> (a repeated member keeps the last value), arrays
    /// <see cref="ArrayList"/>, strings, numbers as <see cref="int"/> when they fit, else <see cref="long"/>,
    /// and <see cref="double"/> when the literal has a fraction or exponent (or exceeds long), booleans, null.
    /// </summary>
    public sealed class SystemTextJsonParser : IJsonParser
    {
        private static readonly JsonDocumentOptions Options = new JsonDocumentOptions
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

            using JsonDocument document = JsonDocument.Parse(json, Options);
            return Convert(document.RootElement);
        }

        private static object Convert(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var table = new Hashtable();
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        table[property.Name] = Convert(property.Value);
                    }

                    return table;
                case JsonValueKind.Array:
                    var list = new ArrayList();
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        list.Add(Convert(item));
                    }

                    return list;
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    return ConvertNumber(element);
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }

        private static object ConvertNumber(JsonElement element)
        {
            string literal = element.GetRawText();
            bool isFloat = literal.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0;
            if (!isFloat)
            {
                if (element.TryGetInt32(out int i))
                {
                    return i;
                }

                if (element.TryGetInt64(out long l))
                {
                    return l;
                }
            }

            return element.GetDouble();
        }
    }
}
