using System;
using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// The subscriptions of one session: after every CONNACK it sends SUBSCRIBE for every topic of every registered
    /// handler (in registration order, without duplicates, <see cref="SessionOptions.TopicsPerSubscribe"/> per
    /// packet), matches the SUBACKs, and reports a SUBACK not seen within 2× <see cref="SessionOptions.RequestTimeoutMs"/>
    /// and every topic the server refuses. Used by <see cref="SessionSupervisor"/> on its own thread; the counters
    /// are read from any thread.
    /// </summary>
    internal sealed class SubscriptionTracker
    {
        private const string LogSource = "session";

        private readonly SessionOptions _options;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly object _gate = new object();
        private readonly ArrayList _pending = new ArrayList();
        private long _timeouts;
        private long _refused;

        internal SubscriptionTracker(SessionOptions options, IClock clock, ILog log)
        {
            _options = options;
            _clock = clock;
            _log = log;
        }

        /// <summary>SUBSCRIBE packets whose SUBACK did not come in time (total).</summary>
        internal long Timeouts
        {
            get { lock (_gate) { return _timeouts; } }
        }

        /// <summary>Topics the server refused (total).</summary>
        internal long Refused
        {
            get { lock (_gate) { return _refused; } }
        }

        /// <summary>Forgets the SUBSCRIBEs of the previous connection (a new one starts).</summary>
        internal void Clear()
        {
            lock (_gate)
            {
                _pending.Clear();
            }
        }

        /// <summary>Subscribes every topic of <paramref name="handlers"/> on <paramref name="transport"/>.</summary>
        internal void SubscribeAll(IMqttTransport transport, IMessageHandler[] handlers)
        {
            ArrayList topics = CollectTopics(handlers);
            int perPacket = _options.TopicsPerSubscribe < 1 ? 1 : _options.TopicsPerSubscribe;
            long deadline = _clock.MonotonicMs + 2L * _options.RequestTimeoutMs;
            for (int start = 0; start < topics.Count; start += perPacket)
            {
                int count = topics.Count - start < perPacket ? topics.Count - start : perPacket;
                string[] batch = new string[count];
                int[] qos = new int[count];
                for (int k = 0; k < count; k++)
                {
                    batch[k] = (string)topics[start + k];
                    qos[k] = 1;
                }

                // No lock here: the transport may call back (SUBACK) from its own thread at once.
                int packetId = transport.Subscribe(batch, qos);
                if (packetId <= 0)
                {
                    _log.Write(LogLevel.Warning, LogSource, "could not send SUBSCRIBE for " + count.ToString() + " topic(s) starting with " + batch[0]);
                    continue;
                }

                lock (_gate)
                {
                    _pending.Add(new PendingSubscribe(packetId, batch, deadline));
                }
            }

            if (topics.Count > 0)
            {
                _log.Write(LogLevel.Debug, LogSource, "subscribing " + topics.Count.ToString() + " topic(s)");
            }
        }

        /// <summary>A SUBACK arrived: reports the refused topics of its SUBSCRIBE.</summary>
        internal void OnSubscribed(int packetId, int[] grantedQos)
        {
            PendingSubscribe pending = null;
            lock (_gate)
            {
                for (int i = 0; i < _pending.Count; i++)
                {
                    PendingSubscribe p = (PendingSubscribe)_pending[i];
                    if (p.PacketId == packetId)
                    {
                        pending = p;
                        _pending.RemoveAt(i);
                        break;
                    }
                }
            }

            if (pending == null)
            {
                return;
            }

            for (int i = 0; i < pending.Topics.Length; i++)
            {
                int granted = i < grantedQos.Length ? grantedQos[i] : 0x80;
                if (granted >= 0x80)
                {
                    lock (_gate)
                    {
                        _refused++;
                    }

                    _log.Write(LogLevel.Warning, LogSource, "the server refused the subscription to " + pending.Topics[i] + " (code " + granted.ToString() + ")");
                }
            }
        }

        /// <summary>Reports SUBSCRIBEs past their deadline.</summary>
        /// <returns>Milliseconds until the next deadline; -1 when none is pending.</returns>
        internal int CheckDeadlines(long now)
        {
            long next = -1;
            ArrayList expired = null;
            lock (_gate)
            {
                for (int i = _pending.Count - 1; i >= 0; i--)
                {
                    PendingSubscribe p = (PendingSubscribe)_pending[i];
                    if (p.DeadlineMs <= now)
                    {
                        _pending.RemoveAt(i);
                        _timeouts++;
                        if (expired == null)
                        {
                            expired = new ArrayList();
                        }

                        expired.Add(p);
                    }
                    else if (next < 0 || p.DeadlineMs - now < next)
                    {
                        next = p.DeadlineMs - now;
                    }
                }
            }

            if (expired != null)
            {
                for (int i = 0; i < expired.Count; i++)
                {
                    PendingSubscribe p = (PendingSubscribe)expired[i];
                    _log.Write(LogLevel.Warning, LogSource, "no SUBACK within " + (2 * _options.RequestTimeoutMs).ToString() + " ms for " + p.Topics.Length.ToString() + " topic(s) starting with " + p.Topics[0]);
                }
            }

            return next > int.MaxValue ? int.MaxValue : (int)next;
        }

        private ArrayList CollectTopics(IMessageHandler[] handlers)
        {
            ArrayList topics = new ArrayList();
            for (int i = 0; i < handlers.Length; i++)
            {
                ArrayList own = new ArrayList();
                try
                {
                    handlers[i].AddSubscriptions(own);
                }
                catch (Exception e)
                {
                    _log.Write(LogLevel.Error, LogSource, handlers[i].GetType().Name + ".AddSubscriptions threw " + e.GetType().Name + ": " + e.Message);
                }

                for (int j = 0; j < own.Count; j++)
                {
                    string topic = own[j] as string;
                    if (topic != null && topic.Length > 0 && !topics.Contains(topic))
                    {
                        topics.Add(topic);
                    }
                }
            }

            return topics;
        }

        private sealed class PendingSubscribe
        {
            internal PendingSubscribe(int packetId, string[] topics, long deadlineMs)
            {
                PacketId = packetId;
                Topics = topics;
                DeadlineMs = deadlineMs;
            }

            internal readonly int PacketId;
            internal readonly string[] Topics;
            internal readonly long DeadlineMs;
        }
    }
}
