using System;
using System.Collections;
using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// The session's single worker thread. Transport callbacks only enqueue here; this thread runs every
    /// <see cref="IMessageHandler.Handle"/>, every delivery notification and every status event, one at a time,
    /// so components never need locks against each other. Incoming messages are bounded by count
    /// (<see cref="SessionOptions.InboundQueueLength"/>) and by bytes (<see cref="SessionOptions.InboundQueueBytes"/>,
    /// derived from the board profile): when full the NEWEST is dropped and counted (the broker must not be able to
    /// grow our heap). A message larger than <see cref="SessionOptions.MaxPayloadBytes"/> is refused on its length
    /// alone, before it is queued; the worker logs why. Notifications and status events are never dropped (they are
    /// bounded by the outbox). A handler's exception is caught and logged; the worker carries on.
    /// </summary>
    internal sealed class MessageDispatcher : IDeliveryNotifier
    {
        private const string LogSource = "dispatch";

        private readonly object _gate = new object();
        private readonly ArrayList _items = new ArrayList();
        private readonly AutoResetEvent _signal = new AutoResetEvent(false);
        private readonly ILog _log;
        private readonly int _capacity;
        private readonly int _capacityBytes;
        private readonly int _maxMessageBytes;
        private readonly HandlerRegistry _registry;
        private Thread _thread;
        private bool _stopping;
        private int _queuedMessages;
        private int _queuedBytes;
        private long _oversize;
        private long _oversizeReported;
        private int _lastOversizeBytes;
        private long _received;
        private long _dropped;
        private long _discarded;
        private long _droppedReported;

        internal MessageDispatcher(int capacity, ILog log)
            : this(capacity, int.MaxValue, int.MaxValue, log)
        {
        }

        /// <param name="capacity">Messages queued at most.</param>
        /// <param name="capacityBytes">Payload bytes queued at most.</param>
        /// <param name="maxMessageBytes">Largest payload accepted; larger ones are refused on their length.</param>
        /// <param name="log">Log.</param>
        internal MessageDispatcher(int capacity, int capacityBytes, int maxMessageBytes, ILog log)
        {
            _capacity = capacity < 1 ? 1 : capacity;
            _capacityBytes = capacityBytes < 1 ? 1 : capacityBytes;
            _maxMessageBytes = maxMessageBytes < 1 ? 1 : maxMessageBytes;
            _log = log;
            _registry = new HandlerRegistry(log, LogSource);
        }

        /// <summary>True when a payload of <paramref name="length"/> bytes would be refused for its size alone.</summary>
        internal bool IsOversize(int length)
        {
            return length > _maxMessageBytes;
        }

        internal long Oversize
        {
            get { lock (_gate) { return _oversize; } }
        }

        internal long Received
        {
            get { lock (_gate) { return _received; } }
        }

        /// <summary>Messages dropped: queue full, or refused for their size (<see cref="Oversize"/>).</summary>
        internal long Dropped
        {
            get { lock (_gate) { return _dropped + _oversize; } }
        }

        internal long Discarded
        {
            get { lock (_gate) { return _discarded; } }
        }

        internal long HandlerErrors
        {
            get { return _registry.HandlerErrors; }
        }

        internal long Unhandled
        {
            get { return _registry.Unhandled; }
        }

        internal bool IsRunning
        {
            get
            {
                Thread t = _thread;
                return t != null && t.IsAlive;
            }
        }

        internal void AddHandler(IMessageHandler handler)
        {
            _registry.AddHandler(handler);
        }

        internal IMessageHandler[] Handlers
        {
            get { return _registry.Handlers; }
        }

        internal void AddStatusHandler(ConnectionStatusChangedHandler handler)
        {
            _registry.AddStatusHandler(handler);
        }

        internal void RemoveStatusHandler(ConnectionStatusChangedHandler handler)
        {
            _registry.RemoveStatusHandler(handler);
        }

        /// <summary>
        /// Called on transport threads: only enqueues. False when the message was dropped: larger than the largest
        /// accepted payload (decided on the length, before anything is queued), or the queue is full by count or bytes.
        /// </summary>
        internal bool EnqueueMessage(string topic, byte[] payload)
        {
            int length = payload == null ? 0 : payload.Length;
            lock (_gate)
            {
                _received++;
                if (length > _maxMessageBytes)
                {
                    _oversize++;
                    _lastOversizeBytes = length;
                    return false;
                }

                if (_queuedMessages >= _capacity || length > _capacityBytes - _queuedBytes)
                {
                    _dropped++;
                    return false;
                }

                _items.Add(new InboundItem(topic, payload));
                _queuedMessages++;
                _queuedBytes += length;
            }

            _signal.Set();
            return true;
        }

        /// <inheritdoc />
        public void Notify(DeliveryHandler handler, object token, DeliveryOutcome outcome, int reasonCode)
        {
            lock (_gate)
            {
                _items.Add(new DeliveryItem(handler, token, outcome, reasonCode));
            }

            _signal.Set();
        }

        internal void PostStatus(ConnectionStatus status, string reason)
        {
            lock (_gate)
            {
                _items.Add(new StatusItem(status, reason));
            }

            _signal.Set();
        }

        internal void Start()
        {
            lock (_gate)
            {
                _stopping = false;
            }

            _thread = new Thread(Run);
            _thread.Start();
        }

        /// <summary>How long <see cref="Stop"/> waits for the worker (a handler that blocks longer is logged).</summary>
        internal const int StopTimeoutMs = 30000;

        /// <summary>Stops after the item being processed; messages still queued are discarded, counted and logged.</summary>
        internal void Stop()
        {
            lock (_gate)
            {
                _stopping = true;
            }

            _signal.Set();
            Thread t = _thread;

            // Stop called from a handler runs on the worker itself: it ends when the handler returns.
            if (t != null && t != Thread.CurrentThread && !t.Join(StopTimeoutMs))
            {
                _log.Write(LogLevel.Warning, "session", "a handler did not return within " + StopTimeoutMs.ToString() + " ms of Stop");
            }

            _thread = null;
            int discarded;
            lock (_gate)
            {
                discarded = _queuedMessages;
                _discarded += discarded;
                _items.Clear();
                _queuedMessages = 0;
                _queuedBytes = 0;
            }

            if (discarded > 0)
            {
                // QoS 1 messages from the broker were already acknowledged by the client library: say they are gone.
                _log.Write(LogLevel.Warning, "session", "stop discarded " + discarded.ToString() + " incoming message(s) not yet handled");
            }
        }

        /// <summary>Raises a status event on the calling thread (used for the final Stopped after the worker ended).</summary>
        internal void RaiseStatusNow(ConnectionStatus status, string reason)
        {
            _registry.RaiseStatus(status, reason);
        }

        private void Run()
        {
            while (true)
            {
                object item = null;
                long newDrops = 0;
                long newOversize = 0;
                int lastOversize = 0;
                lock (_gate)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    if (_items.Count > 0)
                    {
                        item = _items[0];
                        _items.RemoveAt(0);
                        InboundItem taken = item as InboundItem;
                        if (taken != null)
                        {
                            _queuedMessages--;
                            _queuedBytes -= taken.Payload == null ? 0 : taken.Payload.Length;
                        }
                    }

                    if (_oversize != _oversizeReported)
                    {
                        newOversize = _oversize - _oversizeReported;
                        _oversizeReported = _oversize;
                        lastOversize = _lastOversizeBytes;
                    }

                    if (_dropped != _droppedReported)
                    {
                        newDrops = _dropped - _droppedReported;
                        _droppedReported = _dropped;
                    }
                }

                // Logged here, not on the transport thread that dropped them.
                if (newOversize > 0)
                {
                    _log.Write(LogLevel.Warning, LogSource, "refused " + newOversize.ToString() + " incoming message(s) larger than limits.maxPayloadBytes (" + _maxMessageBytes.ToString() + " B; last " + lastOversize.ToString() + " B) before queueing them");
                }

                if (newDrops > 0)
                {
                    _log.Write(LogLevel.Warning, LogSource, "incoming queue full (" + _capacity.ToString() + " messages, " + _capacityBytes.ToString() + " B): dropped " + newDrops.ToString() + " newest message(s)");
                }

                if (item == null)
                {
                    _signal.WaitOne(1000, false);
                    continue;
                }

                InboundItem inbound = item as InboundItem;
                if (inbound != null)
                {
                    _registry.Dispatch(inbound.Topic, inbound.Payload);
                    continue;
                }

                DeliveryItem delivery = item as DeliveryItem;
                if (delivery != null)
                {
                    _registry.Deliver(delivery.Handler, delivery.Token, delivery.Outcome, delivery.ReasonCode);
                    continue;
                }

                StatusItem status = (StatusItem)item;
                _registry.RaiseStatus(status.Status, status.Reason);
            }
        }
    }
}
