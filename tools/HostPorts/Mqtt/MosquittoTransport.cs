using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Mqtt
{
    /// <summary>
    /// <see cref="IMqttTransport"/> over Debian's libmosquitto1 (MQTT 3.1.1 and 5.0, TLS, QoS 0/1, TCP_NODELAY).
    /// One instance is one connection attempt: <see cref="Connect"/> may be called once; the core's supervisor builds
    /// a new transport for every reconnect, so this class never uses libmosquitto's own reconnect logic.
    /// </summary>
    /// <remarks>
    /// Threading: the network loop runs on a dedicated thread owned by this object (<c>poll(2)</c> on the client's socket
    /// and an eventfd, then <c>mosquitto_loop_read/write/misc</c>; <c>mosquitto_threaded_set</c> so other threads may
    /// publish and wake the loop through the eventfd). It does not use <c>mosquitto_loop</c>, whose <c>pselect</c>
    /// refuses descriptors ≥ 1024 and would cap a process at ~300 clients. libmosquitto's callbacks, and therefore every
    /// listener call, run on that thread. Callbacks catch every exception and never wait for anything but a short
    /// internal lock. Packet ids: <see cref="Publish"/> and <see cref="Subscribe"/> hold an internal lock while the
    /// packet is queued and the acknowledgement callbacks pass through the same lock, so a listener never hears of
    /// an id before the call that returns it has returned. A caller that records ids should do so under a lock of
    /// its own that its <see cref="IMqttTransportListener.OnPublished"/> also takes.
    /// </remarks>
    public sealed unsafe class MosquittoTransport : IMqttTransport, IDisposable
    {
        private const string Source = "mqtt";
        private const int LoopTimeoutMs = 1000;
        private const int CloseFlushMs = 1000;

        private readonly ILog _log;
        private readonly object _gate = new object();
        private readonly object _lifecycle = new object();
        private readonly HashSet<int> _qos0Mids = new HashSet<int>();
        private readonly Queue<string> _recentLog = new Queue<string>();
        private readonly ManualResetEventSlim _connackOrEnd = new ManualResetEventSlim(false);

        private IntPtr _mosq;
        private int _wakeFd = -1;
        private GCHandle _self;
        private Thread _loopThread;
        private IMqttTransportListener _listener;
        private IMqttMessageDetailsListener _detailsListener;
        private int _maxInboundPayloadBytes;
        private bool _used;
        private bool _connected;
        private bool _closing;
        private bool _closed;
        private volatile bool _abortLoop;
        private long _closeDeadline;
        private bool _destroyWhenLoopEnds;
        private int _connackCode = -1;
        private bool _connackSeen;
        private int _disconnectCode = -1;
        private int _loopResult;
        private bool _mqtt5;
        private bool _sessionPresent;

        /// <summary>Creates an unconnected transport.</summary>
        /// <param name="log">Where connection events go (no secrets); null for none.</param>
        public MosquittoTransport(ILog log = null)
        {
            _log = log;
        }

        /// <inheritdoc />
        public bool IsConnected
        {
            get
            {
                lock (_gate)
                {
                    return _connected && !_closing;
                }
            }
        }

        /// <summary>True when called on this transport's network thread (inside a listener callback): never wait there for an acknowledgement.</summary>
        public bool IsOnNetworkThread
        {
            get
            {
                lock (_gate)
                {
                    return _loopThread != null && Thread.CurrentThread == _loopThread;
                }
            }
        }

        /// <summary>The network thread (null before Connect): for tests that check Close leaves nothing running.</summary>
        internal Thread LoopThreadForTests
        {
            get
            {
                lock (_gate)
                {
                    return _loopThread;
                }
            }
        }

        /// <summary>Session-present flag of the CONNACK (false before a successful connect).</summary>
        public bool SessionPresent
        {
            get
            {
                lock (_gate)
                {
                    return _sessionPresent;
                }
            }
        }

        /// <inheritdoc />
        public MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener)
        {
            ArgumentNullException.ThrowIfNull(request);
            ArgumentNullException.ThrowIfNull(listener);
            lock (_gate)
            {
                if (_used)
                {
                    throw new InvalidOperationException("A MosquittoTransport connects once; create a new one for each connection.");
                }

                _used = true;
                _maxInboundPayloadBytes = request.MaxInboundPayloadBytes;
                if (_closed)
                {
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "transport was closed");
                }
            }

            _listener = listener;
            _detailsListener = listener as IMqttMessageDetailsListener;
            _mqtt5 = request.ProtocolVersion == 5;
            string caFile = null;
            try
            {
                MqttConnectResult early = StartConnect(request, ref caFile);
                if (early != null)
                {
                    ShutDown();
                    return early;
                }

                MqttConnectResult result = AwaitConnack(request);
                if (result.Outcome != MqttConnectOutcome.Accepted)
                {
                    ShutDown();
                }

                Write(result.Outcome == MqttConnectOutcome.Accepted ? LogLevel.Info : LogLevel.Warning,
                    "connect to " + request.Host + ":" + request.Port + ": " + result.Detail);
                return result;
            }
            catch (Exception ex)
            {
                // Interop failures (library missing, bad arguments) are reported, never thrown to the supervisor.
                ShutDown();
                return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "transport failure: " + ex.GetType().Name + ": " + ex.Message);
            }
            finally
            {
                if (caFile != null)
                {
                    TryDelete(caFile);
                }
            }
        }

        private MqttConnectResult StartConnect(MqttConnectRequest request, ref string caFile)
        {
            // Close() from another thread waits until the native client is fully set up (or failed) before tearing it down.
            lock (_lifecycle)
            {
                return StartConnectLocked(request, ref caFile);
            }
        }

        private MqttConnectResult StartConnectLocked(MqttConnectRequest request, ref string caFile)
        {
            LibMosquitto.EnsureInitialised();
            lock (_gate)
            {
                if (_closed)
                {
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "transport was closed");
                }

                _self = GCHandle.Alloc(this);
                _mosq = LibMosquitto.mosquitto_new(request.ClientIdentifier, request.CleanSession, GCHandle.ToIntPtr(_self));
                if (_mosq == IntPtr.Zero)
                {
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "libmosquitto refused the client identifier");
                }

                _wakeFd = Libc.CreateEventFd();
                if (_wakeFd < 0)
                {
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "eventfd failed: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
                }
            }

            LibMosquitto.mosquitto_threaded_set(_mosq, true);
            LibMosquitto.mosquitto_int_option(_mosq, LibMosquitto.OptProtocolVersion, _mqtt5 ? 5 : 4);
            LibMosquitto.mosquitto_int_option(_mosq, LibMosquitto.OptTcpNoDelay, 1);
            LibMosquitto.mosquitto_connect_v5_callback_set(_mosq, &OnConnectNative);
            LibMosquitto.mosquitto_disconnect_v5_callback_set(_mosq, &OnDisconnectNative);
            LibMosquitto.mosquitto_publish_v5_callback_set(_mosq, &OnPublishNative);
            LibMosquitto.mosquitto_message_v5_callback_set(_mosq, &OnMessageNative);
            LibMosquitto.mosquitto_subscribe_v5_callback_set(_mosq, &OnSubscribeNative);
            LibMosquitto.mosquitto_log_callback_set(_mosq, &OnLogNative);

            if (request.Username != null || request.Password != null)
            {
                int rc = LibMosquitto.mosquitto_username_pw_set(_mosq, request.Username, request.Password);
                if (rc != LibMosquitto.ErrSuccess)
                {
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "username rejected: " + LibMosquitto.ErrorText(rc));
                }
            }

            if (request.UseTls)
            {
                if (string.IsNullOrEmpty(request.CaCertificatesPem))
                {
                    return new MqttConnectResult(MqttConnectOutcome.TlsError, -1, "TLS requested without CA certificates");
                }

                // libmosquitto only takes a CA file path; the file is read during mosquitto_connect and deleted after.
                caFile = Path.Combine(Path.GetTempPath(), "aliyuniot-ca-" + Guid.NewGuid().ToString("N") + ".pem");
                File.WriteAllText(caFile, request.CaCertificatesPem);
                int rc = LibMosquitto.mosquitto_tls_set(_mosq, caFile, null, null, null, IntPtr.Zero);
                if (rc != LibMosquitto.ErrSuccess)
                {
                    return new MqttConnectResult(MqttConnectOutcome.TlsError, -1, "TLS setup failed: " + LibMosquitto.ErrorText(rc));
                }
            }

            if (request.WillTopic != null)
            {
                byte[] will = request.WillPayload ?? Array.Empty<byte>();
                fixed (byte* p = will)
                {
                    int rc = LibMosquitto.mosquitto_will_set(_mosq, request.WillTopic, will.Length, p, request.WillQos, request.WillRetain);
                    if (rc != LibMosquitto.ErrSuccess)
                    {
                        return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "will rejected: " + LibMosquitto.ErrorText(rc));
                    }
                }
            }

            IntPtr props = IntPtr.Zero;
            try
            {
                if (_mqtt5)
                {
                    if (request.SessionExpirySeconds > 0)
                    {
                        LibMosquitto.mosquitto_property_add_int32(ref props, LibMosquitto.PropSessionExpiryInterval, (uint)request.SessionExpirySeconds);
                    }

                    AddUserProperties(ref props, request.UserProperties);
                }

                int rc = LibMosquitto.mosquitto_connect_bind_v5(_mosq, request.Host, request.Port, request.KeepAliveSeconds, null, props);
                int errno = Marshal.GetLastSystemError();
                if (rc != LibMosquitto.ErrSuccess)
                {
                    return MapConnectError(rc, errno);
                }
            }
            finally
            {
                if (props != IntPtr.Zero)
                {
                    LibMosquitto.mosquitto_property_free_all(ref props);
                }
            }

            var thread = new Thread(RunLoop) { IsBackground = true, Name = "mosquitto-loop" };
            lock (_gate)
            {
                _loopThread = thread;
            }

            thread.Start();
            return null;
        }

        private static MqttConnectResult MapConnectError(int rc, int errno)
        {
            switch (rc)
            {
                case LibMosquitto.ErrEai:
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "host name lookup failed");
                case LibMosquitto.ErrErrno:
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "socket error: " + Marshal.GetPInvokeErrorMessage(errno));
                case LibMosquitto.ErrTls:
                case LibMosquitto.ErrTlsHandshake:
                    return new MqttConnectResult(MqttConnectOutcome.TlsError, -1, "TLS failed: " + LibMosquitto.ErrorText(rc));
                default:
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "connect failed: " + LibMosquitto.ErrorText(rc));
            }
        }

        private MqttConnectResult AwaitConnack(MqttConnectRequest request)
        {
            int timeout = request.ConnectTimeoutMs > 0 ? request.ConnectTimeoutMs : 30000;
            bool signalled = _connackOrEnd.Wait(timeout);
            lock (_gate)
            {
                if (_connackSeen)
                {
                    if (_connackCode == 0)
                    {
                        return new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "accepted" + (_sessionPresent ? " (session present)" : string.Empty));
                    }

                    return new MqttConnectResult(MqttConnectOutcome.Refused, _connackCode,
                        "refused: " + _connackCode + " " + LibMosquitto.ConnackText(_connackCode, _mqtt5));
                }

                if (!signalled)
                {
                    return new MqttConnectResult(MqttConnectOutcome.Timeout, -1, "no CONNACK within " + timeout + " ms");
                }

                if (_closed)
                {
                    return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "transport was closed");
                }

                // The loop ended without a CONNACK. TLS failures surface only in libmosquitto's log callback.
                string logText = string.Join(" | ", _recentLog);
                bool tls = _loopResult == LibMosquitto.ErrTls || _loopResult == LibMosquitto.ErrTlsHandshake
                    || logText.Contains("OpenSSL", StringComparison.Ordinal) || logText.Contains("TLS", StringComparison.Ordinal)
                    || logText.Contains("certificate", StringComparison.OrdinalIgnoreCase);
                string detail = "connection closed before CONNACK: " + LibMosquitto.ErrorText(_loopResult) + (logText.Length > 0 ? " (" + logText + ")" : string.Empty);
                return new MqttConnectResult(tls ? MqttConnectOutcome.TlsError : MqttConnectOutcome.NetworkError, -1, detail);
            }
        }

        /// <inheritdoc />
        public int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties)
        {
            if (topic == null || qos < 0 || qos > 1)
            {
                return -1;
            }

            byte[] body = payload ?? Array.Empty<byte>();
            lock (_gate)
            {
                if (!_connected || _closing || _mosq == IntPtr.Zero)
                {
                    return -1;
                }

                IntPtr props = IntPtr.Zero;
                try
                {
                    if (_mqtt5)
                    {
                        // MQTT 5 properties on a 3.1.1 connection are refused by libmosquitto, so they are dropped there.
                        AddUserProperties(ref props, userProperties);
                    }

                    int mid;
                    int rc;
                    fixed (byte* p = body)
                    {
                        rc = LibMosquitto.mosquitto_publish_v5(_mosq, &mid, topic, body.Length, p, qos, retain, props);
                    }

                    if (rc != LibMosquitto.ErrSuccess)
                    {
                        Write(LogLevel.Warning, "publish to " + topic + " refused: " + LibMosquitto.ErrorText(rc));
                        return -1;
                    }

                    WakeLoop();
                    if (qos == 0)
                    {
                        _qos0Mids.Add(mid);
                        return 0;
                    }

                    return mid;
                }
                finally
                {
                    if (props != IntPtr.Zero)
                    {
                        LibMosquitto.mosquitto_property_free_all(ref props);
                    }
                }
            }
        }

        /// <inheritdoc />
        /// <remarks>libmosquitto sends one requested QoS for all filters of a SUBSCRIBE: the highest of <paramref name="qos"/> is used.</remarks>
        public int Subscribe(string[] topics, int[] qos)
        {
            if (topics == null || topics.Length == 0)
            {
                return -1;
            }

            int requested = 0;
            if (qos != null)
            {
                foreach (int q in qos)
                {
                    requested = Math.Max(requested, q);
                }
            }

            requested = Math.Min(requested, 1);
            var strings = new IntPtr[topics.Length];
            try
            {
                for (int i = 0; i < topics.Length; i++)
                {
                    strings[i] = Marshal.StringToCoTaskMemUTF8(topics[i]);
                }

                lock (_gate)
                {
                    if (!_connected || _closing || _mosq == IntPtr.Zero)
                    {
                        return -1;
                    }

                    int mid;
                    int rc;
                    fixed (IntPtr* subs = strings)
                    {
                        rc = LibMosquitto.mosquitto_subscribe_multiple(_mosq, &mid, topics.Length, subs, requested, 0, IntPtr.Zero);
                    }

                    if (rc != LibMosquitto.ErrSuccess)
                    {
                        Write(LogLevel.Warning, "subscribe refused: " + LibMosquitto.ErrorText(rc));
                        return -1;
                    }

                    WakeLoop();

                    return mid;
                }
            }
            finally
            {
                foreach (IntPtr s in strings)
                {
                    if (s != IntPtr.Zero)
                    {
                        Marshal.FreeCoTaskMem(s);
                    }
                }
            }
        }

        /// <inheritdoc />
        public void Close()
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
            }

            ShutDown();
        }

        /// <summary>Same as <see cref="Close"/>.</summary>
        public void Dispose() => Close();

        /// <summary>
        /// Stops the network loop (sending DISCONNECT first when connected), then destroys the native client and frees
        /// the handle. When called on the loop thread itself (a listener closing from a callback), the loop thread
        /// finishes the job as it exits.
        /// </summary>
        private void ShutDown()
        {
            Thread loop;
            lock (_gate)
            {
                loop = _loopThread;
                if (loop != null && Thread.CurrentThread == loop)
                {
                    // A listener closing from a callback: the loop thread finishes the job as it exits.
                    BeginStop();
                    _destroyWhenLoopEnds = true;
                    return;
                }
            }

            lock (_lifecycle)
            {
                lock (_gate)
                {
                    loop = _loopThread;
                    BeginStop();
                }

                _connackOrEnd.Set();
                loop?.Join();
                DestroyNative();
            }
        }

        /// <summary>Under <see cref="_gate"/>: sends DISCONNECT when connected (the loop flushes it, then ends), else ends the loop now.</summary>
        private void BeginStop()
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            if (_mosq != IntPtr.Zero && _connected && _loopThread != null)
            {
                Volatile.Write(ref _closeDeadline, Environment.TickCount64 + CloseFlushMs);
                LibMosquitto.mosquitto_disconnect(_mosq);
            }
            else
            {
                _abortLoop = true;
            }

            WakeLoop();

            _connected = false;
        }

        /// <summary>Under <see cref="_gate"/>: makes the loop's poll return now, so a packet queued by another thread goes out at once.</summary>
        private void WakeLoop()
        {
            if (_wakeFd >= 0)
            {
                Libc.Signal(_wakeFd);
            }
        }

        private void DestroyNative()
        {
            lock (_gate)
            {
                if (_wakeFd >= 0)
                {
                    // Closed under the gate, after the loop ended, so WakeLoop can never write to a reused descriptor.
                    Libc.close(_wakeFd);
                    _wakeFd = -1;
                }

                if (_mosq != IntPtr.Zero)
                {
                    LibMosquitto.mosquitto_destroy(_mosq);
                    _mosq = IntPtr.Zero;
                }

                if (_self.IsAllocated)
                {
                    _self.Free();
                }
            }
        }

        private void RunLoop()
        {
            int rc = LibMosquitto.ErrSuccess;
            try
            {
                while (true)
                {
                    rc = LoopOnce(LoopTimeoutMs);
                    if (rc != LibMosquitto.ErrSuccess || _abortLoop)
                    {
                        break;
                    }

                    if (Volatile.Read(ref _closeDeadline) != 0 && Environment.TickCount64 > Volatile.Read(ref _closeDeadline))
                    {
                        break;
                    }
                }
            }
            catch (Exception ex)
            {
                Write(LogLevel.Error, "network loop failed: " + ex.Message);
            }

            bool lost;
            bool destroy;
            string reason;
            lock (_gate)
            {
                _loopResult = rc;
                lost = _connected && !_closing;
                _connected = false;
                destroy = _destroyWhenLoopEnds;
                reason = "connection lost: " + LibMosquitto.ErrorText(rc)
                    + (_disconnectCode > 0 ? " (disconnect reason " + _disconnectCode + ")" : string.Empty);
            }

            _connackOrEnd.Set();
            if (lost)
            {
                Write(LogLevel.Warning, reason);
                try
                {
                    _listener.OnConnectionLost(reason);
                }
                catch (Exception ex)
                {
                    Write(LogLevel.Error, "listener failed in OnConnectionLost: " + ex.Message);
                }
            }

            if (destroy)
            {
                DestroyNative();
            }
        }

        /// <summary>
        /// One turn of the network loop, the same steps as <c>mosquitto_loop</c> but waiting with <c>poll(2)</c>: read
        /// when the socket is readable (or hung up), write when it is writable and libmosquitto has something queued or
        /// when another thread woke us after queueing a packet, then keep-alive housekeeping.
        /// </summary>
        private int LoopOnce(int timeoutMs)
        {
            int sock = LibMosquitto.mosquitto_socket(_mosq);
            if (sock < 0)
            {
                return LibMosquitto.ErrNoConn;
            }

            Libc.PollFd* fds = stackalloc Libc.PollFd[2];
            fds[0].Fd = sock;
            fds[0].Events = LibMosquitto.mosquitto_want_write(_mosq) ? (short)(Libc.PollIn | Libc.PollOut) : Libc.PollIn;
            fds[0].Revents = 0;
            fds[1].Fd = _wakeFd;
            fds[1].Events = Libc.PollIn;
            fds[1].Revents = 0;
            int ready = Libc.poll(fds, 2, timeoutMs);
            if (ready < 0)
            {
                return Marshal.GetLastPInvokeError() == Libc.EIntr ? LibMosquitto.ErrSuccess : LibMosquitto.ErrErrno;
            }

            int rc;
            if ((fds[0].Revents & (Libc.PollIn | Libc.PollErr | Libc.PollHup | Libc.PollNval)) != 0)
            {
                rc = LibMosquitto.mosquitto_loop_read(_mosq, 1);
                if (rc != LibMosquitto.ErrSuccess || LibMosquitto.mosquitto_socket(_mosq) < 0)
                {
                    return rc;
                }
            }

            bool write = (fds[0].Revents & Libc.PollOut) != 0;
            if ((fds[1].Revents & Libc.PollIn) != 0)
            {
                // Like libmosquitto's own socket-pair wake-up: a packet was queued after we started waiting, try to send it.
                Libc.Drain(_wakeFd);
                write = true;
            }

            if (write)
            {
                rc = LibMosquitto.mosquitto_loop_write(_mosq, 1);
                if (rc != LibMosquitto.ErrSuccess || LibMosquitto.mosquitto_socket(_mosq) < 0)
                {
                    return rc;
                }
            }

            return LibMosquitto.mosquitto_loop_misc(_mosq);
        }

        private static void AddUserProperties(ref IntPtr props, IEnumerable userProperties)
        {
            if (userProperties == null)
            {
                return;
            }

            foreach (object item in userProperties)
            {
                if (item is MqttUserProperty p && p.Name != null)
                {
                    LibMosquitto.mosquitto_property_add_string_pair(ref props, LibMosquitto.PropUserProperty, p.Name, p.Value ?? string.Empty);
                }
            }
        }

        private void Write(LogLevel level, string message)
        {
            try
            {
                _log?.Write(level, Source, message);
            }
            catch (Exception)
            {
                // A failing log must never take the transport (or a native callback) down.
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static MosquittoTransport From(IntPtr userdata)
        {
            if (userdata == IntPtr.Zero)
            {
                return null;
            }

            return GCHandle.FromIntPtr(userdata).Target as MosquittoTransport;
        }

        // ---- native callbacks: run on the loop thread; catch everything, block on nothing but _gate ----

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static void OnConnectNative(IntPtr mosq, IntPtr userdata, int rc, int flags, IntPtr props)
        {
            try
            {
                MosquittoTransport self = From(userdata);
                if (self == null)
                {
                    return;
                }

                lock (self._gate)
                {
                    self._connackSeen = true;
                    self._connackCode = rc;
                    self._sessionPresent = rc == 0 && (flags & 1) != 0;
                    self._connected = rc == 0 && !self._closing;
                }

                if (rc != 0)
                {
                    // Without this, libmosquitto would retry a refused 3.1.1 connection forever.
                    LibMosquitto.mosquitto_disconnect(mosq);
                }

                self._connackOrEnd.Set();
            }
            catch (Exception)
            {
                // Nothing may cross the native boundary.
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static void OnDisconnectNative(IntPtr mosq, IntPtr userdata, int rc, IntPtr props)
        {
            try
            {
                MosquittoTransport self = From(userdata);
                if (self == null)
                {
                    return;
                }

                lock (self._gate)
                {
                    self._disconnectCode = rc;
                }
            }
            catch (Exception)
            {
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static void OnPublishNative(IntPtr mosq, IntPtr userdata, int mid, int reasonCode, IntPtr props)
        {
            try
            {
                MosquittoTransport self = From(userdata);
                if (self == null)
                {
                    return;
                }

                bool qos0;
                lock (self._gate)
                {
                    // Taking the lock also waits until the Publish call that produced this id has returned it.
                    qos0 = self._qos0Mids.Remove(mid);
                }

                if (!qos0)
                {
                    self._listener.OnPublished(mid, reasonCode);
                }
            }
            catch (Exception ex)
            {
                From(userdata)?.Write(LogLevel.Error, "listener failed in OnPublished: " + ex.Message);
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static void OnSubscribeNative(IntPtr mosq, IntPtr userdata, int mid, int count, int* granted, IntPtr props)
        {
            try
            {
                MosquittoTransport self = From(userdata);
                if (self == null)
                {
                    return;
                }

                var qos = new int[Math.Max(count, 0)];
                for (int i = 0; i < qos.Length; i++)
                {
                    qos[i] = granted[i];
                }

                lock (self._gate)
                {
                    // Barrier: the Subscribe call that produced this id has returned it.
                }

                self._listener.OnSubscribed(mid, qos);
            }
            catch (Exception ex)
            {
                From(userdata)?.Write(LogLevel.Error, "listener failed in OnSubscribed: " + ex.Message);
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static void OnMessageNative(IntPtr mosq, IntPtr userdata, LibMosquitto.Message* message, IntPtr props)
        {
            try
            {
                MosquittoTransport self = From(userdata);
                if (self == null || message == null)
                {
                    return;
                }

                string topic = Marshal.PtrToStringUTF8(message->Topic) ?? string.Empty;
                int max = self._maxInboundPayloadBytes;
                if (max > 0 && message->PayloadLength > max)
                {
                    // Decided on libmosquitto's length: the oversize payload is never copied into the managed heap.
                    self.Write(LogLevel.Warning, "dropped a " + message->PayloadLength + "-byte message on " + topic.Length + "-char topic before copying it: larger than limits.maxPayloadBytes (" + max + " B)");
                    return;
                }

                var payload = new byte[Math.Max(message->PayloadLength, 0)];
                if (payload.Length > 0)
                {
                    Marshal.Copy(message->Payload, payload, 0, payload.Length);
                }

                if (self._detailsListener != null)
                {
                    var details = new MqttReceivedMessage(topic, payload, message->Qos, message->Retain != 0, LibMosquitto.ReadUserProperties(props));
                    self._detailsListener.OnMessageDetails(details);
                }
                else
                {
                    self._listener.OnMessage(topic, payload);
                }
            }
            catch (Exception ex)
            {
                From(userdata)?.Write(LogLevel.Error, "listener failed in OnMessage: " + ex.Message);
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static void OnLogNative(IntPtr mosq, IntPtr userdata, int level, IntPtr text)
        {
            try
            {
                MosquittoTransport self = From(userdata);
                if (self == null)
                {
                    return;
                }

                string line = Marshal.PtrToStringUTF8(text) ?? string.Empty;
                if ((level & (LibMosquitto.LogErr | LibMosquitto.LogWarning)) != 0)
                {
                    lock (self._gate)
                    {
                        self._recentLog.Enqueue(line);
                        while (self._recentLog.Count > 8)
                        {
                            self._recentLog.Dequeue();
                        }
                    }

                    self.Write(LogLevel.Debug, "libmosquitto: " + line);
                }
            }
            catch (Exception)
            {
            }
        }
    }
}
