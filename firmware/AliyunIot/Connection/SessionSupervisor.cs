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
    /// CONNACK, each followed by a reconnect that succeeds at once → <see cref="ConnectionStatus.IdentityInUse"/> (the
    /// platform kicks the older of two connections with the same identity). A failed attempt in between (the broker
    /// itself went away) and a connection the client gave up on (no PUBACK) reset that count;</item>
    /// <item>a QoS 1 message the client library gave up on (<see cref="MqttPublishReasons.NotAcknowledged"/>) →
    /// the connection is treated as lost; the message is re-sent first after the next CONNACK.</item>
    /// </list>
    /// Its parts: <see cref="TransportConnector"/> makes each attempt, <see cref="RetryPlanner"/> decides status and
    /// delay after a failure, <see cref="SubscriptionTracker"/> subscribes every topic of every registered handler
    /// after every CONNACK, <see cref="Outbox"/> sends.
    /// Transport callbacks only enqueue; PUBACK/SUBACK are applied on this thread and messages are run by the one
    /// worker thread (<see cref="MessageDispatcher"/>).
    /// </summary>
    public sealed class SessionSupervisor
    {
        private const string LogSource = "session";

        /// <summary>How long <see cref="Stop"/> waits for the supervisor thread (a transport's Close is bounded too).</summary>
        public const int StopTimeoutMs = 30000;

        private readonly SessionOptions _options;
        private readonly TransportConnector _connector;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly Outbox _outbox;
        private readonly MessageDispatcher _dispatcher;
        private readonly RetryPlanner _retry;
        private readonly ManualResetEvent _stopSignal = new ManualResetEvent(false);
        private readonly object _gate = new object();
        private readonly SubscriptionTracker _subscriptions;
        private readonly SessionCounters _counters = new SessionCounters();
        private Thread _thread;
        private bool _stopping;
        private readonly TransportEventQueue _transportEvents;
        private bool _resubscribe;
        private ConnectionStatus _status = ConnectionStatus.Stopped;
        private string _statusReason = "not started";

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
            _connector = new TransportConnector(options, requests, factory, log, LogSource);
            _clock = clock;
            _log = log;
            _outbox = new Outbox(options, topics, clock, log);
            _dispatcher = new MessageDispatcher(options.InboundQueueLength, options.InboundQueueBytes, options.MaxPayloadBytes, log);
            _subscriptions = new SubscriptionTracker(options, clock, log);
            _transportEvents = new TransportEventQueue(_outbox, _dispatcher, _subscriptions);
            _retry = new RetryPlanner(options, random);
            _outbox.SetNotifier(_dispatcher);
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

                c.SubscribeTimeouts = _subscriptions.Timeouts;
                c.SubscribeRefused = _subscriptions.Refused;
                c.MessagesReceived = _dispatcher.Received;
                c.MessagesDropped = _dispatcher.Dropped;
                c.MessagesDiscarded = _dispatcher.Discarded;
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
            _connector.Resume();
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
            _connector.Abort();
            if (t != null && t != Thread.CurrentThread && !t.Join(StopTimeoutMs))
            {
                _log.Write(LogLevel.Warning, LogSource, "the supervisor thread did not end within " + StopTimeoutMs.ToString() + " ms of Stop");
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
            int generation;
            IMqttTransportListener listener = _transportEvents.NextListener(out generation);
            IMqttTransport transport;
            MqttConnectRequest request;
            MqttConnectResult result = _connector.Connect(listener, out transport, out request);
            ConnectionStatus status = ConnectOutcomeClassifier.Classify(result);
            if (status == ConnectionStatus.Connected)
            {
                return RunConnected(transport, request, generation);
            }

            _connector.Close(transport);
            if (Stopping)
            {
                // Stop() cut this attempt short ("stopped"): not a connection failure to report or back off from.
                return 0;
            }

            if (ConnectOutcomeClassifier.IsRefusal(status))
            {
                lock (_gate)
                {
                    _counters.Refusals++;
                }
            }

            string reason;
            int delay = _retry.AfterFailedAttempt(status, result, out reason);
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
                _resubscribe = false;
            }

            _subscriptions.Clear();

            string where = request.Host + ":" + request.Port.ToString() + (request.UseTls ? " (TLS" : " (plain TCP") + ", MQTT " + (request.ProtocolVersion == 5 ? "5" : "3.1.1") + ")";
            _log.Write(LogLevel.Info, LogSource, "connected to " + where);
            Subscribe(transport);

            // Attached before the status says Connected, so a caller that saw Connected can publish straight out.
            _outbox.Attach(transport);
            SetStatus(ConnectionStatus.Connected, "connected to " + where);

            string lost = null;
            bool lostByClient = false;
            while (true)
            {
                if (Stopping)
                {
                    break;
                }

                bool resubscribe;
                lock (_gate)
                {
                    resubscribe = _resubscribe;
                    _resubscribe = false;
                }

                lost = _transportEvents.LossOf(generation, out lostByClient);
                _transportEvents.Apply();
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

                int subscribeWait = _subscriptions.CheckDeadlines(now);
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
                        _retry.OnStable();
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
            _transportEvents.Apply();
            _outbox.Detach();
            _connector.Close(transport);
            if (lost == null)
            {
                return 0;
            }

            long upMs = _clock.MonotonicMs - connectedAt;
            lock (_gate)
            {
                _counters.ConnectionsLost++;
            }

            int delay;
            string reason;
            ConnectionStatus status = _retry.AfterLoss(upMs, lostByClient, lost, out delay, out reason);
            _log.Write(status == ConnectionStatus.IdentityInUse ? LogLevel.Error : LogLevel.Warning, LogSource, reason);
            SetStatus(status, reason);
            return delay;
        }

        private void Subscribe(IMqttTransport transport)
        {
            _subscriptions.SubscribeAll(transport, _dispatcher.Handlers);
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

        private static void RequireArgument(object value, string name)
        {
            if (value == null)
            {
                throw new ArgumentNullException(name);
            }
        }
    }
}
