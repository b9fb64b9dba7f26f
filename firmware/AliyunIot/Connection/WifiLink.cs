using System;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Joins WiFi and keeps it joined without wearing the flash: decides, for each attempt, between a full join
    /// (<see cref="IWifiAdapter.Join"/>, which rewrites the WiFi configuration block in flash) and a reconnect with the
    /// stored configuration (<see cref="IWifiAdapter.Reconnect"/>, nothing written), and how long to pause after a
    /// failure. The rules:
    /// <list type="bullet">
    /// <item>No SSID configured (credentials deployed with <c>nanoff --networkdeployment</c>): always reconnect.</item>
    /// <item>After the first successful join of this boot: only reconnect. The stored configuration holds these
    /// credentials and the driver reconnects by itself; a full join would only rewrite the same block again, on every
    /// link loss, for the life of the board.</item>
    /// <item>Before it: when the stored configuration already names this SSID and password (the usual case from the
    /// second boot on), reconnect first; if that fails, fall back to full joins, since the driver may not be joining
    /// on its own.</item>
    /// </list>
    /// Pauses between failed attempts grow from 5 s to 60 s (equal jitter, so a fleet behind one access point does not
    /// rejoin in step), and start again after a success. Not thread-safe: one thread (the application's main loop)
    /// owns the link.
    /// </summary>
    public sealed class WifiLink
    {
        /// <summary>Ceiling of the first pause after a failed attempt.</summary>
        public const int FirstPauseMs = 5000;

        /// <summary>Largest pause between attempts.</summary>
        public const int MaxPauseMs = 60000;

        private const string Source = "wifi";

        private readonly IWifiAdapter _adapter;
        private readonly string _ssid;
        private readonly string _password;
        private readonly ILog _log;
        private readonly Backoff _backoff;
        private bool _joinedOnce;
        private bool _storedTried;

        /// <summary>Creates the link (nothing is called on the adapter yet).</summary>
        /// <param name="adapter">The board's WiFi station.</param>
        /// <param name="ssid">Network name from device.json, or null to use the configuration stored in the device.</param>
        /// <param name="password">Password (never logged), or null for an open network / stored configuration.</param>
        /// <param name="random">Jitter for the pauses.</param>
        /// <param name="log">Where progress goes.</param>
        public WifiLink(IWifiAdapter adapter, string ssid, string password, IRandom random, ILog log)
        {
            if (adapter == null || random == null || log == null)
            {
                throw new ArgumentNullException("adapter, random and log are required");
            }

            _adapter = adapter;
            _ssid = ssid;
            _password = password == null ? string.Empty : password;
            _log = log;
            _backoff = new Backoff(random, FirstPauseMs, MaxPauseMs, false);
        }

        /// <summary>Why the last attempt failed, without secrets; null after success.</summary>
        public string LastError { get; private set; }

        /// <summary>Full joins (flash writes of the WiFi configuration) this link has made.</summary>
        public int FullJoins { get; private set; }

        /// <summary>True once an attempt of this boot succeeded.</summary>
        public bool JoinedOnce
        {
            get { return _joinedOnce; }
        }

        /// <summary>True when the station has an IPv4 address.</summary>
        public bool IsConnected
        {
            get { return _adapter.IsConnected; }
        }

        /// <summary>One attempt to join, waiting at most <paramref name="timeoutMs"/>.</summary>
        /// <returns>true when an IP address was obtained.</returns>
        public bool Connect(int timeoutMs)
        {
            string target = _ssid == null ? "the stored network" : "\"" + _ssid + "\"";
            bool full = UseFullJoin();
            _log.Write(LogLevel.Info, Source, (full ? "Joining " : "Reconnecting to ") + target + " (timeout " + timeoutMs.ToString() + " ms).");
            bool joined;
            try
            {
                if (full)
                {
                    FullJoins++;
                    joined = _adapter.Join(_ssid, _password, timeoutMs);
                }
                else
                {
                    joined = _adapter.Reconnect(timeoutMs);
                }

                LastError = joined ? null : Describe(_adapter.LastFailure);
            }
            catch (Exception e)
            {
                // The device's helpers report through their status; an exception here is a driver fault: log its kind only.
                joined = false;
                LastError = "WiFi failed (" + e.GetType().Name + ")";
            }

            if (joined)
            {
                _joinedOnce = true;
                _backoff.Reset();
                _log.Write(LogLevel.Info, Source, "Joined " + target + ".");
                return true;
            }

            _log.Write(LogLevel.Warning, Source, "Could not join " + target + ": " + LastError + ".");
            return false;
        }

        /// <summary>Reconnects if the link is down; cheap when it is up.</summary>
        /// <returns>true when connected afterwards.</returns>
        public bool EnsureConnected(int timeoutMs)
        {
            return _adapter.IsConnected || Connect(timeoutMs);
        }

        /// <summary>How long to pause after a failed attempt (grows with each consecutive failure).</summary>
        public int NextPauseMs()
        {
            return _backoff.NextDelayMs();
        }

        private bool UseFullJoin()
        {
            if (_ssid == null || _joinedOnce)
            {
                return false;
            }

            if (!_storedTried)
            {
                _storedTried = true;

                // Reading the stored block costs nothing; rewriting it with the same credentials would.
                if (_adapter.StoredConfigurationIs(_ssid, _password))
                {
                    return false;
                }
            }

            return true;
        }

        private static string Describe(string failure)
        {
            return failure == null || failure.Length == 0 ? "no address within the timeout" : failure;
        }
    }
}
