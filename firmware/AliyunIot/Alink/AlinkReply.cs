using System.Collections;
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
        private AlinkReply(string id, int code, object data, string message, string method, string version)
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

        /// <summary>Reads a reply from a parsed JSON object.</summary>
        /// <exception cref="JsonFieldException">No usable id or code, or a member of the wrong type.</exception>
        public static AlinkReply From(Hashtable root)
        {
            string id = JsonValues.GetId(root);
            long code = JsonValues.GetLong(root, "code");
            if (code < int.MinValue || code > int.MaxValue)
            {
                throw new JsonFieldException("code", "out of range");
            }

            object message = JsonValues.Get(root, "message");
            object method = JsonValues.Get(root, "method");
            object version = JsonValues.Get(root, "version");
            return new AlinkReply(
                id,
                (int)code,
                JsonValues.Get(root, "data"),
                message as string,
                method as string,
                version as string);
        }
    }
}
