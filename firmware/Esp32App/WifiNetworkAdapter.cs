using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using AliyunIot.Ports;
using nanoFramework.Networking;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// The ESP32's WiFi station for <see cref="AliyunIot.Connection.WifiLink"/>, through nanoFramework's
    /// WifiNetworkHelper (System.Device.Wifi). Which call to make when is decided by WifiLink (host-tested); this class
    /// only makes the calls.
    /// </summary>
    /// <remarks>
    /// WifiNetworkHelper waits forever without a cancellation token (notes §A.4), so every call gets one with a
    /// timeout. requiresDateTime is false: SNTP is <see cref="TimeWaiter"/>'s job, and a missing time server must not
    /// look like a missing access point. From the helper's source: ConnectDhcp disconnects, saves the SSID and password
    /// to the configuration block (Wireless80211Configuration.SaveConfiguration, a flash write) and connects, unless
    /// the station already has an address on that SSID; Reconnect only waits for an address while the driver's
    /// automatic reconnection (WifiReconnectionKind.Automatic, set by the first join) does the joining.
    /// </remarks>
    public sealed class WifiNetworkAdapter : IWifiAdapter
    {
        /// <inheritdoc />
        public string LastFailure { get; private set; }

        /// <inheritdoc />
        public bool IsConnected
        {
            get
            {
                try
                {
                    NetworkInterface nic = Station();
                    if (nic != null)
                    {
                        string address = nic.IPv4Address;
                        return address != null && address.Length > 0 && address != "0.0.0.0";
                    }
                }
                catch (Exception)
                {
                    // No interface information: report "not connected" and let the caller retry.
                }

                return false;
            }
        }

        /// <inheritdoc />
        public bool StoredConfigurationIs(string ssid, string password)
        {
            try
            {
                NetworkInterface nic = Station();
                if (nic == null)
                {
                    return false;
                }

                Wireless80211Configuration stored = Wireless80211Configuration.GetAllWireless80211Configurations()[nic.SpecificConfigId];
                string storedPassword = stored.Password == null ? string.Empty : stored.Password;
                return stored.Ssid == ssid && storedPassword == (password == null ? string.Empty : password);
            }
            catch (Exception)
            {
                // Unreadable block: a full join rewrites it, which is what it needs.
                return false;
            }
        }

        /// <inheritdoc />
        public bool Join(string ssid, string password, int timeoutMs)
        {
            CancellationTokenSource timeout = new CancellationTokenSource(timeoutMs);
            try
            {
                return Finish(WifiNetworkHelper.ConnectDhcp(ssid, password, WifiReconnectionKind.Automatic, false, 0, timeout.Token));
            }
            finally
            {
                timeout.Dispose();
            }
        }

        /// <inheritdoc />
        public bool Reconnect(int timeoutMs)
        {
            CancellationTokenSource timeout = new CancellationTokenSource(timeoutMs);
            try
            {
                return Finish(WifiNetworkHelper.Reconnect(false, 0, timeout.Token));
            }
            finally
            {
                timeout.Dispose();
            }
        }

        private bool Finish(bool joined)
        {
            LastFailure = joined ? null : DescribeFailure();
            return joined;
        }

        private static NetworkInterface Station()
        {
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            for (int i = 0; i < interfaces.Length; i++)
            {
                if (interfaces[i].NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
                {
                    return interfaces[i];
                }
            }

            return null;
        }

        private static string DescribeFailure()
        {
            // Enums print as numbers on nanoFramework, so name the helper's statuses here.
            switch (WifiNetworkHelper.Status)
            {
                case NetworkHelperStatus.FailedNoNetworkInterface:
                    return "no WiFi interface";
                case NetworkHelperStatus.TokenExpiredWaitingIPAddress:
                    return "timed out waiting for an IP address (wrong password, or the access point is out of range)";
                case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning:
                    return "the network was not found while scanning";
                case NetworkHelperStatus.ExceptionOccurred:
                    Exception e = WifiNetworkHelper.HelperException;
                    return "exception " + (e == null ? "?" : e.GetType().Name);
                default:
                    return "helper status " + ((int)WifiNetworkHelper.Status).ToString();
            }
        }
    }
}
