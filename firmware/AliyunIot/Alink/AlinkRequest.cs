using System.Collections;
using AliyunIot.Json;

namespace AliyunIot.Alink
{
    /// <summary>
    /// A request from the cloud (property set/get, service call):
    /// <c>{"method":"thing.service.property.set","id":"280608376","params":{…},"version":"1.0.0"}</c>.
    /// <c>method</c> is optional (the platform derives it from the topic); any <c>version</c> is accepted.
    /// </summary>
    public sealed class AlinkRequest
    {
        private AlinkRequest(string id, string method, object parameters, string version)
        {
            Id = id;
            Method = method;
            Params = parameters;
            Version = version;
        }

        /// <summary>Request id (decimal string), echoed in the reply.</summary>
        public string Id { get; private set; }

        /// <summary>The <c>method</c> member, or null when absent.</summary>
        public string Method { get; private set; }

        /// <summary>The <c>params</c> member as parsed (Hashtable, ArrayList, value or null).</summary>
        public object Params { get; private set; }

        /// <summary>The <c>version</c> member, or null.</summary>
        public string Version { get; private set; }

        /// <summary>Reads a request from a parsed JSON object.</summary>
        /// <exception cref="JsonFieldException">Missing or malformed id, or a method that is not a string.</exception>
        public static AlinkRequest From(Hashtable root)
        {
            string id = JsonValues.GetId(root);
            string method = JsonValues.GetOptionalString(root, "method");
            object version = JsonValues.Get(root, "version");
            return new AlinkRequest(id, method, JsonValues.Get(root, "params"), version as string);
        }

        /// <summary>True when <paramref name="root"/> looks like a reply (has <c>code</c>, no <c>method</c> or <c>params</c>).</summary>
        public static bool LooksLikeReply(Hashtable root)
        {
            return root.Contains("code") && !root.Contains("method") && !root.Contains("params");
        }
    }
}
