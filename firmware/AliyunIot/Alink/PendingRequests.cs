using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.Alink
{
    /// <summary>
    /// Requests this device sent and is waiting on a reply for. A reply completes a request only when both its id
    /// AND the topic it arrived on match (a reply on another topic with a colliding id is not ours). Requests end
    /// with a clear <see cref="RequestOutcome"/>: replied, timed out (checked by <see cref="ExpireDue"/> against
    /// <see cref="IClock.MonotonicMs"/>), evicted when the bounded table is full, or cancelled. Thread-safe;
    /// callbacks run outside the lock, on the thread that completed the request.
    /// </summary>
    public sealed class PendingRequests
    {
        private readonly object _gate = new object();
        private readonly ArrayList _entries = new ArrayList();
        private readonly IClock _clock;
        private readonly int _capacity;
        private readonly int _timeoutMs;

        /// <summary>Creates the table.</summary>
        /// <param name="clock">Time source for timeouts.</param>
        /// <param name="capacity">Most requests tracked at once (at least 1).</param>
        /// <param name="timeoutMs">How long to wait for a reply (device.json limits.requestTimeoutMs).</param>
        public PendingRequests(IClock clock, int capacity, int timeoutMs)
        {
            _clock = clock;
            _capacity = capacity < 1 ? 1 : capacity;
            _timeoutMs = timeoutMs;
        }

        /// <summary>Requests currently waiting.</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _entries.Count;
                }
            }
        }

        /// <summary>Requests given up because the table was full, since start.</summary>
        public int EvictedCount { get; private set; }

        /// <summary>Requests that timed out, since start.</summary>
        public int TimedOutCount { get; private set; }

        /// <summary>Starts waiting for the reply to request <paramref name="id"/> on <paramref name="replyTopic"/>.</summary>
        /// <returns>false when the oldest request had to be evicted to make room (its callback has run).</returns>
        public bool Add(string id, string method, string replyTopic, RequestCompletedHandler callback)
        {
            Entry evicted = null;
            lock (_gate)
            {
                if (_entries.Count >= _capacity)
                {
                    evicted = (Entry)_entries[0];
                    _entries.RemoveAt(0);
                    EvictedCount++;
                }

                _entries.Add(new Entry(id, method, replyTopic, callback, _clock.MonotonicMs));
            }

            if (evicted != null)
            {
                Finish(evicted, RequestStatus.Evicted, 0, "no reply tracked: more than " + _capacity.ToString() + " requests pending", null);
                return false;
            }

            return true;
        }

        /// <summary>Completes the request matching the reply's id and <paramref name="topic"/>.</summary>
        /// <returns>true when a request matched.</returns>
        public bool Complete(string topic, AlinkReply reply)
        {
            Entry match = null;
            lock (_gate)
            {
                for (int i = 0; i < _entries.Count; i++)
                {
                    Entry entry = (Entry)_entries[i];
                    if (entry.Id == reply.Id && entry.ReplyTopic == topic)
                    {
                        match = entry;
                        _entries.RemoveAt(i);
                        break;
                    }
                }
            }

            if (match == null)
            {
                return false;
            }

            Finish(match, RequestStatus.Replied, reply.Code, reply.Message, reply.Data);
            return true;
        }

        /// <summary>Withdraws request <paramref name="id"/> (e.g. the publish was refused).</summary>
        /// <returns>true when it was pending.</returns>
        public bool Cancel(string id, string reason)
        {
            Entry match = null;
            lock (_gate)
            {
                for (int i = 0; i < _entries.Count; i++)
                {
                    Entry entry = (Entry)_entries[i];
                    if (entry.Id == id)
                    {
                        match = entry;
                        _entries.RemoveAt(i);
                        break;
                    }
                }
            }

            if (match == null)
            {
                return false;
            }

            Finish(match, RequestStatus.Cancelled, 0, reason, null);
            return true;
        }

        /// <summary>Ends every request older than the timeout.</summary>
        /// <returns>How many timed out.</returns>
        public int ExpireDue()
        {
            ArrayList expired = null;
            long now = _clock.MonotonicMs;
            lock (_gate)
            {
                for (int i = 0; i < _entries.Count; i++)
                {
                    Entry entry = (Entry)_entries[i];
                    if (now - entry.StartedMs >= _timeoutMs)
                    {
                        if (expired == null)
                        {
                            expired = new ArrayList();
                        }

                        expired.Add(entry);
                        _entries.RemoveAt(i);
                        i--;
                        TimedOutCount++;
                    }
                }
            }

            if (expired == null)
            {
                return 0;
            }

            for (int i = 0; i < expired.Count; i++)
            {
                Finish((Entry)expired[i], RequestStatus.TimedOut, 0, "no reply within " + _timeoutMs.ToString() + " ms", null);
            }

            return expired.Count;
        }

        private void Finish(Entry entry, RequestStatus status, int code, string message, object data)
        {
            if (entry.Callback != null)
            {
                entry.Callback(new RequestOutcome(entry.Id, entry.Method, entry.ReplyTopic, status, code, message, data, _clock.MonotonicMs - entry.StartedMs));
            }
        }

        private sealed class Entry
        {
            public Entry(string id, string method, string replyTopic, RequestCompletedHandler callback, long startedMs)
            {
                Id = id;
                Method = method;
                ReplyTopic = replyTopic;
                Callback = callback;
                StartedMs = startedMs;
            }

            public string Id;
            public string Method;
            public string ReplyTopic;
            public RequestCompletedHandler Callback;
            public long StartedMs;
        }
    }
}
