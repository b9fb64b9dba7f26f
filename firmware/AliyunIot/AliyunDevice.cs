using System;
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
    /// device.Stop();                       // joins both threads, closes the connection
    /// </code>
    /// </summary>
    public sealed class AliyunDevice
    {
        private readonly DeviceTopics _topics;
        private readonly SessionSupervisor _session;

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
        }

        /// <summary>Starts connecting (in the background).</summary>
        public void Start()
        {
            _session.Start();
        }

        /// <summary>Closes the connection and ends every thread of the session.</summary>
        public void Stop()
        {
            _session.Stop();
        }
    }
}
