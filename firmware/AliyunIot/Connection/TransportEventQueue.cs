using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// What the transports report, handed from their threads to the supervisor's: PUBACK/SUBACK events are queued
    /// and applied on the supervisor thread (<see cref="Apply"/>), a connection loss is recorded, incoming messages go
    /// straight to the worker's queue. Each connection attempt has a generation; reports from an older transport are
    /// ignored. Transport threads only record and signal here; they never block.
    /// </summary>
    internal sealed class TransportEventQueue
    {
        private readonly object _gate = new object();
        private readonly ArrayList _events = new ArrayList();
        private readonly Outbox _outbox;
        private readonly MessageDispatcher _dispatcher;
        private readonly SubscriptionTracker _subscriptions;
        private int _generation;
        private int _lostGeneration;
        private string _lostReason;
        private bool _lostByClient;

        internal TransportEventQueue(Outbox outbox, MessageDispatcher dispatcher, SubscriptionTracker subscriptions)
        {
            _outbox = outbox;
            _dispatcher = dispatcher;
            _subscriptions = subscriptions;
        }

        /// <summary>Starts a new connection attempt: its listener, whose reports count until the next attempt.</summary>
        internal IMqttTransportListener NextListener(out int generation)
        {
            lock (_gate)
            {
                generation = ++_generation;
                _events.Clear();
            }

            return new Listener(this, generation);
        }

        /// <summary>The loss reported for <paramref name="generation"/>, or null.</summary>
        /// <param name="generation">The connection's generation.</param>
        /// <param name="byClient">True when the client itself gave the connection up (no PUBACK after its retries).</param>
        internal string LossOf(int generation, out bool byClient)
        {
            lock (_gate)
            {
                byClient = _lostGeneration == generation && _lostByClient;
                return _lostGeneration == generation ? _lostReason : null;
            }
        }

        /// <summary>Applies the queued PUBACK/SUBACK events (supervisor thread).</summary>
        internal void Apply()
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
                }
                else
                {
                    _subscriptions.OnSubscribed(e.PacketId, e.GrantedQos);
                }
            }
        }

        private void OnEvent(int generation, TransportEvent e)
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

        private void OnLost(int generation, string reason, bool byClient)
        {
            lock (_gate)
            {
                if (generation != _generation || _lostGeneration == generation)
                {
                    return;
                }

                _lostGeneration = generation;
                _lostReason = reason == null ? "connection lost" : reason;
                _lostByClient = byClient;
            }

            _outbox.Wake();
        }

        private sealed class Listener : IMqttTransportListener
        {
            private readonly TransportEventQueue _owner;
            private readonly int _generation;

            internal Listener(TransportEventQueue owner, int generation)
            {
                _owner = owner;
                _generation = generation;
            }

            public void OnMessage(string topic, byte[] payload)
            {
                _owner._dispatcher.EnqueueMessage(topic, payload);
            }

            public void OnPublished(int packetId, int reasonCode)
            {
                if (reasonCode == MqttPublishReasons.NotAcknowledged)
                {
                    // Not a refusal: the broker never answered. The message stays in the outbox's flight list and
                    // goes back to the front of the queue when this connection is dropped.
                    _owner.OnLost(_generation, "no PUBACK after the client's retries (packet " + packetId.ToString() + "): connection presumed lost", true);
                    return;
                }

                _owner.OnEvent(_generation, new TransportEvent(packetId, reasonCode, null));
            }

            public void OnSubscribed(int packetId, int[] grantedQos)
            {
                _owner.OnEvent(_generation, new TransportEvent(packetId, 0, grantedQos == null ? new int[0] : grantedQos));
            }

            public void OnConnectionLost(string reason)
            {
                _owner.OnLost(_generation, reason, false);
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
    }
}
