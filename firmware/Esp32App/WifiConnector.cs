using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using AliyunIot.Ports;
using nanoFramework.Networking;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Joins WiFi with a timeout and keeps it joined. Credentials come from device.json when present, otherwise from
    /// the network configuration stored by <c>nanoff --networkdeployment</c> (flash.ps1 -WifiSsid).
    /// </summary>
    /// <remarks>
    /// WifiNetworkHelper waits forever without a cancellation token (notes §A.4), so every call gets one with a
    /// timeout. The firmware's SNTP and time wait are handled by <see cref="TimeWaiter"/>, so requiresDateTime is false
    /// here: a missing time server must not look like a missing access point.
    /// Automatic reconnection is left on in the WiFi driver; <see cref="EnsureConnected"/> is the backstop the main
    /// loop calls when the driver did not manage on its own. Only the first join of a boot uses ConnectDhcp: it
    /// rewrites the WiFi configuration block in flash every time it is called, so every later join uses Reconnect,
    /// which joins with the configuration already stored.
    /// </remarks>
    public sealed class WifiConnector
    {
        private readonly ILog _log;
        private readonly string _ssid;
        private readonly string _password;
        private bool _joinedOnce;

        /// <summary>Creates a connector.</summary>
        /// <param name="ssid">Network name, or null to use the configuration stored in the device.</param>
        /// <param name="password">Password (never logged), or null for an open network / stored configuration.</param>
        /// <param name="log">Where progress goes.</param>
        public WifiConnector(string ssid, string password, ILog log)
        {
            _ssid = ssid;
            _password = password;
            _log = log;
        }

        /// <summary>Why the last attempt failed, without secrets; null after success.</summary>
        public string LastError { get; private set; }

        /// <summary>True when the station interface has an IPv4 address.</summary>
        public bool IsConnected
        {
            get
            {
                try
                {
                    NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
                    for (int i = 0; i < interfaces.Length; i++)
                    {
                        NetworkInterface nic = interfaces[i];
                        if (nic.NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
                        {
                            string address = nic.IPv4Address;
                            return address != null && address.Length > 0 && address != "0.0.0.0";
                        }
                    }
                }
                catch (Exception)
                {
                    // No interface information: report "not connected" and let the caller retry.
                }

                return false;
            }
        }

        /// <summary>Joins the network, waiting at most <paramref name="timeoutMs"/>.</summary>
        /// <returns>true when an IP address was obtained.</returns>
        public bool Connect(int timeoutMs)
        {
            string target = _ssid == null ? "the stored network" : "\"" + _ssid + "\"";
            _log.Write(LogLevel.Info, "wifi", "Joining " + target + " (timeout " + timeoutMs.ToString() + " ms).");
            CancellationTokenSource timeout = new CancellationTokenSource(timeoutMs);
            try
            {
                bool joined;
                if (_ssid == null || _joinedOnce)
                {
                    joined = WifiNetworkHelper.Reconnect(false, 0, timeout.Token);
                }
                else
                {
                    joined = WifiNetworkHelper.ConnectDhcp(_ssid, _password == null ? string.Empty : _password, WifiReconnectionKind.Automatic, false, 0, timeout.Token);
                }

                if (joined)
                {
                    _joinedOnce = true;
                    LastError = null;
                    _log.Write(LogLevel.Info, "wifi", "Joined " + target + ".");
                    return true;
                }

                LastError = DescribeFailure();
            }
            catch (Exception e)
            {
                LastError = "WiFi failed (" + e.GetType().Name + ")";
            }
            finally
            {
                timeout.Dispose();
            }

            _log.Write(LogLevel.Warning, "wifi", "Could not join " + target + ": " + LastError + ".");
            return false;
        }

        /// <summary>Reconnects if the link is down; cheap when it is up.</summary>
        /// <returns>true when connected afterwards.</returns>
        public bool EnsureConnected(int timeoutMs)
        {
            if (IsConnected)
            {
                return true;
            }

            return Connect(timeoutMs);
        }

        private static string DescribeFailure()
        {
            // Enums print as numbers on nanoFramework, so name the helper's statuses here.
            string status;
            switch (WifiNetworkHelper.Status)
            {
                case NetworkHelperStatus.FailedNoNetworkInterface:
                    status = "no WiFi interface";
                    break;
                case NetworkHelperStatus.TokenExpiredWaitingIPAddress:
                    status = "timed out waiting for an IP address (wrong password, or the access point is out of range)";
                    break;
                case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning:
                    status = "the network was not found while scanning";
                    break;
                case NetworkHelperStatus.ExceptionOccurred:
                    Exception e = WifiNetworkHelper.HelperException;
                    status = "exception " + (e == null ? "?" : e.GetType().Name);
                    break;
                default:
                    status = "helper status " + ((int)WifiNetworkHelper.Status).ToString();
                    break;
            }

            return status;
        }
    }
}
