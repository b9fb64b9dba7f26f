using AliyunIot.Json;

namespace AliyunIot.Alink
{
    /// <summary>
    /// Writes the Alink request envelope around caller-written params, in this exact key order:
    /// <c>{"id":"7","version":"1.0","sys":{"ack":1},"params":…,"method":"thing.event.property.post"}</c>
    /// (aliyun-protocol.md §3.1). Usage: <see cref="Begin"/>, write exactly one params value on <see cref="Json"/>,
    /// then <see cref="Finish"/>. Not thread-safe: one writer per thread of use.
    /// </summary>
    public sealed class AlinkRequestWriter
    {
        private readonly JsonWriter _json;

        /// <summary>Creates a writer over its own buffer.</summary>
        /// <param name="maxBytes">Largest message; writing more throws <see cref="System.InvalidOperationException"/>.</param>
        public AlinkRequestWriter(int maxBytes)
        {
            _json = new JsonWriter(maxBytes < 512 ? maxBytes : 512, maxBytes);
        }

        /// <summary>The underlying writer: write the params value here between Begin and Finish.</summary>
        public JsonWriter Json
        {
            get { return _json; }
        }

        /// <summary>Starts a request: writes everything up to and including <c>"params":</c>.</summary>
        /// <param name="id">Message id from <see cref="AlinkIds"/>.</param>
        /// <param name="ack">true writes <c>"sys":{"ack":1}</c> (ask for a reply); false omits <c>sys</c>.</param>
        public void Begin(string id, bool ack)
        {
            _json.Reset();
            _json.BeginObject();
            _json.Property("id", id);
            _json.Property("version", "1.0");
            if (ack)
            {
                _json.Name("sys");
                _json.BeginObject();
                _json.Property("ack", 1);
                _json.EndObject();
            }

            _json.Name("params");
        }

        /// <summary>Ends the request with its method and returns the UTF-8 bytes (a fresh array the caller may keep).</summary>
        public byte[] Finish(string method)
        {
            _json.Property("method", method);
            _json.EndObject();
            return _json.ToArray();
        }
    }
}
