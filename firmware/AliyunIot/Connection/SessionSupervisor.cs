using System;
using System.Collections;
using System.Threading;
using AliyunIot.Alink;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Keeps one device connected for months. On its own thread it builds a NEW transport for every attempt
    /// (M2Mqtt resolves DNS only in its constructor), asks <see cref="IConnectRequestSource"/> for freshly signed
    /// credentials, and classifies every outcome:
    /// <list type="bullet">
    /// <item>network, TLS, timeout, server busy → exponential back-off with full jitter
    /// (<see cref="SessionOptions.BackoffBaseMs"/> .. <see cref="SessionOptions.BackoffCapMs"/>), reset once a
    /// connection stayed up <see cref="SessionOptions.StableAfterMs"/>;</item>
    /// <item>CONNACK refusals (bad credentials, not authorized, configuration) → a status naming the cause and the
    /// long back-off (<see cref="SessionOptions.RefusalBackoffBaseMs"/> doubling to
    /// <see cref="SessionOptions.RefusalBackoffCapMs"/>, never less than half the ceiling) — never a retry storm;</item>
    /// <item>several connections in a row lost within <see cref="SessionOptions.QuickDisconnectMs"/> of a good
    /// CONNACK → <see cref="ConnectionStatus.IdentityInUse"/> (the platform kicks the older of two connections
    /// with the same identity).</item>
    /// </list>
    /// After every CONNACK it subscribes every topic of every registered handler and reports a SUBACK not seen
    /// within 2× <see cref="SessionOptions.RequestTimeoutMs"/>. Transport callbacks only enqueue; PUBACK/SUBACK
    /// are applied on this thread and messages are run by the one worker thread (<see cref="MessageDispatcher"/>).
    /// </summary>
    public sealed class SessionSupervisor
    {
        private const string LogSource = "session";

        private readonly SessionOptions _options;
        private readonly IConnectRequestSource _requests;
        private readonly IMqttTransportFactory _factory;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly Outbox _outbox;
        private readonly MessageDispatcher _dispatcher;
        private readonly Backoff _backoff;
        private readonly Backoff _refusalBackoff;
        private readonly ManualResetEvent _stopSignal = new ManualResetEvent(false);
        private readonly object _gate = new object();
        private readonly ArrayList _events = new ArrayList();
        private readonly ArrayList _pendingSubscribes = new ArrayList();
        private readonly SessionCounters _counters = new SessionCounters();
        private Thread _thread;
        private bool _stopping;
        private int _generation;
        private int _lostGeneration;
        private string _lostReason;
        private bool _resubscribe;
        private ConnectionStatus _status = ConnectionStatus.Stopped;
        private string _statusReason = "not started";
        private int _quickDisconnects;
        private IMqttTransport _connecting;

        /// <summary>Creates a stopped supervisor with its own <see cref="Outbox"/>.</summary>
        public SessionSupervisor(SessionOptions options, DeviceTopics topics, IConnectRequestSource requests, IMqttTransportFactory factory, IClock clock, IRandom random, ILog log)
        {
            RequireArgument(options, "options");
            RequireArgument(topics, "topics");
            RequireArgument(requests, "requests");
            RequireArgument(factory, "factory");
            RequireArgument(clock, "clock");
            RequireArgument(random, "random");
            RequireArgument(log, "log");

            _options = options;
            _requests = requests;
            _factory = factory;
            _clock = clock;
            _log = log;
            _outbox = new Outbox(options, topics, clock, log);
            _dispatcher = new MessageDispatcher(options.InboundQueueLength, options.InboundQueueBytes, options.MaxPayloadBytes, log);
            _outbox.SetNotifier(_dispatcher);
            _backoff = new Backoff(random, options.BackoffBaseMs, options.BackoffCapMs, true);
            _refusalBackoff = new Backoff(random, options.RefusalBackoffBaseMs, options.RefusalBackoffCapMs, false);
        }

        /// <summary>Every status change, with a reason (no secrets). Raised on the worker thread.</summary>
        public event ConnectionStatusChangedHandler StatusChanged
        {
            add { _dispatcher.AddStatusHandler(value); }
            remove { _dispatcher.RemoveStatusHandler(value); }
        }

        /// <summary>The outbound path (implements <see cref="IPublisher"/>).</summary>
        public Outbox Outbox
        {
            get { return _outbox; }
        }

        /// <summary>The current status.</summary>
        public ConnectionStatus Status
        {
            get { lock (_gate) { return _status; } }
        }

        /// <summary>Why the current status was entered.</summary>
        public string StatusReason
        {
            get { lock (_gate) { return _statusReason; } }
        }

        /// <summary>True while the supervisor or worker thread is alive.</summary>
        public bool IsRunning
        {
            get
            {
                Thread t = _thread;
                return (t != null && t.IsAlive) || _dispatcher.IsRunning;
            }
        }

        /// <summary>A snapshot of the counters.</summary>
        public SessionCounters Counters
        {
            get
            {
                SessionCounters c;
                lock (_gate)
                {
                    c = _counters.Copy();
                }

                c.MessagesReceived = _dispatcher.Received;
                c.MessagesDropped = _dispatcher.Dropped;
                c.MessagesUnhandled = _dispatcher.Unhandled;
                c.HandlerErrors = _dispatcher.HandlerErrors;
                return c;
            }
        }

        /// <summary>
        /// Registers a component. Its topics are subscribed after every connect (at once when already connected);
        /// its <see cref="IMessageHandler.Handle"/> runs on the worker thread, handlers asked in registration order.
        /// </summary>
        public void AddHandler(IMessageHandler handler)
        {
            if (handler == null)
            {
                throw new ArgumentNullException("handler");
            }

            _dispatcher.AddHandler(handler);
            lock (_gate)
            {
                _resubscribe = true;
            }

            _outbox.Wake();
        }

        /// <summary>Starts the supervisor and worker threads. Idempotent while running.</summary>
        public void Start()
        {
            lock (_gate)
            {
                if (_thread != null)
                {
                    return;
                }

                _stopping = false;
            }

            _stopSignal.Reset();
            _dispatcher.Start();
            Thread t = new Thread(Run);
            lock (_gate)
            {
                _thread = t;
            }

            t.Start();
        }

        /// <summary>
        /// Closes the connection, ends both threads and waits for them (a connect in progress is aborted by closing
        /// its transport). QoS 1 messages not yet acknowledged stay in the outbox for a later <see cref="Start"/>.
        /// </summary>
        public void Stop()
        {
            Thread t;
            lock (_gate)
            {
                _stopping = true;
                t = _thread;
            }

            _stopSignal.Set();
            _outbox.Wake();

            // A connect in progress (up to its timeout) is cut short by closing its transport.
            IMqttTransport connecting;
            lock (_gate)
            {
                connecting = _connecting;
            }

            CloseQuietly(connecting);
            if (t != null)
            {
                t.Join();
            }

            _dispatcher.Stop();
            lock (_gate)
            {
                _thread = null;
                _status = ConnectionStatus.Stopped;
                _statusReason = "stopped by the application";
            }

            _log.Write(LogLevel.Info, LogSource, "stopped");
            _dispatcher.RaiseStatusNow(ConnectionStatus.Stopped, "stopped by the application");
        }

        private bool Stopping
        {
            get { lock (_gate) { return _stopping; } }
        }

        private void Run()
        {
            while (!Stopping)
            {
                int delay = Attempt();
                if (Stopping)
                {
                    break;
                }

                _clock.Wait(_stopSignal, delay);
            }
        }

        // One attempt (and, when accepted, the whole connected period). Returns the delay before the next one.
        private int Attempt()
        {
            long attempt;
            lock (_gate)
            {
                _counters.ConnectAttempts++;
                attempt = _counters.ConnectAttempts;
            }

            SetStatus(ConnectionStatus.Connecting, "attempt " + attempt.ToString());
            IMqttTransport transport = null;
            MqttConnectRequest request = null;
            MqttConnectResult result;
            int generation;
            lock (_gate)
            {
                generation = ++_generation;
            }

            try
            {
                request = _requests.CreateConnectRequest();
                ApplyOptions(request);
                transport = _factory.Create();
                lock (_gate)
                {
                    _connecting = transport;
                }

                if (Stopping)
                {
                    result = new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "stopped");
                }
                else
                {
                    result = transport.Connect(request, new Listener(this, generation));
                }
            }
            catch (Exception e)
            {
                // Neither the request source nor the transport put secrets in exception messages (contract).
                result = new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "connect failed: " + e.GetType().Name + ": " + e.Message);
            }

            lock (_gate)
            {
                _connecting = null;
            }

            if (result == null)
            {
                result = new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "the transport returned no result");
            }

            ConnectionStatus status = ConnectOutcomeClassifier.Classify(result);
            if (status == ConnectionStatus.Connected)
            {
                return RunConnected(transport, request, generation);
            }

            CloseQuietly(transport);
            if (Stopping)
            {
                // Stop() cut this attempt short ("stopped"): not a connection failure to report or back off from.
                return 0;
            }

            int delay;
            string cause;
            if (ConnectOutcomeClassifier.IsRefusal(status))
            {
                lock (_gate)
                {
                    _counters.Refusals++;
                }

                delay = _refusalBackoff.NextDelayMs();
                cause = "refused by the server (code " + result.ReasonCode.ToString() + "): " + RefusalHint(status);
            }
            else
            {
                delay = _backoff.NextDelayMs();
                cause = "connection failed: " + result.Detail;
            }

            string reason = cause + "; retrying in " + (delay / 1000).ToString() + " s";
            _log.Write(ConnectOutcomeClassifier.IsRefusal(status) ? LogLevel.Error : LogLevel.Warning, LogSource, ConnectionStatusText.Name(status) + ": " + reason);
            SetStatus(status, reason);
            return delay;
        }

        private int RunConnected(IMqttTransport transport, MqttConnectRequest request, int generation)
        {
            long connectedAt = _clock.MonotonicMs;
            bool stable = false;
            lock (_gate)
            {
                _counters.Connections++;
                _events.Clear();
                _pendingSubscribes.Clear();
                _resubscribe = false;
            }

            string where = request.Host + ":" + request.Port.ToString() + (request.UseTls ? " (TLS" : " (plain TCP") + ", MQTT " + (request.ProtocolVersion == 5 ? "5" : "3.1.1") + ")";
            _log.Write(LogLevel.Info, LogSource, "connected to " + where);
            Subscribe(transport);

            // Attached before the status says Connected, so a caller that saw Connected can publish straight out.
            _outbox.Attach(transport);
            SetStatus(ConnectionStatus.Connected, "connected to " + where);

            string lost = null;
            while (true)
            {
                if (Stopping)
                {
                    break;
                }

                bool resubscribe;
                lock (_gate)
                {
                    if (_lostGeneration == generation)
                    {
                        lost = _lostReason;
                    }

                    resubscribe = _resubscribe;
                    _resubscribe = false;
                }

                ApplyEvents();
                if (lost == null && !transport.IsConnected)
                {
                    lost = "the transport reports it is disconnected";
                }

                if (lost != null)
                {
                    break;
                }

                if (resubscribe)
                {
                    Subscribe(transport);
                }

                long now = _clock.MonotonicMs;
                int wait = _outbox.Pump();
                if (wait < 0 || wait > 1000)
                {
                    wait = 1000;
                }

                int subscribeWait = CheckSubscribeDeadlines(now);
                if (subscribeWait >= 0 && subscribeWait < wait)
                {
                    wait = subscribeWait;
                }

                if (!stable)
                {
                    long up = now - connectedAt;
                    if (up >= _options.StableAfterMs)
                    {
                        stable = true;
                        _backoff.Reset();
                        _refusalBackoff.Reset();
                        lock (_gate)
                        {
                            _quickDisconnects = 0;
                        }
                    }
                    else if (_options.StableAfterMs - up < wait)
                    {
                        wait = (int)(_options.StableAfterMs - up);
                    }
                }

                // One signal for all work: new outbound messages, PUBACK/SUBACK events, a loss, new handlers.
                _clock.Wait(_outbox.WorkSignal, wait < 1 ? 1 : wait);
            }

            // Apply the PUBACKs that arrived before the loss, so fewer messages are sent twice.
            ApplyEvents();
            _outbox.Detach();
            CloseQuietly(transport);
            if (lost == null)
            {
                return 0;
            }

            long upMs = _clock.MonotonicMs - connectedAt;
            int quick;
            lock (_gate)
            {
                _counters.ConnectionsLost++;
                if (upMs < _options.QuickDisconnectMs)
                {
                    _quickDisconnects++;
                }
                else
                {
                    _quickDisconnects = 0;
                }

                quick = _quickDisconnects;
            }

            int delay = _backoff.NextDelayMs();
            if (quick >= _options.QuickDisconnectsForIdentityInUse)
            {
                string reason = "the server closed " + quick.ToString() + " connections in a row right after accepting them: another connection probably uses this identity; retrying in " + (delay / 1000).ToString() + " s";
                _log.Write(LogLevel.Error, LogSource, reason);
                SetStatus(ConnectionStatus.IdentityInUse, reason);
            }
            else
            {
                string reason = "connection lost after " + (upMs / 1000).ToString() + " s: " + lost + "; retrying in " + (delay / 1000).ToString() + " s";
                _log.Write(LogLevel.Warning, LogSource, reason);
                SetStatus(ConnectionStatus.WaitingToRetry, reason);
            }

            return delay;
        }

        private void Subscribe(IMqttTransport transport)
        {
            ArrayList topics = new ArrayList();
            IMessageHandler[] handlers = _dispatcher.Handlers;
            for (int i = 0; i < handlers.Length; i++)
            {
                ArrayList own = new ArrayList();
                try
                {
                    handlers[i].AddSubscriptions(own);
                }
                catch (Exception e)
                {
                    _log.Write(LogLevel.Error, LogSource, handlers[i].GetType().Name + ".AddSubscriptions threw " + e.GetType().Name + ": " + e.Message);
                }

                for (int j = 0; j < own.Count; j++)
                {
                    string topic = own[j] as string;
                    if (topic != null && topic.Length > 0 && !topics.Contains(topic))
                    {
                        topics.Add(topic);
                    }
                }
            }

            int perPacket = _options.TopicsPerSubscribe < 1 ? 1 : _options.TopicsPerSubscribe;
            long deadline = _clock.MonotonicMs + 2L * _options.RequestTimeoutMs;
            for (int start = 0; start < topics.Count; start += perPacket)
            {
                int count = topics.Count - start < perPacket ? topics.Count - start : perPacket;
                string[] batch = new string[count];
                int[] qos = new int[count];
                for (int k = 0; k < count; k++)
                {
                    batch[k] = (string)topics[start + k];
                    qos[k] = 1;
                }

                int packetId = transport.Subscribe(batch, qos);
                if (packetId <= 0)
                {
                    _log.Write(LogLevel.Warning, LogSource, "could not send SUBSCRIBE for " + count.ToString() + " topic(s) starting with " + batch[0]);
                    continue;
                }

                lock (_gate)
                {
                    _pendingSubscribes.Add(new PendingSubscribe(packetId, batch, deadline));
                }
            }

            if (topics.Count > 0)
            {
                _log.Write(LogLevel.Debug, LogSource, "subscribing " + topics.Count.ToString() + " topic(s)");
            }
        }

        // Applies queued PUBACK/SUBACK events on this thread.
        private void ApplyEvents()
        {
            while (true)
            {
                TransportEvent e;
                lock (_gate)
                {
                    if (_events.Count == 0)
                    {
                        return;
                    }

                    e = (TransportEvent)_events[0];
                    _events.RemoveAt(0);
                }

                if (e.GrantedQos == null)
                {
                    _outbox.OnAcknowledged(e.PacketId, e.Code);
                    continue;
                }

                PendingSubscribe pending = null;
                lock (_gate)
                {
                    for (int i = 0; i < _pendingSubscribes.Count; i++)
                    {
                        PendingSubscribe p = (PendingSubscribe)_pendingSubscribes[i];
                        if (p.PacketId == e.PacketId)
                        {
                            pending = p;
                            _pendingSubscribes.RemoveAt(i);
                            break;
                        }
                    }
                }

                if (pending == null)
                {
                    continue;
                }

                for (int i = 0; i < pending.Topics.Length; i++)
                {
                    int granted = i < e.GrantedQos.Length ? e.GrantedQos[i] : 0x80;
                    if (granted >= 0x80)
                    {
                        lock (_gate)
                        {
                            _counters.SubscribeRefused++;
                        }

                        _log.Write(LogLevel.Warning, LogSource, "the server refused the subscription to " + pending.Topics[i] + " (code " + granted.ToString() + ")");
                    }
                }
            }
        }

        // Reports SUBSCRIBEs past their deadline; returns ms until the next deadline, -1 when none is pending.
        private int CheckSubscribeDeadlines(long now)
        {
            long next = -1;
            ArrayList expired = null;
            lock (_gate)
            {
                for (int i = _pendingSubscribes.Count - 1; i >= 0; i--)
                {
                    PendingSubscribe p = (PendingSubscribe)_pendingSubscribes[i];
                    if (p.DeadlineMs <= now)
                    {
                        _pendingSubscribes.RemoveAt(i);
                        _counters.SubscribeTimeouts++;
                        if (expired == null)
                        {
                            expired = new ArrayList();
                        }

                        expired.Add(p);
                    }
                    else if (next < 0 || p.DeadlineMs - now < next)
                    {
                        next = p.DeadlineMs - now;
                    }
                }
            }

            if (expired != null)
            {
                for (int i = 0; i < expired.Count; i++)
                {
                    PendingSubscribe p = (PendingSubscribe)expired[i];
                    _log.Write(LogLevel.Warning, LogSource, "no SUBACK within " + (2 * _options.RequestTimeoutMs).ToString() + " ms for " + p.Topics.Length.ToString() + " topic(s) starting with " + p.Topics[0]);
                }
            }

            return next > int.MaxValue ? int.MaxValue : (int)next;
        }

        private void ApplyOptions(MqttConnectRequest request)
        {
            // Transports that can see a PUBLISH's length first drop an oversize one without copying it.
            request.MaxInboundPayloadBytes = _options.MaxPayloadBytes;
            if (_options.SessionExpirySeconds > 0)
            {
                request.SessionExpirySeconds = _options.SessionExpirySeconds;
            }

            if (_options.WillTopic != null)
            {
                request.WillTopic = _options.WillTopic;
                request.WillPayload = _options.WillPayload;
                request.WillQos = _options.WillQos;
                request.WillRetain = _options.WillRetain;
            }

            if (_options.ConnectUserProperties != null)
            {
                request.UserProperties = _options.ConnectUserProperties;
            }
        }

        private void SetStatus(ConnectionStatus status, string reason)
        {
            lock (_gate)
            {
                _status = status;
                _statusReason = reason;
            }

            _dispatcher.PostStatus(status, reason);
        }

        private void CloseQuietly(IMqttTransport transport)
        {
            if (transport == null)
            {
                return;
            }

            try
            {
                transport.Close();
            }
            catch (Exception e)
            {
                _log.Write(LogLevel.Warning, LogSource, "closing the transport threw " + e.GetType().Name + ": " + e.Message);
            }
        }

        private static void RequireArgument(object value, string name)
        {
            if (value == null)
            {
                throw new ArgumentNullException(name);
            }
        }

        private static string RefusalHint(ConnectionStatus status)
        {
            switch (status)
            {
                case ConnectionStatus.BadCredentials:
                    return "bad credentials (check DeviceSecret and signMethod)";
                case ConnectionStatus.NotAuthorized:
                    return "not authorized (check productKey, deviceName and DeviceSecret, and that the device is enabled)";
                default:
                    return "configuration rejected (check clientId and keepAliveSeconds 30..1200)";
            }
        }

        // Transport threads: record and signal only.
        private void OnTransportMessage(int generation, string topic, byte[] payload)
        {
            _dispatcher.EnqueueMessage(topic, payload);
        }

        private void OnTransportEvent(int generation, TransportEvent e)
        {
            lock (_gate)
            {
                if (generation != _generation)
                {
                    return;
                }

                _events.Add(e);
            }

            _outbox.Wake();
        }

        private void OnTransportLost(int generation, string reason)
        {
            lock (_gate)
            {
                if (generation != _generation)
                {
                    return;
                }

                _lostGeneration = generation;
                _lostReason = reason == null ? "connection lost" : reason;
            }

            _outbox.Wake();
        }

        private sealed class Listener : IMqttTransportListener
        {
            private readonly SessionSupervisor _owner;
            private readonly int _generation;

            internal Listener(SessionSupervisor owner, int generation)
            {
                _owner = owner;
                _generation = generation;
            }

            public void OnMessage(string topic, byte[] payload)
            {
                _owner.OnTransportMessage(_generation, topic, payload);
            }

            public void OnPublished(int packetId, int reasonCode)
            {
                _owner.OnTransportEvent(_generation, new TransportEvent(packetId, reasonCode, null));
            }

            public void OnSubscribed(int packetId, int[] grantedQos)
            {
                _owner.OnTransportEvent(_generation, new TransportEvent(packetId, 0, grantedQos == null ? new int[0] : grantedQos));
            }

            public void OnConnectionLost(string reason)
            {
                _owner.OnTransportLost(_generation, reason);
            }
        }

        private sealed class TransportEvent
        {
            internal TransportEvent(int packetId, int code, int[] grantedQos)
            {
                PacketId = packetId;
                Code = code;
                GrantedQos = grantedQos;
            }

            internal readonly int PacketId;
            internal readonly int Code;

            /// <summary>Null for a PUBACK; the granted QoS list for a SUBACK.</summary>
            internal readonly int[] GrantedQos;
        }

        private sealed class PendingSubscribe
        {
            internal PendingSubscribe(int packetId, string[] topics, long deadlineMs)
            {
                PacketId = packetId;
                Topics = topics;
                DeadlineMs = deadlineMs;
            }

            internal readonly int PacketId;
            internal readonly string[] Topics;
            internal readonly long DeadlineMs;
        }
    }
}
