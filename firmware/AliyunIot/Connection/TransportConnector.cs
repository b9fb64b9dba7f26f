using System;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// One connect attempt: a freshly signed request from the <see cref="IConnectRequestSource"/> with the session's
    /// options applied, a NEW transport (M2Mqtt resolves DNS only in its constructor, so a reused client would keep a
    /// stale address), and every failure turned into a result rather than an exception. <see cref="Abort"/> closes
    /// the transport of an attempt in progress, so a Stop does not wait out a connect timeout.
    /// </summary>
    internal sealed class TransportConnector
    {
        private readonly object _gate = new object();
        private readonly SessionOptions _options;
        private readonly IConnectRequestSource _requests;
        private readonly IMqttTransportFactory _factory;
        private readonly ILog _log;
        private readonly string _logSource;
        private IMqttTransport _connecting;
        private bool _aborted;

        internal TransportConnector(SessionOptions options, IConnectRequestSource requests, IMqttTransportFactory factory, ILog log, string logSource)
        {
            _options = options;
            _requests = requests;
            _factory = factory;
            _log = log;
            _logSource = logSource;
        }

        /// <summary>Allows attempts again after <see cref="Abort"/> (the session is started again).</summary>
        internal void Resume()
        {
            lock (_gate)
            {
                _aborted = false;
            }
        }

        /// <summary>Cuts short the attempt in progress, and refuses new ones until <see cref="Resume"/>.</summary>
        internal void Abort()
        {
            IMqttTransport connecting;
            lock (_gate)
            {
                _aborted = true;
                connecting = _connecting;
            }

            Close(connecting);
        }

        /// <summary>Connects a new transport; never throws.</summary>
        /// <returns>The outcome (never null); <paramref name="transport"/> and <paramref name="request"/> are what
        /// was used (either may be null when building it failed).</returns>
        internal MqttConnectResult Connect(IMqttTransportListener listener, out IMqttTransport transport, out MqttConnectRequest request)
        {
            transport = null;
            request = null;
            MqttConnectResult result;
            try
            {
                request = _requests.CreateConnectRequest();
                _options.ApplyTo(request);
                transport = _factory.Create();
                bool aborted;
                lock (_gate)
                {
                    _connecting = transport;
                    aborted = _aborted;
                }

                // Abort sets the flag before it reads _connecting: either it closes this transport, or this sees it.
                result = aborted ? new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "stopped") : transport.Connect(request, listener);
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

            return result;
        }

        /// <summary>Closes <paramref name="transport"/> (null is ignored); a failure to close is logged, not thrown.</summary>
        internal void Close(IMqttTransport transport)
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
                _log.Write(LogLevel.Warning, _logSource, "closing the transport threw " + e.GetType().Name + ": " + e.Message);
            }
        }
    }
}
