using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Ports;

namespace AliyunIot
{
    /// <summary>
    /// The device as the application sees it: one supervised MQTT session, its outbox and its topics. Deliberately
    /// small — the application adds its components (thing model, OTA, NTP ...) with <see cref="AddHandler"/> and
    /// gives them <see cref="Publisher"/> and <see cref="Topics"/>.
    /// <code>
    /// var device = new AliyunDevice(config, caPem, transportFactory, clock, random, log, null);
    /// device.AddHandler(thing);            // before Start, or later (subscribed at once)
    /// device.StatusChanged += OnStatus;    // runs on the worker thread
    /// device.Start();
    /// ...
    /// device.Stop();                       // stops handlers' jobs (OTA), joins both threads, closes the connection
    /// </code>
    /// </summary>
    public sealed class AliyunDevice
    {
        /// <summary>How long <see cref="Stop"/> waits for each handler's background work (e.g. an OTA download).</summary>
        public const int HandlerStopTimeoutMs = 30000;

        private readonly DeviceTopics _topics;
        private readonly SessionSupervisor _session;
        private readonly ILog _log;
        private readonly ArrayList _stoppable = new ArrayList();

        /// <summary>Creates a stopped device from its parsed config (limits, endpoint, credentials).</summary>
        /// <param name="config">A parsed device.json holding a deviceSecret or deviceToken (register first otherwise).</param>
        /// <param name="caCertificatesPem">Trusted roots: the config's override, else the embedded bundle.</param>
        /// <param name="transportFactory">Builds a new transport per attempt.</param>
        /// <param name="clock">Time for back-off, rate limit, timeouts and the signing timestamp.</param>
        /// <param name="random">Jitter.</param>
        /// <param name="log">Where the session writes what it does (never secrets).</param>
        /// <param name="hmacSha256">Native HMAC-SHA256 on the device, or null for the managed one.</param>
        public AliyunDevice(DeviceConfig config, string caCertificatesPem, IMqttTransportFactory transportFactory, IClock clock, IRandom random, ILog log, IHmacSha256 hmacSha256)
            : this(
                SessionOptions.FromLimits(RequireConfig(config).Limits),
                new DeviceTopics(config.ProductKey, config.DeviceName),
                new ConfigConnectRequestSource(config, caCertificatesPem, clock, hmacSha256),
                transportFactory,
                clock,
                random,
                log)
        {
        }

        /// <summary>Creates a stopped device from explicit parts (tests, benchmarks, custom credential sources).</summary>
        /// <param name="options">Limits and timings (from the <c>limits</c> section of device.json).</param>
        /// <param name="topics">The device's topics (its own ProductKey and DeviceName).</param>
        /// <param name="requests">Signed CONNECT requests, one per attempt (identity's MqttCredentials).</param>
        /// <param name="transportFactory">Builds a new transport per attempt.</param>
        /// <param name="clock">Time for back-off, rate limit and timeouts.</param>
        /// <param name="random">Jitter.</param>
        /// <param name="log">Where the session writes what it does (never secrets).</param>
        public AliyunDevice(SessionOptions options, DeviceTopics topics, IConnectRequestSource requests, IMqttTransportFactory transportFactory, IClock clock, IRandom random, ILog log)
        {
            if (topics == null)
            {
                throw new ArgumentNullException("topics");
            }

            _topics = topics;
            _log = log;
            _session = new SessionSupervisor(options, topics, requests, transportFactory, clock, random, log);
        }

        private static DeviceConfig RequireConfig(DeviceConfig config)
        {
            if (config == null)
            {
                throw new ArgumentNullException("config");
            }

            return config;
        }

        /// <summary>Every status change (raised on the worker thread; return quickly).</summary>
        public event ConnectionStatusChangedHandler StatusChanged
        {
            add { _session.StatusChanged += value; }
            remove { _session.StatusChanged -= value; }
        }

        /// <summary>The device's topics.</summary>
        public DeviceTopics Topics
        {
            get { return _topics; }
        }

        /// <summary>The one outbound path; also <see cref="IPublisherWithOptions"/> for MQTT 5 extras and delivery notifications.</summary>
        public IPublisherWithOptions Publisher
        {
            get { return _session.Outbox; }
        }

        /// <summary>The outbox itself (counters, pending count).</summary>
        public Outbox Outbox
        {
            get { return _session.Outbox; }
        }

        /// <summary>The session supervisor (for diagnostics).</summary>
        public SessionSupervisor Session
        {
            get { return _session; }
        }

        /// <summary>The current connection status.</summary>
        public ConnectionStatus Status
        {
            get { return _session.Status; }
        }

        /// <summary>Why the current status was entered (no secrets).</summary>
        public string StatusReason
        {
            get { return _session.StatusReason; }
        }

        /// <summary>Session counters (connections, subscriptions, incoming messages, handler errors).</summary>
        public SessionCounters Counters
        {
            get { return _session.Counters; }
        }

        /// <summary>Outbox counters (sent, queued, dropped, retried ...).</summary>
        public OutboxCounters OutboxCounters
        {
            get { return _session.Outbox.Counters; }
        }

        /// <summary>Registers a component: its topics are subscribed after every connect and its Handle runs on the worker thread.</summary>
        public void AddHandler(IMessageHandler handler)
        {
            _session.AddHandler(handler);
            IStoppableHandler stoppable = handler as IStoppableHandler;
            if (stoppable != null)
            {
                lock (_stoppable)
                {
                    _stoppable.Add(stoppable);
                }
            }
        }

        /// <summary>Starts connecting (in the background).</summary>
        public void Start()
        {
            _session.Start();
        }

        /// <summary>
        /// Stops the handlers' background work (<see cref="IStoppableHandler"/>, e.g. a running OTA job, which resumes
        /// after the next start), then closes the connection and ends every thread of the session. Every wait is
        /// bounded; what did not end in time is logged.
        /// </summary>
        public void Stop()
        {
            object[] stoppable;
            lock (_stoppable)
            {
                stoppable = _stoppable.ToArray();
            }

            for (int i = 0; i < stoppable.Length; i++)
            {
                IStoppableHandler handler = (IStoppableHandler)stoppable[i];
                try
                {
                    if (!handler.Stop(HandlerStopTimeoutMs))
                    {
                        _log.Write(LogLevel.Warning, "device", handler.GetType().Name + " did not stop within " + HandlerStopTimeoutMs.ToString() + " ms");
                    }
                }
                catch (Exception e)
                {
                    _log.Write(LogLevel.Error, "device", handler.GetType().Name + ".Stop threw " + e.GetType().Name + ": " + e.Message);
                }
            }

            _session.Stop();
        }
    }
}
