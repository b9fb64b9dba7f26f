using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Json;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// The bytes remote config sends and the first look at what it receives: the <c>thing.config.get</c> request
    /// (params as the Node SDK's getConfig and the documentation send them), <c>push_reply</c>, and the guarded parse of
    /// an incoming message. One writer of each kind, reused; thread-safe (the worker, the job thread and the
    /// application all send).
    /// </summary>
    internal sealed class RemoteConfigWire
    {
        /// <summary>Largest push or get_reply accepted (an offer is a few hundred bytes; OSS URLs are long).</summary>
        public const int MaxPayloadBytes = 4096;

        private readonly object _gate = new object();
        private readonly AlinkRequestWriter _request = new AlinkRequestWriter(256);
        private readonly AlinkReplyWriter _reply = new AlinkReplyWriter(512);

        /// <summary><c>{"id":"7","version":"1.0","params":{"configScope":"product","getType":"file"},"method":"thing.config.get"}</c>.</summary>
        public byte[] GetRequest(string id)
        {
            lock (_gate)
            {
                _request.Begin(id, false);
                JsonWriter json = _request.Json;
                json.BeginObject();
                json.Property("configScope", "product");
                json.Property("getType", "file");
                json.EndObject();
                return _request.Finish("thing.config.get");
            }
        }

        /// <summary><c>{"id":"5","code":200,"data":{}}</c>, or with <c>"message"</c> (the reason) when it is not null.</summary>
        public byte[] PushReply(string id, int code, string message)
        {
            lock (_gate)
            {
                return _reply.Simple(id, code, message);
            }
        }

        /// <summary>The message as a JSON object (size and depth checked first), or null and the problem.</summary>
        public static Hashtable ParseRoot(byte[] payload, out string problem)
        {
            problem = JsonGuard.Check(payload, 0, payload == null ? 0 : payload.Length, MaxPayloadBytes, 8);
            if (problem != null)
            {
                return null;
            }

            Hashtable root = JsonTree.Parse(payload, 0, payload.Length, 8, out problem) as Hashtable;
            if (root == null && problem == null)
            {
                problem = "expected a JSON object";
            }

            return root;
        }

        /// <summary>A reply's id as text (the platform sends a string; a number is accepted), or null.</summary>
        public static string IdOf(Hashtable root)
        {
            object raw = JsonValues.Get(root, "id");
            string id = raw as string;
            long numeric;
            if (id == null && JsonValues.TryToLong(raw, out numeric))
            {
                id = numeric.ToString();
            }

            return id;
        }
    }
}
