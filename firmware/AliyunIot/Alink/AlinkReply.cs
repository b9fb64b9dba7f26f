using AliyunIot.Json;

namespace AliyunIot.Alink
{
    /// <summary>
    /// A reply from the cloud (<c>…_reply</c> topics):
    /// <c>{"code":200,"data":{},"id":"1","message":"success","method":"…","version":"1.0"}</c>. The id may be a
    /// string or a number; any version is accepted (downlink uses "1.0.0" too, aliyun-protocol.md §10.6).
    /// </summary>
    public sealed class AlinkReply
    {
        internal AlinkReply(string id, int code, object data, string message, string method, string version)
        {
            Id = id;
            Code = code;
            Data = data;
            Message = message;
            Method = method;
            Version = version;
        }

        /// <summary>Id of the request this answers (decimal string).</summary>
        public string Id { get; private set; }

        /// <summary>Reply code (<see cref="ReplyCodes"/>).</summary>
        public int Code { get; private set; }

        /// <summary>The <c>data</c> member as parsed (Hashtable, ArrayList, value or null).</summary>
        public object Data { get; private set; }

        /// <summary>The <c>message</c> member, or null.</summary>
        public string Message { get; private set; }

        /// <summary>The <c>method</c> member, or null.</summary>
        public string Method { get; private set; }

        /// <summary>The <c>version</c> member, or null.</summary>
        public string Version { get; private set; }

        /// <summary>Reads a reply from its UTF-8 JSON (see <see cref="AlinkEnvelope"/>); never throws on bad input.</summary>
        /// <param name="payload">The reply as received.</param>
        /// <param name="problem">Why it is not a usable reply (no usable id or code, not JSON), or null.</param>
        /// <returns>The reply, or null.</returns>
        public static AlinkReply Read(byte[] payload, out string problem)
        {
            AlinkEnvelope envelope = new AlinkEnvelope();
            problem = envelope.Read(payload, payload == null ? 0 : payload.Length, JsonGuard.DefaultMaxDepth);
            return problem != null ? null : envelope.ToReply(out problem);
        }
    }
}
