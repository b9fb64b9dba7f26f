using System;
using System.Collections;
using System.Threading;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// The one outbound path. Enforces every limit before a byte is sent and keeps the at-least-once promise for
    /// QoS 1:
    /// <list type="bullet">
    /// <item>Refuses foreign topics (<see cref="DeviceTopics.IsOwn"/>) and payloads over the maximum.</item>
    /// <item>QoS 1 messages are kept until their PUBACK. At most <see cref="SessionOptions.InFlightWindow"/> are
    /// in flight; while connected a caller may have at most that many pending (sent or waiting), beyond that the
    /// answer is <see cref="PublishStatus.InFlightFull"/> and nothing is kept.</item>
    /// <item>While disconnected QoS 1 messages go to the offline queue, bounded by count
    /// (<see cref="SessionOptions.OfflineQueueLength"/>) and by payload bytes (<see cref="SessionOptions.OfflineQueueBytes"/>,
    /// from the board profile); when full, <see cref="SessionOptions.OfflineDropPolicy"/> decides (dropping as many
    /// of the oldest as needed), and it is counted. A message larger than the whole byte budget is refused.</item>
    /// <item>When a connection is lost, the messages in flight go back to the FRONT of the queue in their order,
    /// so after reconnect they are re-sent first, then the offline queue, then new messages: order of first
    /// sending is preserved; the broker may see a message twice (at-least-once).</item>
    /// <item>Rate limit (token bucket shared by QoS 0 and 1): a QoS 0 message over the rate is refused with
    /// <see cref="PublishStatus.RateLimited"/> (it is fire-and-forget anyway); a QoS 1 message is accepted,
    /// held in the queue and paced out by <see cref="Pump"/> (answer <see cref="PublishStatus.Queued"/>), because a
    /// reading the caller was promised must not be lost to a burst.</item>
    /// </list>
    /// QoS 0 messages are never queued and may overtake queued QoS 1 messages. Thread-safe: callers publish from
    /// any thread; the session calls <see cref="Attach"/>, <see cref="Detach"/>, <see cref="Pump"/> and
    /// <see cref="OnAcknowledged"/> from its supervisor thread.
    /// </summary>
    public sealed class Outbox : IPublisherWithOptions
    {
        private const string LogSource = "outbox";

        private readonly object _gate = new object();
        private readonly SessionOptions _options;
        private readonly DeviceTopics _topics;
        private readonly ILog _log;
        private readonly TokenBucket _bucket;
        private readonly AutoResetEvent _workSignal = new AutoResetEvent(false);
        private readonly ArrayList _inFlight = new ArrayList();
        private readonly ArrayList _queue = new ArrayList();
        private readonly OutboxCounters _counters = new OutboxCounters();
        private IMqttTransport _transport;
        private IDeliveryNotifier _notifier;

        /// <summary>Creates an outbox for the device whose topics are <paramref name="topics"/>.</summary>
        public Outbox(SessionOptions options, DeviceTopics topics, IClock clock, ILog log)
        {
            if (options == null || topics == null || clock == null || log == null)
            {
                throw new ArgumentNullException(options == null ? "options" : topics == null ? "topics" : clock == null ? "clock" : "log");
            }

            if (options.InFlightWindow < 1)
            {
                throw new ArgumentOutOfRangeException("options", "InFlightWindow must be at least 1");
            }

            _options = options;
            _topics = topics;
            _log = log;
            _bucket = new TokenBucket(clock, options.MessagesPerSecond);
        }

        /// <summary>Set whenever there is new work for <see cref="Pump"/> (a message was queued while connected).</summary>
        public WaitHandle WorkSignal
        {
            get { return _workSignal; }
        }

        /// <summary>True while a transport is attached.</summary>
        public bool IsAttached
        {
            get
            {
                lock (_gate)
                {
                    return _transport != null;
                }
            }
        }

        /// <summary>A snapshot of the counters and gauges.</summary>
        public OutboxCounters Counters
        {
            get
            {
                lock (_gate)
                {
                    OutboxCounters c = _counters.Copy();
                    c.InFlight = _inFlight.Count;
                    c.QueueLength = _queue.Count;
                    return c;
                }
            }
        }

        /// <summary>Messages not yet acknowledged (in flight plus queued).</summary>
        public int PendingCount
        {
            get
            {
                lock (_gate)
                {
                    return _inFlight.Count + _queue.Count;
                }
            }
        }

        /// <inheritdoc />
        public PublishStatus Publish(string topic, byte[] payload, int qos)
        {
            return Publish(topic, payload, qos, null);
        }

        /// <inheritdoc />
        public PublishStatus Publish(string topic, byte[] payload, int qos, PublishOptions options)
        {
            if (topic == null)
            {
                throw new ArgumentNullException("topic");
            }

            if (payload == null)
            {
                throw new ArgumentNullException("payload");
            }

            if (qos != 0 && qos != 1)
            {
                throw new ArgumentOutOfRangeException("qos", "the platform supports QoS 0 and 1 only");
            }

            bool retain = false;
            ArrayList properties = null;
            object token = null;
            DeliveryHandler delivered = null;
            if (options != null)
            {
                retain = options.Retain;
                properties = options.UserProperties;
                token = options.Token;
                delivered = options.Delivered;
                if (properties != null && properties.Count > PublishOptions.MaxUserProperties)
                {
                    throw new ArgumentOutOfRangeException("options", "at most 20 user properties");
                }
            }

            string warning = null;
            ArrayList dropped = null;
            PublishStatus status;
            lock (_gate)
            {
                if (topic.Length > DeviceTopics.MaxTopicLength || !_topics.IsOwn(topic))
                {
                    _counters.ForeignTopic++;
                    status = PublishStatus.ForeignTopic;
                    warning = "refused a publish to a topic that is not this device's (" + topic.Length.ToString() + " chars)";
                }
                else if (payload.Length > _options.MaxPayloadBytes)
                {
                    _counters.TooLarge++;
                    status = PublishStatus.TooLarge;
                    warning = "refused a " + payload.Length.ToString() + "-byte payload (limit " + _options.MaxPayloadBytes.ToString() + ")";
                }
                else if (qos == 0)
                {
                    status = PublishQos0(topic, payload, retain, properties);
                }
                else
                {
                    OutboxMessage message = new OutboxMessage(topic, payload, retain, properties, token, delivered);
                    status = PublishQos1(message, out dropped);
                    if (dropped != null)
                    {
                        warning = "offline queue full (" + QueueLimits() + "): dropped the oldest " + (dropped.Count == 1 ? "message" : dropped.Count.ToString() + " messages") + ", " + _counters.Dropped.ToString() + " dropped so far";
                    }
                    else if (status == PublishStatus.QueueFull)
                    {
                        warning = "offline queue full (" + QueueLimits() + "): refused a new " + payload.Length.ToString() + "-byte message, " + _counters.Rejected.ToString() + " refused so far";
                    }
                }
            }

            if (warning != null)
            {
                _log.Write(LogLevel.Warning, LogSource, warning);
            }

            for (int i = 0; dropped != null && i < dropped.Count; i++)
            {
                Notify((OutboxMessage)dropped[i], DeliveryOutcome.Dropped, -1);
            }

            return status;
        }

        /// <summary>Starts sending through <paramref name="transport"/> (just connected). Re-sends come first.</summary>
        public void Attach(IMqttTransport transport)
        {
            lock (_gate)
            {
                _transport = transport;
            }

            _workSignal.Set();
        }

        /// <summary>
        /// The connection is gone: messages in flight go back to the front of the queue, in order, to be re-sent
        /// first on the next connection.
        /// </summary>
        public void Detach()
        {
            lock (_gate)
            {
                _transport = null;
                for (int i = 0; i < _inFlight.Count; i++)
                {
                    OutboxMessage message = (OutboxMessage)_inFlight[i];
                    message.PacketId = 0;
                    _queue.Insert(i, message);
                }

                _inFlight.Clear();
            }
        }

        /// <summary>
        /// Sends queued messages while the window and the rate allow.
        /// </summary>
        /// <returns>Milliseconds until more can be sent by the rate limit; -1 when nothing more can be done until
        /// a PUBACK arrives, a message is published or a transport is attached.</returns>
        public int Pump()
        {
            lock (_gate)
            {
                while (_transport != null && _queue.Count > 0 && _inFlight.Count < _options.InFlightWindow)
                {
                    if (!_bucket.TryTake())
                    {
                        return _bucket.MsUntilToken();
                    }

                    OutboxMessage message = (OutboxMessage)_queue[0];
                    if (!Send(message))
                    {
                        // The transport refused: the connection is going away. Keep the message where it is; the
                        // supervisor notices the loss, or retries shortly.
                        return 50;
                    }

                    _queue.RemoveAt(0);
                }

                return -1;
            }
        }

        /// <summary>A PUBACK arrived on the current connection.</summary>
        /// <param name="packetId">The packet id the transport returned.</param>
        /// <param name="reasonCode">0, or an MQTT 5 reason code (0x80 or more means refused; it is not retried).
        /// <see cref="MqttPublishReasons.NotAcknowledged"/> (or any negative value) is not an answer from the broker:
        /// the message stays in flight and goes back to the front of the queue on <see cref="Detach"/>.</param>
        public void OnAcknowledged(int packetId, int reasonCode)
        {
            if (reasonCode < 0)
            {
                // The client gave up, the broker did not refuse: keep it for the re-send after reconnect (the
                // session treats the connection as lost).
                return;
            }

            OutboxMessage done = null;
            lock (_gate)
            {
                for (int i = 0; i < _inFlight.Count; i++)
                {
                    OutboxMessage message = (OutboxMessage)_inFlight[i];
                    if (message.PacketId == packetId)
                    {
                        _inFlight.RemoveAt(i);
                        done = message;
                        if (MqttPublishReasons.IsRefusal(reasonCode))
                        {
                            _counters.RefusedByBroker++;
                        }
                        else
                        {
                            _counters.Acknowledged++;
                        }

                        break;
                    }
                }
            }

            if (done == null)
            {
                return;
            }

            if (reasonCode >= 0x80)
            {
                _log.Write(LogLevel.Warning, LogSource, "the broker refused a message (reason " + reasonCode.ToString() + ", " + done.Topic.Length.ToString() + "-char topic); not retried");
            }

            _workSignal.Set();
            Notify(done, reasonCode >= 0x80 ? DeliveryOutcome.Refused : DeliveryOutcome.Acknowledged, reasonCode);
        }

        /// <summary>Wakes whoever waits on <see cref="WorkSignal"/>.</summary>
        public void Wake()
        {
            _workSignal.Set();
        }

        internal void SetNotifier(IDeliveryNotifier notifier)
        {
            lock (_gate)
            {
                _notifier = notifier;
            }
        }

        private PublishStatus PublishQos0(string topic, byte[] payload, bool retain, ArrayList properties)
        {
            if (_transport == null)
            {
                _counters.NotConnected++;
                return PublishStatus.NotConnected;
            }

            if (!_bucket.TryTake())
            {
                _counters.RateLimited++;
                return PublishStatus.RateLimited;
            }

            if (_transport.Publish(topic, payload, 0, retain, properties) < 0)
            {
                _counters.NotConnected++;
                return PublishStatus.NotConnected;
            }

            _counters.Sent++;
            return PublishStatus.Sent;
        }

        private PublishStatus PublishQos1(OutboxMessage message, out ArrayList dropped)
        {
            dropped = null;
            if (_transport == null)
            {
                // Summed here rather than tracked: only this offline path needs it, and the queue is short.
                int budget = _options.OfflineQueueBytes > 0 ? _options.OfflineQueueBytes : int.MaxValue;
                int bytes = QueuedBytes();
                bool rejectNew = _options.OfflineDropPolicy == OfflineDropPolicy.RejectNew || message.Payload.Length > budget;
                while (_queue.Count >= _options.OfflineQueueLength || message.Payload.Length > budget - bytes)
                {
                    if (rejectNew || _queue.Count == 0)
                    {
                        _counters.Rejected++;
                        return PublishStatus.QueueFull;
                    }

                    OutboxMessage oldest = (OutboxMessage)_queue[0];
                    _queue.RemoveAt(0);
                    bytes -= oldest.Payload.Length;
                    _counters.Dropped++;
                    if (dropped == null)
                    {
                        dropped = new ArrayList();
                    }

                    dropped.Add(oldest);
                }

                _queue.Add(message);
                _counters.Queued++;
                return PublishStatus.Queued;
            }

            if (_inFlight.Count + _queue.Count >= _options.InFlightWindow)
            {
                _counters.InFlightFull++;
                return PublishStatus.InFlightFull;
            }

            // Straight out only when nothing older waits (order) and the rate allows; otherwise the pump paces it.
            if (_queue.Count == 0 && _bucket.TryTake() && Send(message))
            {
                return PublishStatus.Sent;
            }

            _queue.Add(message);
            _counters.Queued++;
            _workSignal.Set();
            return PublishStatus.Queued;
        }

        // Under _gate.
        private int QueuedBytes()
        {
            int bytes = 0;
            for (int i = 0; i < _queue.Count; i++)
            {
                bytes += ((OutboxMessage)_queue[i]).Payload.Length;
            }

            return bytes;
        }

        private string QueueLimits()
        {
            return _options.OfflineQueueLength.ToString() + " messages, " + (_options.OfflineQueueBytes > 0 ? _options.OfflineQueueBytes.ToString() + " B" : "no byte limit");
        }

        // Under _gate. Hands one QoS 1 message to the transport and records it in flight.
        private bool Send(OutboxMessage message)
        {
            int packetId = _transport.Publish(message.Topic, message.Payload, 1, message.Retain, message.UserProperties);
            if (packetId <= 0)
            {
                return false;
            }

            message.PacketId = packetId;
            if (message.SendCount == 0)
            {
                _counters.Sent++;
            }
            else
            {
                _counters.Retried++;
            }

            message.SendCount++;
            _inFlight.Add(message);
            return true;
        }

        private void Notify(OutboxMessage message, DeliveryOutcome outcome, int reasonCode)
        {
            if (message.Delivered == null)
            {
                return;
            }

            IDeliveryNotifier notifier;
            lock (_gate)
            {
                notifier = _notifier;
            }

            if (notifier != null)
            {
                notifier.Notify(message.Delivered, message.Token, outcome, reasonCode);
                return;
            }

            try
            {
                message.Delivered(message.Token, outcome, reasonCode);
            }
            catch (Exception e)
            {
                _log.Write(LogLevel.Error, LogSource, "a delivery handler threw " + e.GetType().Name + ": " + e.Message);
            }
        }
    }
}
