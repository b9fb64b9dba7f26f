using System.Collections;

namespace AliyunIot.Json
{
    /// <summary>
    /// Builds a document tree with <see cref="JsonReader"/>, for the messages read rarely or once (configuration,
    /// OTA jobs, time and registration answers, service inputs): objects become <see cref="Hashtable"/> (a
    /// repeated member keeps the last value), arrays <see cref="ArrayList"/>, strings <see cref="string"/>,
    /// numbers <see cref="int"/> when an integer literal fits, else <see cref="long"/>, and <see cref="double"/>
    /// when the literal has a fraction or exponent or exceeds long; true/false <see cref="bool"/>, null
    /// <c>null</c>. Never throws on bad input: the result is null and <c>problem</c> says why.
    /// The hot paths (property set, replies) read with <see cref="JsonReader"/> directly instead.
    /// </summary>
    public static class JsonTree
    {
        /// <summary>Parses one JSON document of <paramref name="count"/> UTF-8 bytes.</summary>
        /// <param name="data">UTF-8 JSON.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <param name="maxDepth">Deepest nesting accepted (1 = a flat object).</param>
        /// <param name="problem">Why the text was refused (safe to log), or null.</param>
        /// <returns>The root value; null when refused (or when the document is the literal <c>null</c>).</returns>
        public static object Parse(byte[] data, int offset, int count, int maxDepth, out string problem)
        {
            JsonReader reader = new JsonReader();
            reader.Reset(data, offset, count, maxDepth);
            if (!reader.Read())
            {
                problem = reader.Problem;
                return null;
            }

            object root = ReadValue(reader, out problem);
            if (problem != null)
            {
                return null;
            }

            if (reader.Read() || reader.Token != JsonToken.EndOfDocument)
            {
                problem = reader.Problem == null ? "text after the end of the document" : reader.Problem;
                return null;
            }

            return root;
        }

        /// <summary>Parses JSON text (encoded to UTF-8 first; for documents read once, such as device.json).</summary>
        public static object Parse(string json, int maxDepth, out string problem)
        {
            if (json == null)
            {
                problem = "no JSON document";
                return null;
            }

            // The encoder would silently replace a lone surrogate with U+FFFD: such text is not JSON, refuse it.
            for (int i = 0; i < json.Length; i++)
            {
                char c = json[i];
                if (c >= '\uD800' && c <= '\uDBFF' && i + 1 < json.Length && json[i + 1] >= '\uDC00' && json[i + 1] <= '\uDFFF')
                {
                    i++;
                }
                else if (c >= '\uD800' && c <= '\uDFFF')
                {
                    problem = "lone surrogate at character " + i.ToString();
                    return null;
                }
            }

            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(json);
            return Parse(utf8, 0, utf8.Length, maxDepth, out problem);
        }

        /// <summary>
        /// Materializes the value the reader stands on (a scalar, or a whole container from its start token);
        /// the reader is left on the value's last token.
        /// </summary>
        /// <param name="reader">A reader positioned on a value token.</param>
        /// <param name="problem">Why the value could not be read, or null.</param>
        public static object ReadValue(JsonReader reader, out string problem)
        {
            problem = null;
            switch (reader.Token)
            {
                case JsonToken.String:
                    return reader.GetString();
                case JsonToken.True:
                    return true;
                case JsonToken.False:
                    return false;
                case JsonToken.Null:
                    return null;
                case JsonToken.Number:
                    return Number(reader, out problem);
                case JsonToken.StartObject:
                    return ReadObject(reader, out problem);
                case JsonToken.StartArray:
                    return ReadArray(reader, out problem);
            }

            problem = reader.Problem == null ? "expected a value" : reader.Problem;
            return null;
        }

        /// <summary>The current number boxed as <see cref="int"/>, <see cref="long"/> or <see cref="double"/> (see the class).</summary>
        public static object Number(JsonReader reader, out string problem)
        {
            problem = null;
            long integer;
            if (reader.TryGetInt64(out integer))
            {
                if (integer >= int.MinValue && integer <= int.MaxValue)
                {
                    return (int)integer;
                }

                return integer;
            }

            double number;
            if (reader.TryGetDouble(out number))
            {
                return number;
            }

            problem = "number out of range";
            return null;
        }

        private static Hashtable ReadObject(JsonReader reader, out string problem)
        {
            Hashtable table = new Hashtable();
            while (reader.Read())
            {
                if (reader.Token == JsonToken.EndObject)
                {
                    problem = null;
                    return table;
                }

                string name = reader.GetString();
                if (!reader.Read())
                {
                    break;
                }

                object value = ReadValue(reader, out problem);
                if (problem != null)
                {
                    return null;
                }

                table[name] = value;
            }

            problem = reader.Problem == null ? "truncated document" : reader.Problem;
            return null;
        }

        private static ArrayList ReadArray(JsonReader reader, out string problem)
        {
            ArrayList list = new ArrayList();
            while (reader.Read())
            {
                if (reader.Token == JsonToken.EndArray)
                {
                    problem = null;
                    return list;
                }

                object value = ReadValue(reader, out problem);
                if (problem != null)
                {
                    return null;
                }

                list.Add(value);
            }

            problem = reader.Problem == null ? "truncated document" : reader.Problem;
            return null;
        }
    }
}
