using System;
using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Time
{
    /// <summary>
    /// The platform's NTP service (aliyun-protocol.md §3.13): publishes <c>{"deviceSendTime":"&lt;monotonic ms&gt;"}</c>
    /// with QoS 0 to <c>/ext/ntp/{pk}/{dn}/request</c>, and on <c>…/response</c> computes
    /// <c>utc = (serverRecvTime + serverSendTime + deviceRecvTime − deviceSendTime) / 2</c>.
    /// Only answers to requests this instance sent (and has not seen answered) are used; malformed answers,
    /// replays and answers that took longer than <see cref="MaxRoundTripMs"/> are refused and logged.
    /// </summary>
    public sealed class NtpSync : IMessageHandler
    {
        /// <summary>Answers slower than this are refused: the midpoint estimate would be off by up to half of it.</summary>
        public const int DefaultMaxRoundTripMs = 10000;

        private const int MaxPayloadBytes = 512;
        private const int MaxOutstanding = 4;
        private const string Source = "ntp";

        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly long[] _outstanding = new long[MaxOutstanding];
        private readonly object _gate = new object();
        private int _outstandingCount;
        private bool _synchronized;
        private long _offsetMs;
        private long _lastSyncMonotonicMs;

        /// <summary>Creates the component; add it to the session with <c>AddHandler</c>.</summary>
        public NtpSync(DeviceTopics topics, IPublisher publisher, IClock clock, ILog log)
        {
            if (topics == null || publisher == null || clock == null || log == null)
            {
                throw new ArgumentNullException("topics, publisher, clock and log are required");
            }

            _topics = topics;
            _publisher = publisher;
            _clock = clock;
            _log = log;
            MaxRoundTripMs = DefaultMaxRoundTripMs;
        }

        /// <summary>Raised (on the session's worker thread) after every accepted answer.</summary>
        public event TimeSyncedHandler Synchronized;

        /// <summary>Longest accepted round trip in ms (default <see cref="DefaultMaxRoundTripMs"/>).</summary>
        public int MaxRoundTripMs { get; set; }

        /// <summary>True once an answer has been accepted.</summary>
        public bool IsSynchronized
        {
            get
            {
                lock (_gate)
                {
                    return _synchronized;
                }
            }
        }

        /// <summary>UTC ms minus monotonic ms from the last accepted answer (0 before the first).</summary>
        public long OffsetMs
        {
            get
            {
                lock (_gate)
                {
                    return _offsetMs;
                }
            }
        }

        /// <summary>Monotonic ms of the last accepted answer, -1 before the first.</summary>
        public long LastSyncMonotonicMs
        {
            get
            {
                lock (_gate)
                {
                    return _synchronized ? _lastSyncMonotonicMs : -1;
                }
            }
        }

        /// <summary>Corrected UTC ms now, or -1 when not yet synchronized.</summary>
        public long UtcNowMs
        {
            get
            {
                lock (_gate)
                {
                    return _synchronized ? _clock.MonotonicMs + _offsetMs : -1;
                }
            }
        }

        /// <summary>Corrected UTC now when synchronized, otherwise the clock's own UTC.</summary>
        public DateTime UtcNow
        {
            get
            {
                long utcMs = UtcNowMs;
                return utcMs < 0 ? _clock.UtcNow : DateTime.UnixEpoch.AddTicks(utcMs * TimeSpan.TicksPerMillisecond);
            }
        }

        /// <summary>The four-timestamp formula: <c>(serverRecv + serverSend + deviceRecv − deviceSend) / 2</c>.</summary>
        public static long ComputeUtcMs(long deviceSendMs, long serverRecvMs, long serverSendMs, long deviceRecvMs)
        {
            return (serverRecvMs + serverSendMs + deviceRecvMs - deviceSendMs) / 2;
        }

        /// <summary>Publishes one request (QoS 0) stamped with the monotonic clock.</summary>
        /// <returns>What the publisher did; a request that was not sent is not expected back.</returns>
        public PublishStatus Request()
        {
            long sendMs = _clock.MonotonicMs;
            byte[] payload = Encoding.UTF8.GetBytes("{\"deviceSendTime\":\"" + sendMs.ToString() + "\"}");
            lock (_gate)
            {
                Remember(sendMs);
            }

            PublishStatus status = _publisher.Publish(_topics.NtpRequest, payload, 0);
            if (status != PublishStatus.Sent)
            {
                lock (_gate)
                {
                    Forget(sendMs);
                }
            }

            return status;
        }

        /// <inheritdoc />
        public void AddSubscriptions(ArrayList topics)
        {
            topics.Add(_topics.NtpResponse);
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            if (topic != _topics.NtpResponse)
            {
                return false;
            }

            long deviceRecvMs = _clock.MonotonicMs;
            if (payload == null || payload.Length > MaxPayloadBytes)
            {
                Refuse("answer missing or larger than " + MaxPayloadBytes.ToString() + " bytes");
                return true;
            }

            string guard = JsonGuard.Check(payload, 0, payload.Length, MaxPayloadBytes, 2);
            if (guard != null)
            {
                Refuse("malformed answer: " + guard);
                return true;
            }

            string problem;
            Hashtable answer = JsonTree.Parse(payload, 0, payload.Length, 2, out problem) as Hashtable;

            long deviceSendMs;
            long serverRecvMs;
            long serverSendMs;
            if (answer == null
                || !ReadMs(answer, "deviceSendTime", out deviceSendMs)
                || !ReadMs(answer, "serverRecvTime", out serverRecvMs)
                || !ReadMs(answer, "serverSendTime", out serverSendMs))
            {
                Refuse("malformed answer: deviceSendTime, serverRecvTime and serverSendTime must be decimal ms");
                return true;
            }

            if (serverSendMs < serverRecvMs)
            {
                Refuse("server send time precedes its receive time");
                return true;
            }

            long utcMs;
            long offsetMs;
            lock (_gate)
            {
                if (!Forget(deviceSendMs))
                {
                    Refuse("answer to a request this device did not send (or already answered)");
                    return true;
                }

                long roundTrip = deviceRecvMs - deviceSendMs;
                if (roundTrip < 0 || roundTrip > MaxRoundTripMs)
                {
                    Refuse("round trip of " + roundTrip.ToString() + " ms is outside 0.." + MaxRoundTripMs.ToString());
                    return true;
                }

                utcMs = ComputeUtcMs(deviceSendMs, serverRecvMs, serverSendMs, deviceRecvMs);
                offsetMs = utcMs - deviceRecvMs;
                _offsetMs = offsetMs;
                _lastSyncMonotonicMs = deviceRecvMs;
                _synchronized = true;
            }

            _log.Write(LogLevel.Info, Source, "time synchronized: utc ms " + utcMs.ToString() + ", round trip " + (deviceRecvMs - deviceSendMs).ToString() + " ms");
            TimeSyncedHandler handler = Synchronized;
            if (handler != null)
            {
                handler(utcMs, offsetMs);
            }

            return true;
        }

        private void Refuse(string why)
        {
            _log.Write(LogLevel.Warning, Source, "NTP answer refused: " + why);
        }

        // Keeps the newest few request stamps; the oldest is forgotten when full.
        private void Remember(long sendMs)
        {
            if (_outstandingCount == MaxOutstanding)
            {
                Array.Copy(_outstanding, 1, _outstanding, 0, MaxOutstanding - 1);
                _outstandingCount--;
            }

            _outstanding[_outstandingCount++] = sendMs;
        }

        private bool Forget(long sendMs)
        {
            for (int i = 0; i < _outstandingCount; i++)
            {
                if (_outstanding[i] == sendMs)
                {
                    Array.Copy(_outstanding, i + 1, _outstanding, i, _outstandingCount - i - 1);
                    _outstandingCount--;
                    return true;
                }
            }

            return false;
        }

        // The platform sends decimal strings; a plain JSON integer is accepted too.
        private static bool ReadMs(Hashtable answer, string name, out long value)
        {
            return JsonValues.TryReadWholeNumber(answer[name], out value);
        }
    }
}
