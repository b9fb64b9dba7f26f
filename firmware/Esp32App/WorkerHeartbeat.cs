using System.Collections;
using AliyunIot.Connection;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// The session worker's pulse for the <see cref="SoftwareWatchdog"/>: registered as the FIRST message handler, it
    /// beats for every message the worker dispatches and then lets the real handlers look (returns false). The
    /// application asks the platform for the time every few minutes while connected, so a live worker always has
    /// something to dispatch; while disconnected the watch is paused (no traffic is expected then).
    /// </summary>
    public sealed class WorkerHeartbeat : IMessageHandler
    {
        private readonly SoftwareWatchdog _watchdog;
        private readonly int _handle;

        /// <summary>Creates the heartbeat for watchdog entry <paramref name="handle"/>.</summary>
        public WorkerHeartbeat(SoftwareWatchdog watchdog, int handle)
        {
            _watchdog = watchdog;
            _handle = handle;
        }

        /// <summary>Beats (also called from status events, which run on the worker too).</summary>
        public void Beat()
        {
            _watchdog.Beat(_handle);
        }

        /// <inheritdoc />
        public void AddSubscriptions(ArrayList topics)
        {
            // Only observes; the components subscribe their own topics.
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            _watchdog.Beat(_handle);
            return false;
        }
    }
}
