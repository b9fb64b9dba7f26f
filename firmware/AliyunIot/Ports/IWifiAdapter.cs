namespace AliyunIot.Ports
{
    /// <summary>
    /// The board's WiFi station, as <see cref="Connection.WifiLink"/> needs it. The two ways to join differ in what
    /// they cost: <see cref="Join"/> rewrites the WiFi configuration block in flash before it connects
    /// (nanoFramework's <c>WifiNetworkHelper.ConnectDhcp</c> saves the SSID and password every time it is called
    /// unless already connected to that SSID), <see cref="Reconnect"/> writes nothing and joins with the configuration
    /// already stored (<c>WifiNetworkHelper.Reconnect</c>: the driver's automatic reconnection does the joining, the
    /// call waits for an address). Calls block for at most their timeout.
    /// </summary>
    public interface IWifiAdapter
    {
        /// <summary>True when the station interface has an IPv4 address.</summary>
        bool IsConnected { get; }

        /// <summary>Why the last <see cref="Join"/> or <see cref="Reconnect"/> failed, without secrets; null after success.</summary>
        string LastFailure { get; }

        /// <summary>True when the configuration stored on the device already names <paramref name="ssid"/> with <paramref name="password"/>.</summary>
        bool StoredConfigurationIs(string ssid, string password);

        /// <summary>Stores <paramref name="ssid"/>/<paramref name="password"/> in flash, then joins (DHCP, automatic reconnection).</summary>
        /// <returns>true when an IP address was obtained within <paramref name="timeoutMs"/>.</returns>
        bool Join(string ssid, string password, int timeoutMs);

        /// <summary>Joins with the stored configuration; writes nothing.</summary>
        /// <returns>true when an IP address was obtained within <paramref name="timeoutMs"/>.</returns>
        bool Reconnect(int timeoutMs);
    }
}
