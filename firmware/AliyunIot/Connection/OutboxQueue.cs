using System.Collections;
using AliyunIot.Config;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// The outbox's QoS 1 messages and their order: the queue (waiting, oldest first, at most one of them being
    /// handed to a transport) and the messages in flight (sent, awaiting their PUBACK, in sending order). It decides
    /// what the window and the offline budgets admit and where a message goes when a connection is lost, and counts
    /// what happens to each message; the <see cref="Outbox"/> guards it with its lock and talks to the transport.
    /// </summary>
    internal sealed class OutboxQueue
    {
        private readonly SessionOptions _options;
        private readonly OutboxCounters _counters;
        private readonly ArrayList _inFlight = new ArrayList();
        private readonly ArrayList _queue = new ArrayList();

        // PUBACKs that matched nothing in flight while a send was under way: the broker can answer before the
        // transport's Publish has returned the packet id. Usually empty; cleared when that send is recorded.
        private readonly ArrayList _earlyAcks = new ArrayList();

        internal OutboxQueue(SessionOptions options, OutboxCounters counters)
        {
            _options = options;
            _counters = counters;
        }

        /// <summary>The queued message being handed to a transport (outside the lock), or null.</summary>
        internal OutboxMessage Sending;

        /// <summary>Messages waiting to be sent (including the one being sent).</summary>
        internal int QueueCount
        {
            get { return _queue.Count; }
        }

        /// <summary>Messages sent on the current connection and not yet acknowledged.</summary>
        internal int InFlightCount
        {
            get { return _inFlight.Count; }
        }

        /// <summary>
        /// Reserves the oldest waiting message for sending (it becomes <see cref="Sending"/>) when nothing else is
        /// being sent, one waits and the in-flight window has room; null otherwise.
        /// </summary>
        internal OutboxMessage ReserveNext(TokenBucket bucket, out int waitMs)
        {
            waitMs = -1;
            if (Sending != null || _queue.Count == 0 || _inFlight.Count >= _options.InFlightWindow)
            {
                return null;
            }

            if (!bucket.TryTake())
            {
                waitMs = bucket.MsUntilToken();
                return null;
            }

            Sending = (OutboxMessage)_queue[0];
            return Sending;
        }

        /// <summary>
        /// Admits a new message while connected: <see cref="PublishStatus.Sent"/> when it is reserved to go straight
        /// out (nothing older waits or is being sent, so order holds, and the rate allows),
        /// <see cref="PublishStatus.Queued"/> when the pump is to pace it, <see cref="PublishStatus.InFlightFull"/>
        /// when the caller already has a window's worth pending.
        /// </summary>
        internal PublishStatus AdmitConnected(OutboxMessage message, TokenBucket bucket)
        {
            if (_inFlight.Count + _queue.Count >= _options.InFlightWindow)
            {
                _counters.InFlightFull++;
                return PublishStatus.InFlightFull;
            }

            // A message going straight out waits in the queue meanwhile, so a Detach during the send leaves it in
            // its place for the re-send.
            _queue.Add(message);
            if (_queue.Count == 1 && Sending == null && bucket.TryTake())
            {
                Sending = message;
                return PublishStatus.Sent;
            }

            _counters.Queued++;
            return PublishStatus.Queued;
        }

        /// <summary>Counts a straight-out send the transport refused: the message waits in the queue instead.</summary>
        internal void CountQueued()
        {
            _counters.Queued++;
        }

        /// <summary>
        /// Admits a message while disconnected within the count and byte budgets, dropping as many of the oldest as
        /// <see cref="OfflineDropPolicy.DropOldest"/> needs (returned in <paramref name="dropped"/>); false when it is
        /// refused (policy RejectNew, or larger than the whole byte budget, which nothing queued is sacrificed for).
        /// </summary>
        internal bool AdmitOffline(OutboxMessage message, out ArrayList dropped)
        {
            dropped = null;
            SessionOptions options = _options;
            OutboxCounters counters = _counters;

            // Summed here rather than tracked: only this offline path needs it, and the queue is short.
            int budget = options.OfflineQueueBytes > 0 ? options.OfflineQueueBytes : int.MaxValue;
            int bytes = QueuedBytes();
            bool rejectNew = options.OfflineDropPolicy == OfflineDropPolicy.RejectNew || message.Payload.Length > budget;
            while (_queue.Count >= options.OfflineQueueLength || message.Payload.Length > budget - bytes)
            {
                if (rejectNew || _queue.Count == 0)
                {
                    counters.Rejected++;
                    return false;
                }

                OutboxMessage oldest = (OutboxMessage)_queue[0];
                _queue.RemoveAt(0);
                bytes -= oldest.Payload.Length;
                counters.Dropped++;
                if (dropped == null)
                {
                    dropped = new ArrayList();
                }

                dropped.Add(oldest);
            }

            _queue.Add(message);
            counters.Queued++;
            return true;
        }

        /// <summary>
        /// Records a send that the transport took (<paramref name="packetId"/> &gt; 0) on the connection still
        /// attached: the message leaves the queue and is in flight, unless its PUBACK already came (then it is
        /// returned, done). A message dropped meanwhile stays dropped; one whose connection went away stays queued
        /// where it is, behind the messages re-queued before it, to be re-sent in order.
        /// </summary>
        /// <returns>The message when it is already acknowledged (with <paramref name="reasonCode"/>), else null.</returns>
        internal OutboxMessage RecordSent(OutboxMessage message, int packetId, bool sameConnection, out int reasonCode)
        {
            Sending = null;
            if (packetId > 0)
            {
                if (message.SendCount == 0)
                {
                    _counters.Sent++;
                }
                else
                {
                    _counters.Retried++;
                }

                message.SendCount++;
            }

            reasonCode = 0;
            OutboxMessage done = null;
            int index = _queue.IndexOf(message);
            if (packetId > 0 && sameConnection && index >= 0)
            {
                _queue.RemoveAt(index);
                message.PacketId = packetId;
                int early = FindEarlyAck(packetId);
                if (early >= 0)
                {
                    reasonCode = ((int[])_earlyAcks[early])[1];
                    CountAcknowledged(reasonCode);
                    done = message;
                }
                else
                {
                    _inFlight.Add(message);
                }
            }

            _earlyAcks.Clear();
            return done;
        }

        /// <summary>
        /// Takes the message in flight with <paramref name="packetId"/>; null when none is (then, if a send is under
        /// way, the PUBACK is kept for it in case it is its own).
        /// </summary>
        internal OutboxMessage TakeAcknowledged(int packetId, int reasonCode)
        {
            for (int i = 0; i < _inFlight.Count; i++)
            {
                OutboxMessage message = (OutboxMessage)_inFlight[i];
                if (message.PacketId == packetId)
                {
                    _inFlight.RemoveAt(i);
                    CountAcknowledged(reasonCode);
                    return message;
                }
            }

            if (Sending != null)
            {
                _earlyAcks.Add(new int[] { packetId, reasonCode });
            }

            return null;
        }

        /// <summary>
        /// The connection is gone: messages in flight go back to the front of the queue, in order, ahead of the one
        /// being sent (sent after them) and of everything waiting.
        /// </summary>
        internal void RequeueInFlight()
        {
            for (int i = 0; i < _inFlight.Count; i++)
            {
                OutboxMessage message = (OutboxMessage)_inFlight[i];
                message.PacketId = 0;
                _queue.Insert(i, message);
            }

            _inFlight.Clear();
        }

        private void CountAcknowledged(int reasonCode)
        {
            if (MqttPublishReasons.IsRefusal(reasonCode))
            {
                _counters.RefusedByBroker++;
            }
            else
            {
                _counters.Acknowledged++;
            }
        }

        private int FindEarlyAck(int packetId)
        {
            for (int i = 0; i < _earlyAcks.Count; i++)
            {
                if (((int[])_earlyAcks[i])[0] == packetId)
                {
                    return i;
                }
            }

            return -1;
        }

        private int QueuedBytes()
        {
            int bytes = 0;
            for (int i = 0; i < _queue.Count; i++)
            {
                bytes += ((OutboxMessage)_queue[i]).Payload.Length;
            }

            return bytes;
        }
    }
}
