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
    /// <see cref="OnAcknowledged"/> from its supervisor thread. The lock is never held across the transport's
    /// publish (a TLS write can take seconds on a board): one QoS 1 message at a time is reserved under the lock,
    /// handed over outside it, and its outcome recorded under it again, which keeps the order of first sending.
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
        private readonly OutboxCounters _counters = new OutboxCounters();
        private readonly OutboxQueue _messages;
        private IMqttTransport _transport;

        // Changes on every Attach and Detach, so a send that returns after the connection changed is not recorded
        // as in flight on a connection that is gone.
        private int _connection;
        private readonly DeliveryReporter _delivery;

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
            _messages = new OutboxQueue(options, _counters);
            _delivery = new DeliveryReporter(log, LogSource);
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
                    c.InFlight = _messages.InFlightCount;
                    c.QueueLength = _messages.QueueCount;
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
                    return _messages.InFlightCount + _messages.QueueCount;
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
            PublishOptions.CheckArguments(topic, payload, qos, options);
            bool retain = options != null && options.Retain;
            ArrayList properties = options == null ? null : options.UserProperties;

            string warning = null;
            ArrayList dropped = null;
            PublishStatus status;
            OutboxMessage message = null;
            IMqttTransport transport = null;
            int connection = 0;
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
                    status = ReserveQos0();
                }
                else
                {
                    message = new OutboxMessage(topic, payload, retain, properties, options == null ? null : options.Token, options == null ? null : options.Delivered);
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

                transport = _transport;
                connection = _connection;
            }

            // The transport is called from here on, outside the lock.
            if (status == PublishStatus.Sent)
            {
                status = qos == 0 ? SendQos0(transport, topic, payload, retain, properties) : SendFirst(message, transport, connection);
            }

            if (warning != null)
            {
                _log.Write(LogLevel.Warning, LogSource, warning);
            }

            for (int i = 0; dropped != null && i < dropped.Count; i++)
            {
                _delivery.Dropped((OutboxMessage)dropped[i]);
            }

            return status;
        }

        /// <summary>Starts sending through <paramref name="transport"/> (just connected). Re-sends come first.</summary>
        public void Attach(IMqttTransport transport)
        {
            lock (_gate)
            {
                _transport = transport;
                _connection++;
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
                _connection++;
                _messages.RequeueInFlight();
            }
        }

        /// <summary>
        /// Sends queued messages while the window and the rate allow.
        /// </summary>
        /// <returns>Milliseconds until more can be sent by the rate limit; -1 when nothing more can be done until
        /// a PUBACK arrives, a message is published, a send under way on another thread ends (it sets
        /// <see cref="WorkSignal"/>) or a transport is attached.</returns>
        public int Pump()
        {
            while (true)
            {
                OutboxMessage message;
                IMqttTransport transport;
                int connection;
                lock (_gate)
                {
                    // When another thread's send is under way it sets WorkSignal as it ends.
                    int waitMs = -1;
                    message = _transport == null ? null : _messages.ReserveNext(_bucket, out waitMs);
                    if (message == null)
                    {
                        return waitMs;
                    }

                    transport = _transport;
                    connection = _connection;
                }

                if (!Send(message, transport, connection))
                {
                    // The transport refused: the connection is going away. The message stays where it is; the
                    // supervisor notices the loss, or retries shortly.
                    return 50;
                }
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

            OutboxMessage done;
            lock (_gate)
            {
                done = _messages.TakeAcknowledged(packetId, reasonCode);
            }

            if (done != null)
            {
                Finish(done, reasonCode);
            }
        }

        /// <summary>Wakes whoever waits on <see cref="WorkSignal"/>.</summary>
        public void Wake()
        {
            _workSignal.Set();
        }

        internal void SetNotifier(IDeliveryNotifier notifier)
        {
            _delivery.SetNotifier(notifier);
        }

        // Under _gate: the checks before a QoS 0 send; Sent means "go ahead" (SendQos0 makes it final).
        private PublishStatus ReserveQos0()
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

            return PublishStatus.Sent;
        }

        private PublishStatus SendQos0(IMqttTransport transport, string topic, byte[] payload, bool retain, ArrayList properties)
        {
            bool taken = transport.Publish(topic, payload, 0, retain, properties) >= 0;
            lock (_gate)
            {
                if (!taken)
                {
                    _counters.NotConnected++;
                    return PublishStatus.NotConnected;
                }

                _counters.Sent++;
                return PublishStatus.Sent;
            }
        }

        // Under _gate. Sent means the message is reserved to go straight out (SendFirst makes the answer final).
        private PublishStatus PublishQos1(OutboxMessage message, out ArrayList dropped)
        {
            dropped = null;
            if (_transport == null)
            {
                return _messages.AdmitOffline(message, out dropped) ? PublishStatus.Queued : PublishStatus.QueueFull;
            }

            PublishStatus status = _messages.AdmitConnected(message, _bucket);
            if (status == PublishStatus.Queued)
            {
                _workSignal.Set();
            }

            return status;
        }

        // The straight-out send of a new message; when the transport refuses it, it waits for the pump.
        private PublishStatus SendFirst(OutboxMessage message, IMqttTransport transport, int connection)
        {
            if (Send(message, transport, connection))
            {
                return PublishStatus.Sent;
            }

            lock (_gate)
            {
                _messages.CountQueued();
            }

            _workSignal.Set();
            return PublishStatus.Queued;
        }

        // Hands the reserved message (_messages.Sending) to the transport without the lock, then records the
        // outcome under it. The reservation is released even if the transport throws, or nothing would send again.
        private bool Send(OutboxMessage message, IMqttTransport transport, int connection)
        {
            int packetId = -1;
            OutboxMessage done = null;
            int reasonCode = 0;
            bool more = false;
            try
            {
                packetId = transport.Publish(message.Topic, message.Payload, 1, message.Retain, message.UserProperties);
            }
            catch (Exception ex)
            {
                // A client that throws on a dying socket has refused the message like one returning -1: it stays
                // queued for the resend, and the publisher is told Queued rather than an exception it would take
                // for "not sent" and publish again (a duplicate).
                _log.Write(LogLevel.Warning, LogSource, "transport refused a publish: " + ex.GetType().Name + ": " + ex.Message);
                packetId = -1;
            }
            finally
            {
                lock (_gate)
                {
                    done = _messages.RecordSent(message, packetId, connection == _connection, out reasonCode);
                    more = _messages.QueueCount > 0;
                }

                // Whoever waits to send the next one (the pump saw this send under way) may go on.
                if (more)
                {
                    _workSignal.Set();
                }
            }

            if (done != null)
            {
                Finish(done, reasonCode);
            }

            return packetId > 0;
        }

        // A message's PUBACK came: it is done. Frees a window slot for the pump, tells the publisher.
        private void Finish(OutboxMessage done, int reasonCode)
        {
            _workSignal.Set();
            _delivery.Answered(done, reasonCode);
        }

        private string QueueLimits()
        {
            return _options.OfflineQueueLength.ToString() + " messages, " + (_options.OfflineQueueBytes > 0 ? _options.OfflineQueueBytes.ToString() + " B" : "no byte limit");
        }
    }
}
