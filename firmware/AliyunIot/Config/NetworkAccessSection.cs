using System.Collections;

namespace AliyunIot.Config
{
    /// <summary>
    /// What the board needs to reach the network, from device.json: the WiFi join and the CA certificates to trust.
    /// </summary>
    internal static class NetworkAccessSection
    {
        /// <summary>wifi (ssid, password) and the CA certificates (inline PEM or a file, not both); all optional.</summary>
        internal static void Read(Hashtable root, DeviceConfig config)
        {
            object wifiValue = root["wifi"];
            if (wifiValue != null)
            {
                Hashtable wifi = wifiValue as Hashtable;
                if (wifi == null)
                {
                    throw new ConfigException("wifi", "must be an object {\"ssid\", \"password\"}");
                }

                string ssid = ConfigFields.OptionalString(wifi, "ssid", "wifi.ssid", "must be 1-32 characters");
                if (ssid == null || ssid.Length == 0 || ssid.Length > 32)
                {
                    throw new ConfigException("wifi.ssid", "must be 1-32 characters");
                }

                object password = wifi["password"];
                if (password != null && (!(password is string) || ((string)password).Length > 64))
                {
                    throw new ConfigException("wifi.password", "must be a string of 0-64 characters");
                }

                config.WifiSsid = ssid;
                config.WifiPassword = (string)password;
            }

            config.CaCertificatesPem = ConfigFields.OptionalString(root, "caCertificates", "caCertificates", "must be PEM text containing -----BEGIN CERTIFICATE-----");
            if (config.CaCertificatesPem != null && config.CaCertificatesPem.IndexOf("-----BEGIN CERTIFICATE-----") < 0)
            {
                throw new ConfigException("caCertificates", "must be PEM text containing -----BEGIN CERTIFICATE-----");
            }

            config.CaCertificatesFile = ConfigFields.OptionalString(root, "caCertificatesFile", "caCertificatesFile", "must be a non-empty file path");
            if (config.CaCertificatesFile != null && config.CaCertificatesFile.Trim().Length == 0)
            {
                throw new ConfigException("caCertificatesFile", "must be a non-empty file path");
            }

            if (config.CaCertificatesPem != null && config.CaCertificatesFile != null)
            {
                throw new ConfigException("caCertificates", "give only one of caCertificates or caCertificatesFile");
            }
        }
    }
}
