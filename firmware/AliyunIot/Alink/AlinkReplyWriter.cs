using AliyunIot.Json;

namespace AliyunIot.Alink
{
    /// <summary>
    /// Writes the device's replies to cloud requests (set_reply, get_reply, service replies, RRPC responses):
    /// success <c>{"id":"9","code":200,"data":{…}}</c>, failure
    /// <c>{"id":"9","code":460,"data":{},"message":"property Temp: above maximum 50"}</c> (aliyun-protocol.md §3.5,
    /// §3.7, §3.18). When the request's id is unknown (unparseable RRPC request) the id member is left out.
    /// Usage: <see cref="Begin"/>, write exactly one data value on <see cref="Json"/>, then <see cref="Finish"/>;
    /// or <see cref="Simple"/> in one call. Not thread-safe.
    /// </summary>
    public sealed class AlinkReplyWriter
    {
        private readonly JsonWriter _json;

        /// <summary>Creates a writer over its own buffer.</summary>
        /// <param name="maxBytes">Largest reply; writing more throws <see cref="System.InvalidOperationException"/>.</param>
        public AlinkReplyWriter(int maxBytes)
        {
            _json = new JsonWriter(maxBytes < 512 ? maxBytes : 512, maxBytes);
        }

        /// <summary>The underlying writer: write the data value here between Begin and Finish.</summary>
        public JsonWriter Json
        {
            get { return _json; }
        }

        /// <summary>Starts a reply: writes up to and including <c>"data":</c>.</summary>
        /// <param name="id">The request's id, or null when it could not be read.</param>
        /// <param name="code">Reply code (<see cref="ReplyCodes"/>).</param>
        public void Begin(string id, int code)
        {
            _json.Reset();
            _json.BeginObject();
            if (id != null)
            {
                _json.Property("id", id);
            }

            _json.Property("code", code);
            _json.Name("data");
        }

        /// <summary>Ends the reply (with <c>"message"</c> when <paramref name="message"/> is not null) and returns the bytes.</summary>
        public byte[] Finish(string message)
        {
            if (message != null)
            {
                _json.Property("message", message);
            }

            _json.EndObject();
            return _json.ToArray();
        }

        /// <summary>A whole reply with empty data: <c>{"id":…,"code":…,"data":{}[,"message":…]}</c>.</summary>
        public byte[] Simple(string id, int code, string message)
        {
            Begin(id, code);
            _json.BeginObject();
            _json.EndObject();
            return Finish(message);
        }
    }
}
