using System.Collections;
using System.Text;
using AliyunIot.Crypto;

namespace AliyunIot.Config
{
    /// <summary>
    /// The validated contents of device.json (schema: docs/device-config.md). Built by
    /// <see cref="DeviceConfigParser"/>, which applies every default and range; the setters exist for tests and
    /// for tools that build a config in code. Secrets (<see cref="DeviceSecret"/>, <see cref="ProductSecret"/>,
    /// <see cref="DeviceToken"/>, <see cref="WifiPassword"/>) never appear in <see cref="ToString"/>.
    /// </summary>
    public sealed class DeviceConfig
    {
        /// <summary>Default MQTT port of an instance endpoint and of an explicit TLS host.</summary>
        public const int DefaultTlsPort = 8883;

        /// <summary>Port of the legacy regional endpoint, and default of an explicit plain-TCP host.</summary>
        public const int LegacyPort = 1883;

        /// <summary>Creates a config with every default (no identity yet).</summary>
        public DeviceConfig()
        {
            UseTls = true;
            SignMethod = SignMethod.HmacSha256;
            KeepAliveSeconds = 120;
            ProtocolVersion = 4;
            CleanSession = true;
            Limits = new DeviceLimits();
            Warnings = new ArrayList();
        }

        /// <summary>ProductKey.</summary>
        public string ProductKey { get; set; }

        /// <summary>DeviceName (4–32 letters, digits, <c>- _ @ . :</c>).</summary>
        public string DeviceName { get; set; }

        /// <summary>DeviceSecret, or null when the device still has to register or uses a token. Secret.</summary>
        public string DeviceSecret { get; set; }

        /// <summary>ProductSecret for dynamic registration, or null. Secret.</summary>
        public string ProductSecret { get; set; }

        /// <summary>How to register (only with <see cref="ProductSecret"/>).</summary>
        public RegistrationMode Registration { get; set; }

        /// <summary>DeviceToken from no-pre-registration (connect with <c>authType=connwl</c>), or null. Secret.</summary>
        public string DeviceToken { get; set; }

        /// <summary>Full URL of the HTTPS registration service, overriding the one derived from the region (tests, proxies).</summary>
        public string RegistrationUrl { get; set; }

        /// <summary>Instance id of a new public or Enterprise instance, or null.</summary>
        public string InstanceId { get; set; }

        /// <summary>Region id (e.g. <c>cn-shanghai</c>), or null.</summary>
        public string Region { get; set; }

        /// <summary>MQTT broker host (derived from the instance id or region unless given explicitly).</summary>
        public string Host { get; set; }

        /// <summary>MQTT broker port.</summary>
        public int Port { get; set; }

        /// <summary>TLS (securemode=2); false only for plain TCP explicitly allowed (securemode=3).</summary>
        public bool UseTls { get; set; }

        /// <summary>HMAC algorithm for the password and the registration sign.</summary>
        public SignMethod SignMethod { get; set; }

        /// <summary>The clientId part of the ClientIdentifier (default <c>{productKey}.{deviceName}</c>).</summary>
        public string ClientId { get; set; }

        /// <summary>MQTT keep-alive (30..1200 s, default 120).</summary>
        public int KeepAliveSeconds { get; set; }

        /// <summary>4 for MQTT 3.1.1, 5 for MQTT 5.0.</summary>
        public int ProtocolVersion { get; set; }

        /// <summary>Clean session / clean start (default true).</summary>
        public bool CleanSession { get; set; }

        /// <summary>WiFi network name, or null when the section is absent (simulator).</summary>
        public string WifiSsid { get; set; }

        /// <summary>WiFi password, or null. Secret.</summary>
        public string WifiPassword { get; set; }

        /// <summary>PEM text of trusted roots overriding the embedded bundle, or null.</summary>
        public string CaCertificatesPem { get; set; }

        /// <summary>Path of a PEM file overriding the embedded bundle, or null (read by the device shell or host).</summary>
        public string CaCertificatesFile { get; set; }

        /// <summary>Outbound and reconnect limits.</summary>
        public DeviceLimits Limits { get; set; }

        /// <summary>The board class from <c>"profile"</c> (budgets checked at parse time), or null when device.json names none.</summary>
        public BoardProfile Profile { get; set; }

        /// <summary>The raw <c>sensors</c> array (for <c>AliyunIot.Sensors.SensorConfigParser</c>), or null.</summary>
        public ArrayList Sensors { get; set; }

        /// <summary>The raw <c>ota</c> object (for <c>AliyunIot.Ota.OtaSettings</c>), or null.</summary>
        public Hashtable Ota { get; set; }

        /// <summary>
        /// The whole parsed document, unknown sections included; <see cref="DeviceConfigWriter"/> writes it back so
        /// persisting a registration result loses nothing. Holds secrets: never log it.
        /// </summary>
        public Hashtable Raw { get; set; }

        /// <summary>
        /// Drops the parsed document (<see cref="Raw"/>, <see cref="Sensors"/>, <see cref="Ota"/>) once the device is
        /// composed: the tree holds every secret and a few KB of Hashtables, and nothing reads it after startup (the
        /// typed fields the session needs stay). A registration that persists the config must run before this.
        /// </summary>
        public void ReleaseDocument()
        {
            Raw = null;
            Sensors = null;
            Ota = null;
        }

        /// <summary>Non-fatal findings (plain TCP, unknown fields) as text without secrets.</summary>
        public ArrayList Warnings { get; private set; }

        /// <summary>True when the device must register before it can connect.</summary>
        public bool NeedsRegistration
        {
            get { return DeviceSecret == null && DeviceToken == null && ProductSecret != null && Registration != RegistrationMode.None; }
        }

        /// <summary>A summary for logs: identity, endpoint and options, never a secret.</summary>
        public override string ToString()
        {
            StringBuilder text = new StringBuilder();
            text.Append("productKey=").Append(ProductKey);
            text.Append(" deviceName=").Append(DeviceName);
            text.Append(" clientId=").Append(ClientId);
            text.Append(" endpoint=").Append(Host).Append(':').Append(Port);
            text.Append(UseTls ? " tls" : " tcp");
            text.Append(" signMethod=").Append(Signer.WireName(SignMethod));
            text.Append(" keepAlive=").Append(KeepAliveSeconds);
            text.Append(ProtocolVersion == 5 ? " mqtt=5" : " mqtt=3.1.1");
            text.Append(" credential=");
            if (DeviceSecret != null)
            {
                text.Append("deviceSecret");
            }
            else if (DeviceToken != null)
            {
                text.Append("deviceToken");
            }
            else if (ProductSecret != null)
            {
                text.Append("productSecret(registration pending)");
            }
            else
            {
                text.Append("none");
            }

            return text.ToString();
        }
    }
}
