using System;
using System.Collections;
using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Reboots the device when a thread that promised to check in regularly stops doing so (a hang in a driver, a
    /// deadlock, a loop that never yields). The ESP32 has no managed hardware-watchdog API (notes §A.10): the CLR
    /// feeds the native one itself, so a managed deadlock would otherwise stay hung forever.
    /// </summary>
    /// <remarks>
    /// Each watched activity registers with its own allowance and calls <see cref="Beat"/> with its handle. A
    /// <see cref="Timer"/> checks all of them every few seconds; the timer runs on a system thread, so it keeps
    /// working while the application's threads are stuck.
    /// </remarks>
    public sealed class SoftwareWatchdog : IDisposable
    {
        private readonly object _sync = new object();
        private readonly ArrayList _watched = new ArrayList();
        private readonly IRestart _restart;
        private readonly ILog _log;
        private Timer _timer;
        private bool _firing;

        /// <summary>Creates a watchdog that checks every <paramref name="checkIntervalMs"/>.</summary>
        public SoftwareWatchdog(IRestart restart, ILog log, int checkIntervalMs)
        {
            _restart = restart;
            _log = log;
            _timer = new Timer(Check, null, checkIntervalMs, checkIntervalMs);
        }

        /// <summary>Starts watching an activity.</summary>
        /// <param name="name">Shown in the log when it stalls.</param>
        /// <param name="allowanceMs">Longest time allowed between two beats.</param>
        /// <returns>The handle to pass to <see cref="Beat"/>.</returns>
        public int Register(string name, int allowanceMs)
        {
            lock (_sync)
            {
                WatchedActivity activity = new WatchedActivity(name, allowanceMs, Environment.TickCount64);
                _watched.Add(activity);
                return _watched.Count - 1;
            }
        }

        /// <summary>Reports that the activity is alive.</summary>
        public void Beat(int handle)
        {
            lock (_sync)
            {
                if (handle >= 0 && handle < _watched.Count)
                {
                    ((WatchedActivity)_watched[handle]).LastBeat = Environment.TickCount64;
                }
            }
        }

        /// <summary>Suspends or resumes watching an activity (for example during a long, legitimate flash erase).</summary>
        public void SetPaused(int handle, bool paused)
        {
            lock (_sync)
            {
                if (handle >= 0 && handle < _watched.Count)
                {
                    WatchedActivity activity = (WatchedActivity)_watched[handle];
                    activity.Paused = paused;
                    activity.LastBeat = Environment.TickCount64;
                }
            }
        }

        /// <summary>Stops the watchdog.</summary>
        public void Dispose()
        {
            Timer timer = _timer;
            _timer = null;
            if (timer != null)
            {
                timer.Dispose();
            }
        }

        private void Check(object state)
        {
            string stalled = null;
            long now = Environment.TickCount64;
            lock (_sync)
            {
                if (_firing)
                {
                    return;
                }

                for (int i = 0; i < _watched.Count; i++)
                {
                    WatchedActivity activity = (WatchedActivity)_watched[i];
                    if (!activity.Paused && now - activity.LastBeat > activity.AllowanceMs)
                    {
                        stalled = activity.Name + " silent for " + (now - activity.LastBeat).ToString() + " ms";
                        _firing = true;
                        break;
                    }
                }
            }

            if (stalled != null)
            {
                try
                {
                    _log.Write(LogLevel.Error, "watchdog", stalled + ".");
                }
                catch (Exception)
                {
                    // The log itself may be what hangs; reboot regardless.
                }

                _restart.Restart("watchdog: " + stalled);
            }
        }
    }
}
