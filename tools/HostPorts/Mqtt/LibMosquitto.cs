using System.Runtime.InteropServices;

namespace AliyunIot.HostPorts.Mqtt
{
    /// <summary>
    /// The part of Debian's libmosquitto1 (2.0.x, <c>libmosquitto.so.1</c>) that <see cref="MosquittoTransport"/> uses.
    /// Every string crosses as UTF-8; every callback is an <c>[UnmanagedCallersOnly]</c> function pointer.
    /// </summary>
    internal static unsafe partial class LibMosquitto
    {
        private const string Lib = "libmosquitto.so.1";

        internal const int ErrSuccess = 0;
        internal const int ErrNoConn = 4;
        internal const int ErrConnRefused = 5;
        internal const int ErrConnLost = 7;
        internal const int ErrTls = 8;
        internal const int ErrNotSupported = 10;
        internal const int ErrErrno = 14;
        internal const int ErrEai = 15;
        internal const int ErrTlsHandshake = 23;

        internal const int OptProtocolVersion = 1;
        internal const int OptTcpNoDelay = 11;

        internal const int PropSessionExpiryInterval = 17;
        internal const int PropUserProperty = 38;

        internal const int LogErr = 1 << 3;
        internal const int LogWarning = 1 << 2;

        private static readonly object InitGate = new object();
        private static bool _initialised;

        /// <summary>Calls <c>mosquitto_lib_init</c> once per process (it is not reference counted in a useful way).</summary>
        internal static void EnsureInitialised()
        {
            lock (InitGate)
            {
                if (!_initialised)
                {
                    mosquitto_lib_init();
                    _initialised = true;
                }
            }
        }

        /// <summary>Layout of <c>struct mosquitto_message</c> on 64-bit Linux (40 bytes, retain at offset 32).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Message
        {
            internal int Mid;
            internal IntPtr Topic;
            internal IntPtr Payload;
            internal int PayloadLength;
            internal int Qos;
            internal byte Retain;
        }

        [LibraryImport(Lib)]
        internal static partial int mosquitto_lib_init();

        [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr mosquitto_new(string id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, IntPtr userdata);

        [LibraryImport(Lib)]
        internal static partial void mosquitto_destroy(IntPtr mosq);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_int_option(IntPtr mosq, int option, int value);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_threaded_set(IntPtr mosq, [MarshalAs(UnmanagedType.U1)] bool threaded);

        [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int mosquitto_username_pw_set(IntPtr mosq, string username, string password);

        [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int mosquitto_tls_set(IntPtr mosq, string cafile, string capath, string certfile, string keyfile, IntPtr pwCallback);

        [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int mosquitto_will_set(IntPtr mosq, string topic, int payloadlen, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain);

        [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int mosquitto_connect_bind_v5(IntPtr mosq, string host, int port, int keepalive, string bindAddress, IntPtr properties);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_disconnect(IntPtr mosq);

        [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int mosquitto_publish_v5(IntPtr mosq, int* mid, string topic, int payloadlen, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, IntPtr properties);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_subscribe_multiple(IntPtr mosq, int* mid, int subCount, IntPtr* subs, int qos, int options, IntPtr properties);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_socket(IntPtr mosq);

        [LibraryImport(Lib)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static partial bool mosquitto_want_write(IntPtr mosq);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_loop_read(IntPtr mosq, int maxPackets);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_loop_write(IntPtr mosq, int maxPackets);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_loop_misc(IntPtr mosq);

        [LibraryImport(Lib)]
        internal static partial IntPtr mosquitto_strerror(int err);

        [LibraryImport(Lib)]
        internal static partial IntPtr mosquitto_reason_string(int reasonCode);

        [LibraryImport(Lib)]
        internal static partial IntPtr mosquitto_connack_string(int connackCode);

        [LibraryImport(Lib)]
        internal static partial void mosquitto_connect_v5_callback_set(IntPtr mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, IntPtr, void> callback);

        [LibraryImport(Lib)]
        internal static partial void mosquitto_disconnect_v5_callback_set(IntPtr mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void> callback);

        [LibraryImport(Lib)]
        internal static partial void mosquitto_publish_v5_callback_set(IntPtr mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, IntPtr, void> callback);

        [LibraryImport(Lib)]
        internal static partial void mosquitto_message_v5_callback_set(IntPtr mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, Message*, IntPtr, void> callback);

        [LibraryImport(Lib)]
        internal static partial void mosquitto_subscribe_v5_callback_set(IntPtr mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, int*, IntPtr, void> callback);

        [LibraryImport(Lib)]
        internal static partial void mosquitto_log_callback_set(IntPtr mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void> callback);

        [LibraryImport(Lib)]
        internal static partial int mosquitto_property_add_int32(ref IntPtr proplist, int identifier, uint value);

        [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int mosquitto_property_add_string_pair(ref IntPtr proplist, int identifier, string name, string value);

        [LibraryImport(Lib)]
        internal static partial IntPtr mosquitto_property_read_string_pair(IntPtr proplist, int identifier, out IntPtr name, out IntPtr value, [MarshalAs(UnmanagedType.U1)] bool skipFirst);

        [LibraryImport(Lib)]
        internal static partial void mosquitto_property_free_all(ref IntPtr properties);

        /// <summary>Text of a libmosquitto error code.</summary>
        internal static string ErrorText(int rc) => Marshal.PtrToStringUTF8(mosquitto_strerror(rc)) ?? ("error " + rc);

        /// <summary>Text of an MQTT 5 reason code or 3.1.1 CONNACK code.</summary>
        internal static string ConnackText(int code, bool mqtt5) =>
            Marshal.PtrToStringUTF8(mqtt5 ? mosquitto_reason_string(code) : mosquitto_connack_string(code)) ?? ("code " + code);

        /// <summary>
        /// Reads every user property of a list, freeing the strings libmosquitto allocated for them.
        /// </summary>
        internal static KeyValuePair<string, string>[] ReadUserProperties(IntPtr properties)
        {
            if (properties == IntPtr.Zero)
            {
                return Array.Empty<KeyValuePair<string, string>>();
            }

            var result = new List<KeyValuePair<string, string>>();
            IntPtr cursor = properties;
            bool skipFirst = false;
            while (true)
            {
                cursor = mosquitto_property_read_string_pair(cursor, PropUserProperty, out IntPtr name, out IntPtr value, skipFirst);
                if (cursor == IntPtr.Zero)
                {
                    break;
                }

                try
                {
                    result.Add(new KeyValuePair<string, string>(
                        Marshal.PtrToStringUTF8(name) ?? string.Empty, Marshal.PtrToStringUTF8(value) ?? string.Empty));
                }
                finally
                {
                    NativeMemory.Free((void*)name);
                    NativeMemory.Free((void*)value);
                }

                skipFirst = true;
            }

            return result.ToArray();
        }
    }
}
