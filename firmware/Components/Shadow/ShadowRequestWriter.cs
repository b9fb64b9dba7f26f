using System.Collections;
using AliyunIot.Json;

namespace AliyunIot.Shadow
{
    /// <summary>
    /// Writes the device's shadow requests in the exact forms of Link SDK 4.x <c>shadow_private.h</c>
    /// (<c>SHADOW_PAYLOAD_GET</c>, <c>SHADOW_PAYLOAD_REQ_FMT</c>, <c>SHADOW_PAYLOAD_CLEAN_FMT</c>):
    /// <c>{"method":"get"}</c>, <c>{"method":"update|delete","state":{"reported":…},"version":N}</c> and
    /// <c>{"method":"update","state":{"desired":"null"},"version":N}</c>, through one reused buffer; each call returns
    /// a fresh array (the outbox keeps it). Not thread-safe: <see cref="DeviceShadow"/> calls it under its lock.
    /// </summary>
    internal sealed class ShadowRequestWriter
    {
        private const string NullText = "null";
        private readonly JsonWriter _json;

        /// <summary>Creates the writer.</summary>
        /// <param name="maxPayloadBytes">Largest request; a larger one throws <see cref="System.InvalidOperationException"/>.</param>
        internal ShadowRequestWriter(int maxPayloadBytes)
        {
            _json = new JsonWriter(maxPayloadBytes < 256 ? maxPayloadBytes : 256, maxPayloadBytes);
        }

        internal byte[] Get()
        {
            _json.Reset();
            _json.BeginObject();
            _json.Property("method", "get");
            _json.EndObject();
            return _json.ToArray();
        }

        internal byte[] Update(Hashtable reported, long version)
        {
            Begin("update");
            _json.Name("reported");
            JsonValueWriter.Write(_json, reported);
            return End(version);
        }

        /// <param name="keys">Attributes to delete, or null for the whole reported state.</param>
        /// <param name="version">The request's version.</param>
        internal byte[] Delete(string[] keys, long version)
        {
            Begin("delete");
            if (keys == null)
            {
                _json.Property("reported", NullText);
            }
            else
            {
                _json.Name("reported");
                _json.BeginObject();
                for (int i = 0; i < keys.Length; i++)
                {
                    _json.Property(keys[i], NullText);
                }

                _json.EndObject();
            }

            return End(version);
        }

        internal byte[] ClearDesired(long version)
        {
            Begin("update");
            _json.Property("desired", NullText);
            return End(version);
        }

        // {"method":…,"state":{ — the caller writes the state's members.
        private void Begin(string method)
        {
            _json.Reset();
            _json.BeginObject();
            _json.Property("method", method);
            _json.Name("state");
            _json.BeginObject();
        }

        private byte[] End(long version)
        {
            _json.EndObject();
            _json.Property("version", version);
            _json.EndObject();
            return _json.ToArray();
        }
    }
}
