using System;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Readings that could not be posted when taken (offline, or the outbox refused the post for now), kept in a
    /// bounded <see cref="ReadingBuffer"/> and delivered oldest first, with the times they were taken, as history
    /// posts (<see cref="HistoryPostWriter"/>) once connected. Shares the reporter's lock (<c>gate</c>): the buffer,
    /// the online flag and the reporter's request writer are guarded by it; <see cref="Drain"/> takes it only to
    /// write a post and to settle its readings, never while publishing, and lets one thread drain at a time so a
    /// reading is never sent twice.
    /// </summary>
    internal sealed class OfflineHistory
    {
        private const string Source = "thing";

        private readonly object _gate;
        private readonly ReadingBuffer _buffer;
        private readonly HistoryPostWriter _writer;
        private readonly AlinkIds _ids;
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly PostTracker _posts;
        private readonly ILog _log;
        private bool _online = true;
        private bool _draining;

        /// <summary>Creates the history.</summary>
        /// <param name="gate">The reporter's lock (also guards <paramref name="writer"/>'s request writer).</param>
        /// <param name="capacity">Readings kept at most.</param>
        /// <param name="writer">Writes history posts.</param>
        /// <param name="ids">Message ids.</param>
        /// <param name="topics">This device's topics.</param>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="posts">Tracks the history posts' replies.</param>
        /// <param name="log">Log.</param>
        internal OfflineHistory(object gate, int capacity, HistoryPostWriter writer, AlinkIds ids, DeviceTopics topics, IPublisher publisher, PostTracker posts, ILog log)
        {
            _gate = gate;
            _buffer = new ReadingBuffer(capacity);
            _writer = writer;
            _ids = ids;
            _topics = topics;
            _publisher = publisher;
            _posts = posts;
            _log = log;
        }

        /// <summary>Whether posts go out now (true) or straight into the buffer. Caller holds the gate.</summary>
        internal bool Online
        {
            get { return _online; }
            set { _online = value; }
        }

        /// <summary>Readings held. Caller holds the gate.</summary>
        internal int Count
        {
            get { return _buffer.Count; }
        }

        /// <summary>Readings lost (buffer full, or never fitting in a message), since start. Caller holds the gate.</summary>
        internal int Dropped
        {
            get { return _buffer.Dropped; }
        }

        /// <summary>Keeps a reading for a later history post; when full the oldest is dropped and logged. Caller holds the gate.</summary>
        internal void Keep(Reading reading)
        {
            Reading dropped = _buffer.Add(reading);
            if (dropped != null)
            {
                _log.Write(LogLevel.Warning, Source, "offline buffer full (" + _buffer.Capacity.ToString() + "): oldest reading dropped, " + _buffer.Dropped.ToString() + " dropped so far");
            }
        }

        /// <summary>
        /// Delivers the buffer oldest first as history posts while online. A post too large for maxPayloadBytes is
        /// halved until it fits; a single reading that never fits is dropped (counted). Readings leave the buffer
        /// only once the outbox took the post (Sent or Queued: from then on the outbox's at-least-once delivery
        /// holds them). Caller must not hold the gate; returns at once if another thread is draining.
        /// </summary>
        internal void Drain()
        {
            lock (_gate)
            {
                if (_draining)
                {
                    return;
                }

                _draining = true;
            }

            try
            {
                while (DeliverOne())
                {
                }
            }
            finally
            {
                lock (_gate)
                {
                    _draining = false;
                }
            }
        }

        // Writes, publishes and settles one history post; false when there is nothing (more) to send now.
        private bool DeliverOne()
        {
            string id;
            byte[] payload = null;
            int count;
            lock (_gate)
            {
                if (!_online || _buffer.Count == 0)
                {
                    return false;
                }

                count = _buffer.Count < HistoryPostWriter.MaxReadings ? _buffer.Count : HistoryPostWriter.MaxReadings;
                id = _ids.Next();
                while (payload == null)
                {
                    try
                    {
                        payload = _writer.Write(id, _buffer, count);
                    }
                    catch (InvalidOperationException)
                    {
                        if (count == 1)
                        {
                            _buffer.DropOldest();
                            _log.Write(LogLevel.Error, Source, "a buffered reading does not fit in one message and was dropped");
                            return true;
                        }

                        count = count / 2;
                    }
                }

                // Readings kept while the post is published go behind these; ones pushed out of a full buffer
                // meanwhile are settled with this post's fate.
                _buffer.MarkInFlight(count);
            }

            _posts.Track(id, HistoryPostWriter.Method, _topics.HistoryPostReply);
            PublishStatus status = _publisher.Publish(_topics.HistoryPost, payload, 1);
            bool taken = status == PublishStatus.Sent || status == PublishStatus.Queued;
            lock (_gate)
            {
                if (taken)
                {
                    _buffer.InFlightDelivered();
                }
                else
                {
                    _buffer.InFlightNotDelivered();
                }
            }

            if (!taken)
            {
                _posts.Pending.Cancel(id, "history post not sent now (status " + ((int)status).ToString() + ")");
                return false;
            }

            if (status == PublishStatus.Queued)
            {
                _posts.Pending.Cancel(id, "queued by the outbox while offline; the reply is not tracked");
            }

            _log.Write(LogLevel.Info, Source, "delivered " + count.ToString() + " buffered readings in history post " + id);
            return true;
        }
    }
}
