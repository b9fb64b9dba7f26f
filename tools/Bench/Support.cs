using System.Collections;
using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.Bench
{
    /// <summary>An IPublisher that keeps only the last payload (what the transport would be handed).</summary>
    public sealed class RecordingPublisher : IPublisher
    {
        /// <summary>Last payload published.</summary>
        public byte[] Last { get; private set; }

        /// <summary>Last topic published.</summary>
        public string LastTopic { get; private set; }

        /// <summary>Messages published.</summary>
        public long Count { get; private set; }

        /// <inheritdoc />
        public PublishStatus Publish(string topic, byte[] payload, int qos)
        {
            LastTopic = topic;
            Last = payload;
            Count++;
            return PublishStatus.Sent;
        }
    }

    /// <summary>An ILog that drops everything (logging cost is not what the micro benchmarks measure).</summary>
    public sealed class NullLog : ILog
    {
        /// <inheritdoc />
        public void Write(LogLevel level, string source, string message)
        {
        }
    }

    /// <summary>A clock the bench moves by hand (to expire pending post replies between measured batches).</summary>
    public sealed class BenchClock : IClock
    {
        private long _ms = 1_000_000;

        /// <inheritdoc />
        public DateTime UtcNow => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(_ms);

        /// <inheritdoc />
        public long MonotonicMs => _ms;

        /// <summary>Moves time forward.</summary>
        public void Advance(long ms) => _ms += ms;

        /// <inheritdoc />
        public bool Wait(WaitHandle wakeUp, int milliseconds) => wakeUp != null && wakeUp.WaitOne(0);
    }
}
