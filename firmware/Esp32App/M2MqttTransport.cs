using System;
using System.Collections;
using System.Net.Sockets;
using System.Text;
using AliyunIot.Ports;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Exceptions;
using nanoFramework.M2Mqtt.Messages;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="IMqttTransport"/> over nanoFramework.M2Mqtt. One instance is one connection: the session builds a new
    /// one for every (re)connect through <see cref="M2MqttTransportFactory"/>, because M2Mqtt resolves the broker's
    /// DNS name only in its constructor and would otherwise keep dialling a stale address.
    /// </summary>
    /// <remarks>
    /// Known limits of M2Mqtt 5.1.x that this adapter cannot hide (nanoframework-notes §A.1):
    /// <list type="bullet">
    /// <item>The CONNACK timeout is M2Mqtt's fixed 30 s (<c>MqttSettings</c> timeouts are read-only), so
    /// <see cref="MqttConnectRequest.ConnectTimeoutMs"/> cannot shorten it.</item>
    /// <item>The will message is a string in M2Mqtt: the will payload is sent as its UTF-8 text.</item>
    /// <item>PUBACK reason codes are not exposed: an acknowledged message reports 0. M2Mqtt gives up on a QoS 1
    /// message after 3 attempts 1 s apart (<c>MqttMsgPublished</c> with <c>IsPublished</c> false) while its
    /// connection may still look open; that is reported as <see cref="MqttPublishReasons.NotAcknowledged"/>, never
    /// as a refusal, and the session then drops the connection and re-sends the message after reconnect.</item>
    /// <item>A refused CONNACK followed at once by the broker's close can surface as
    /// <c>MqttCommunicationException</c> from Connect (the receive thread sets <c>_exReceiving</c> for the close
    /// right after signalling the CONNACK). The return code is taken from <c>ConnectionOpened</c>, raised before.</item>
    /// <item>TLS failures arrive as a <c>SocketException</c> with a negative error code (an mbedTLS code) inside
    /// <c>MqttConnectionException</c>; TCP failures have positive socket error codes.</item>
    /// <item><c>MqttSettings</c> is a process-wide singleton; this adapter only ever switches server certificate
    /// validation ON (for TLS connections) and never changes the in-flight queue size.</item>
    /// </list>
    /// Every M2Mqtt event handler is wrapped so that nothing is ever thrown back into M2Mqtt's dispatch thread.
    /// </remarks>
    public sealed class M2MqttTransport : IMqttTransport
    {
        private readonly object _sync = new object();

        // Packet ids of QoS 1 messages still awaiting their PUBACK. M2Mqtt also raises MqttMsgPublished for QoS 0
        // messages, whose ids the core never saw (Publish returns 0 for QoS 0); those events are dropped.
        private readonly Hashtable _qos1InFlight = new Hashtable();

        private MqttClient _client;
        private IMqttTransportListener _listener;
        private bool _mqtt5;
        private bool _closed;
        private bool _lossReported;

        // The CONNACK return code seen by ConnectionOpened, -1 until one arrives.
        private int _connack = -1;

        /// <inheritdoc />
        public bool IsConnected
        {
            get
            {
                MqttClient client = _client;
                if (client == null || _lossReported)
                {
                    return false;
                }

                try
                {
                    return client.IsConnected;
                }
                catch (Exception)
                {
                    return false;
                }
            }
        }

        /// <inheritdoc />
        public MqttConnectResult Connect(MqttConnectRequest request, IMqttTransportListener listener)
        {
            if (request == null)
            {
                throw new ArgumentNullException("request");
            }

            if (listener == null)
            {
                throw new ArgumentNullException("listener");
            }

            lock (_sync)
            {
                if (_client != null || _closed)
                {
                    throw new InvalidOperationException("An M2MqttTransport connects once; create a new one for every connection.");
                }

                _listener = listener;
                _mqtt5 = request.ProtocolVersion == 5;
            }

            MqttConnectResult failure;
            MqttClient client = M2MqttClientBuilder.Create(request, out failure);
            if (client == null)
            {
                return failure;
            }

            MqttConnectResult result;
            try
            {
                if (request.UseTls)
                {
                    // Process-wide singleton: make sure nobody switched server validation off.
                    client.Settings.ValidateServerCertificate = true;
                }

                client.ProtocolVersion = _mqtt5 ? MqttProtocolVersion.Version_5 : MqttProtocolVersion.Version_3_1_1;
                if (_mqtt5)
                {
                    if (request.SessionExpirySeconds > 0)
                    {
                        client.SessionExpiryInterval = (uint)request.SessionExpirySeconds;
                    }

                    M2MqttUserProperties.AddTo(client.UserProperties, request.UserProperties);
                }

                // Handlers are attached before CONNECT so a message the broker sends right after the CONNACK is not missed.
                client.MqttMsgPublishReceived += OnPublishReceived;
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgSubscribed += OnSubscribed;
                client.ConnectionClosed += OnConnectionClosed;
                client.ConnectionClosedRequest += OnConnectionClosedRequest;
                client.ConnectionOpened += OnConnectionOpened;

                lock (_sync)
                {
                    _client = client;
                }

                MqttReasonCode code = ConnectOnce(client, request);
                int wire = MqttReasonCodes.ToWire(code, _mqtt5);
                if (wire == 0)
                {
                    return new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "Connected.");
                }

                result = new MqttConnectResult(MqttConnectOutcome.Refused, wire, "The broker refused the connection (reason code " + wire.ToString() + ").");
            }
            catch (MqttConnectionException e)
            {
                result = M2MqttConnectFailures.FromConnectionException(e, request.UseTls);
            }
            catch (MqttCommunicationException)
            {
                // Either no CONNACK within M2Mqtt's receive timeout, or a refusal whose close raced the CONNACK.
                int connack;
                lock (_sync)
                {
                    connack = _connack;
                }

                if (connack > 0)
                {
                    result = new MqttConnectResult(MqttConnectOutcome.Refused, connack, "The broker refused the connection (reason code " + connack.ToString() + ") and closed it.");
                }
                else
                {
                    result = new MqttConnectResult(MqttConnectOutcome.Timeout, -1, "No CONNACK within M2Mqtt's receive timeout, or the connection closed before it.");
                }
            }
            catch (MqttClientException e)
            {
                // Client-side validation (client id, keep-alive, will): retrying the same request cannot help.
                result = new MqttConnectResult(MqttConnectOutcome.Refused, -1, "M2Mqtt rejected the CONNECT before sending it (client error " + M2MqttConnectFailures.ClientErrorName(e.ErrorCode) + ").");
            }
            catch (SocketException e)
            {
                result = new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "Socket error " + e.ErrorCode.ToString() + " while connecting.");
            }
            catch (Exception e)
            {
                result = new MqttConnectResult(request.UseTls ? MqttConnectOutcome.TlsError : MqttConnectOutcome.NetworkError, -1, "Connect failed (" + e.GetType().Name + ").");
            }

            // A failed attempt must not leave M2Mqtt's worker threads or the socket behind.
            Close();
            return result;
        }

        /// <inheritdoc />
        public int Publish(string topic, byte[] payload, int qos, bool retain, ArrayList userProperties)
        {
            MqttClient client = _client;
            if (client == null || _lossReported || !client.IsConnected)
            {
                // M2Mqtt's Publish does not check the connection itself; it would queue into a dead client.
                return -1;
            }

            ArrayList properties = null;
            if (_mqtt5 && userProperties != null && userProperties.Count > 0)
            {
                properties = new ArrayList();
                M2MqttUserProperties.AddTo(properties, userProperties);
            }

            try
            {
                // Held across Publish so that a PUBACK racing the return of the id finds it registered. This is not a
                // lock across network I/O: M2Mqtt's Publish only enqueues into its in-flight queue (EnqueueInflight,
                // 5.1.220); its own thread sends, and PUBACK events come from its dispatch thread, which holds no
                // M2Mqtt lock while raising them.
                lock (_sync)
                {
                    // On 3.1.1 contentType and userProperties stay null: M2Mqtt throws NotSupportedException for v5-only
                    // fields on 3.1.1, and user properties are an MQTT 5 feature (dropped on 3.1.1 by design).
                    ushort id = client.Publish(topic, payload, null, properties, MqttReasonCodes.ToQos(qos), retain);
                    if (qos <= 0)
                    {
                        return 0;
                    }

                    _qos1InFlight[(int)id] = true;
                    return id;
                }
            }
            catch (MqttClientException)
            {
                // InflightQueueFull (or another client-side refusal): nothing was queued; the caller keeps the message.
                return -1;
            }
            catch (Exception)
            {
                return -1;
            }
        }

        /// <inheritdoc />
        public int Subscribe(string[] topics, int[] qos)
        {
            MqttClient client = _client;
            if (client == null || _lossReported || topics == null || qos == null || topics.Length != qos.Length || topics.Length == 0)
            {
                return -1;
            }

            MqttQoSLevel[] levels = new MqttQoSLevel[qos.Length];
            for (int i = 0; i < qos.Length; i++)
            {
                levels[i] = MqttReasonCodes.ToQos(qos[i]);
            }

            try
            {
                return client.Subscribe(topics, levels);
            }
            catch (Exception)
            {
                return -1;
            }
        }

        /// <inheritdoc />
        public void Close()
        {
            MqttClient client;
            lock (_sync)
            {
                _closed = true;
                client = _client;
                _client = null;
                _qos1InFlight.Clear();
            }

            if (client == null)
            {
                return;
            }

            // Detach first: nothing reaches the listener after Close, as the port promises.
            try
            {
                client.MqttMsgPublishReceived -= OnPublishReceived;
                client.MqttMsgPublished -= OnPublished;
                client.MqttMsgSubscribed -= OnSubscribed;
                client.ConnectionClosed -= OnConnectionClosed;
                client.ConnectionClosedRequest -= OnConnectionClosedRequest;
                client.ConnectionOpened -= OnConnectionOpened;
            }
            catch (Exception)
            {
                // Detaching cannot meaningfully fail; keep closing regardless.
            }

            try
            {
                if (client.IsConnected)
                {
                    client.Disconnect();
                }
            }
            catch (Exception)
            {
                // The socket may already be gone; Close/Dispose below still release the threads.
            }

            try
            {
                client.Close();
            }
            catch (Exception)
            {
                // Already closed by Disconnect or by the broker.
            }

            try
            {
                client.Dispose();
            }
            catch (Exception)
            {
                // Nothing left to release.
            }
        }

        private static MqttReasonCode ConnectOnce(MqttClient client, MqttConnectRequest request)
        {
            ushort keepAlive = (ushort)(request.KeepAliveSeconds < 0 ? 0 : (request.KeepAliveSeconds > 65535 ? 65535 : request.KeepAliveSeconds));
            if (request.WillTopic == null)
            {
                return client.Connect(request.ClientIdentifier, request.Username, request.Password, request.CleanSession, keepAlive);
            }

            byte[] willPayload = request.WillPayload;
            string willMessage = willPayload == null ? string.Empty : Encoding.UTF8.GetString(willPayload, 0, willPayload.Length);
            return client.Connect(
                request.ClientIdentifier,
                request.Username,
                request.Password,
                request.WillRetain,
                MqttReasonCodes.ToQos(request.WillQos),
                true,
                request.WillTopic,
                willMessage,
                request.CleanSession,
                keepAlive);
        }

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            try
            {
                IMqttTransportListener listener = _listener;
                if (listener != null && !_closed)
                {
                    listener.OnMessage(e.Topic, e.Message);
                }
            }
            catch (Exception)
            {
                // Never throw into M2Mqtt's dispatch thread: it would stop delivering events.
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            try
            {
                int id = e.MessageId;
                lock (_sync)
                {
                    if (!_qos1InFlight.Contains(id))
                    {
                        return;
                    }

                    _qos1InFlight.Remove(id);
                }

                IMqttTransportListener listener = _listener;
                if (listener != null && !_closed)
                {
                    // Given up after M2Mqtt's retries: the broker never refused it, so never report a refusal.
                    listener.OnPublished(id, e.IsPublished ? MqttPublishReasons.Accepted : MqttPublishReasons.NotAcknowledged);
                }
            }
            catch (Exception)
            {
                // See OnPublishReceived.
            }
        }

        private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
        {
            try
            {
                MqttQoSLevel[] granted = e.GrantedQoSLevels;
                int[] codes = new int[granted == null ? 0 : granted.Length];
                for (int i = 0; i < codes.Length; i++)
                {
                    codes[i] = MqttReasonCodes.FromGranted(granted[i]);
                }

                IMqttTransportListener listener = _listener;
                if (listener != null && !_closed)
                {
                    listener.OnSubscribed(e.MessageId, codes);
                }
            }
            catch (Exception)
            {
                // See OnPublishReceived.
            }
        }

        private void OnConnectionOpened(object sender, ConnectionOpenedEventArgs e)
        {
            try
            {
                MqttMsgConnack connack = e.Message;
                if (connack != null)
                {
                    int code = MqttReasonCodes.ToWire(connack.ReturnCode, _mqtt5);
                    lock (_sync)
                    {
                        _connack = code;
                    }
                }
            }
            catch (Exception)
            {
                // See OnPublishReceived.
            }
        }

        private void OnConnectionClosedRequest(object sender, ConnectionClosedRequestEventArgs e)
        {
            string reason = "The broker sent DISCONNECT";
            try
            {
                MqttMsgDisconnect message = e.Message;
                if (message != null)
                {
                    reason += " (reason code " + MqttReasonCodes.ToWire(message.ResonCode, true).ToString() + ")";
                }
            }
            catch (Exception)
            {
                // Keep the generic reason.
            }

            ReportLoss(reason + ".");
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            ReportLoss("The connection was closed by the broker or the network.");
        }

        private void ReportLoss(string reason)
        {
            try
            {
                lock (_sync)
                {
                    if (_closed || _lossReported)
                    {
                        return;
                    }

                    _lossReported = true;
                    _qos1InFlight.Clear();
                }

                IMqttTransportListener listener = _listener;
                if (listener != null)
                {
                    listener.OnConnectionLost(reason);
                }
            }
            catch (Exception)
            {
                // See OnPublishReceived.
            }
        }
    }
}
