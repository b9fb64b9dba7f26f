using System;
using AliyunIot.Ports;

namespace AliyunIot.LogPost
{
    /// <summary>
    /// The device's <see cref="ILog"/> with log post attached: every line goes to the inner log as before, and, when a
    /// <see cref="LogPoster"/> is attached, is offered to it (which keeps only what the cloud switched on, at its level,
    /// scrubbed, in a bounded buffer). Wrap the device's log with it at start-up and attach the poster once the session
    /// exists; components keep writing to an ILog and know nothing of log post. Never publishes on the caller's thread.
    /// </summary>
    public sealed class CloudLog : ILog
    {
        private readonly ILog _inner;
        private LogPoster _poster;

        /// <summary>Wraps <paramref name="inner"/> (the console or debug port log).</summary>
        public CloudLog(ILog inner)
        {
            if (inner == null)
            {
                throw new ArgumentNullException("inner");
            }

            _inner = inner;
        }

        /// <summary>The wrapped log (the poster writes its own diagnostics there only, so it never posts about posting).</summary>
        public ILog Inner
        {
            get { return _inner; }
        }

        /// <summary>The poster lines are offered to, or null (nothing leaves the device).</summary>
        public LogPoster Poster
        {
            get { return _poster; }
            set { _poster = value; }
        }

        /// <inheritdoc />
        public void Write(LogLevel level, string source, string message)
        {
            _inner.Write(level, source, message);
            LogPoster poster = _poster;
            if (poster != null)
            {
                poster.Capture(level, source, message);
            }
        }
    }
}
