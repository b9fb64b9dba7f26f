using System;
using System.Text;
using AliyunIot.Config;
using AliyunIot.Crypto;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// The three CONNECT strings the platform authenticates (aliyun-protocol.md §1.3, §2.3):
    /// <c>ClientIdentifier</c> = <c>{clientId}|key=value,…|</c>, <c>Username</c> = <c>{deviceName}&amp;{productKey}</c>,
    /// <c>Password</c> = upper-case hex HMAC over the sorted sign content (or the deviceToken for connwl).
    /// <para>
    /// Extension keys sent for a device-secret login, in this order:
    /// <c>securemode</c> 2 = TLS, 3 = plain TCP;
    /// <c>signmethod</c> the HMAC used for the password;
    /// <c>timestamp</c> ms since the epoch, also part of the signed content (the server does not check freshness);
    /// <c>_ss=1</c> ask the server to auto-subscribe the system topics;
    /// <c>ext=1</c> deliver sync services and custom-topic RRPC on <c>/ext/rrpc/…</c> too, so both RRPC forms arrive;
    /// <c>_v</c> our client version, informational.
    /// </para>
    /// The password is a secret: <see cref="ToString"/> leaves it out.
    /// </summary>
    public sealed class MqttCredentials
    {
        /// <summary>Value of the <c>_v</c> key: identifies this firmware to the platform.</summary>
        public const string ClientVersion = "nf-aliyun-1.0";

        /// <summary><c>securemode</c> for TLS.</summary>
        public const int SecureModeTls = 2;

        /// <summary><c>securemode</c> for plain TCP.</summary>
        public const int SecureModeTcp = 3;

        /// <summary><c>securemode</c> for token login and dynamic registration on new instances.</summary>
        public const int SecureModeToken = -2;

        private MqttCredentials(string clientIdentifier, string username, string password)
        {
            ClientIdentifier = clientIdentifier;
            Username = username;
            Password = password;
        }

        /// <summary>The full ClientIdentifier including the extension block.</summary>
        public string ClientIdentifier { get; private set; }

        /// <summary><c>{deviceName}&amp;{productKey}</c>.</summary>
        public string Username { get; private set; }

        /// <summary>The password. Secret: never log it.</summary>
        public string Password { get; private set; }

        /// <summary>
        /// Sign content of a device login: <c>clientId{cid}deviceName{dn}productKey{pk}timestamp{ts}</c>
        /// (keys in dictionary order, no separators; clientId and timestamp left out when null).
        /// </summary>
        public static string DeviceSignContent(string clientId, string deviceName, string productKey, string timestamp)
        {
            StringBuilder content = new StringBuilder();
            if (clientId != null)
            {
                content.Append("clientId").Append(clientId);
            }

            content.Append("deviceName").Append(deviceName);
            content.Append("productKey").Append(productKey);
            if (timestamp != null)
            {
                content.Append("timestamp").Append(timestamp);
            }

            return content.ToString();
        }

        /// <summary>Sign content of dynamic registration: <c>deviceName{dn}productKey{pk}random{random}</c>.</summary>
        public static string RegistrationSignContent(string deviceName, string productKey, string random)
        {
            return "deviceName" + deviceName + "productKey" + productKey + "random" + random;
        }

        /// <summary>Credentials of a device-secret login (one secret per device).</summary>
        /// <param name="productKey">ProductKey.</param>
        /// <param name="deviceName">DeviceName.</param>
        /// <param name="deviceSecret">DeviceSecret (the HMAC key).</param>
        /// <param name="clientId">The clientId part; validated with <see cref="DeviceConfigParser.IsClientId"/>.</param>
        /// <param name="signMethod">HMAC algorithm.</param>
        /// <param name="useTls">true: securemode=2; false: securemode=3.</param>
        /// <param name="timestamp">Decimal ms since the epoch, or null to send and sign none.</param>
        /// <param name="hmacSha256">Native HMAC-SHA256, or null for the managed one.</param>
        /// <exception cref="ArgumentException">An identity field is missing or the clientId is invalid.</exception>
        public static MqttCredentials ForDeviceSecret(string productKey, string deviceName, string deviceSecret, string clientId, SignMethod signMethod, bool useTls, string timestamp, IHmacSha256 hmacSha256)
        {
            RequireIdentity(productKey, deviceName);
            if (deviceSecret == null || deviceSecret.Length == 0)
            {
                throw new ArgumentException("deviceSecret is required");
            }

            if (!DeviceConfigParser.IsClientId(clientId))
            {
                throw new ArgumentException("clientId must be 1-64 characters without | , or =");
            }

            StringBuilder id = new StringBuilder(clientId.Length + 96);
            id.Append(clientId).Append("|securemode=").Append(useTls ? SecureModeTls : SecureModeTcp);
            id.Append(",signmethod=").Append(Signer.WireName(signMethod));
            if (timestamp != null)
            {
                id.Append(",timestamp=").Append(timestamp);
            }

            id.Append(",_ss=1,ext=1,_v=").Append(ClientVersion).Append('|');

            string content = DeviceSignContent(clientId, deviceName, productKey, timestamp);
            string password = Signer.Sign(signMethod, deviceSecret, content, hmacSha256);
            return new MqttCredentials(id.ToString(), BuildUsername(productKey, deviceName), password);
        }

        /// <summary>
        /// Credentials of a token login after no-pre-registration (<c>authType=connwl</c>): ClientIdentifier
        /// <c>{clientId}|securemode=-2,authType=connwl,_ss=1,ext=1|</c>, password = the deviceToken itself.
        /// </summary>
        /// <exception cref="ArgumentException">An identity field is missing or the clientId is invalid.</exception>
        public static MqttCredentials ForDeviceToken(string productKey, string deviceName, string clientId, string deviceToken)
        {
            RequireIdentity(productKey, deviceName);
            if (deviceToken == null || deviceToken.Length == 0)
            {
                throw new ArgumentException("deviceToken is required");
            }

            if (!DeviceConfigParser.IsClientId(clientId))
            {
                throw new ArgumentException("clientId must be 1-64 characters without | , or =");
            }

            string id = clientId + "|securemode=-2,authType=connwl,_ss=1,ext=1|";
            return new MqttCredentials(id, BuildUsername(productKey, deviceName), deviceToken);
        }

        /// <summary>
        /// Credentials of an MQTT dynamic-registration connection: ClientIdentifier
        /// <c>{deviceName}.{productKey}|random={random},authType={register|regnwl},securemode={2|-2},signmethod={m}[,instanceId={id}]|</c>,
        /// password = hex HMAC(productSecret, <see cref="RegistrationSignContent"/>).
        /// </summary>
        /// <param name="productKey">ProductKey.</param>
        /// <param name="deviceName">DeviceName.</param>
        /// <param name="productSecret">ProductSecret (the HMAC key).</param>
        /// <param name="random">The fresh nonce (letters and digits).</param>
        /// <param name="signMethod">HMAC algorithm.</param>
        /// <param name="noPreRegistration">false: <c>authType=register</c>; true: <c>authType=regnwl</c>.</param>
        /// <param name="secureMode">2 (legacy instances) or -2 (new instances); the caller falls back to the other on refusal.</param>
        /// <param name="instanceId">Sent as <c>instanceId</c> when not null.</param>
        /// <param name="hmacSha256">Native HMAC-SHA256, or null for the managed one.</param>
        public static MqttCredentials ForRegistration(string productKey, string deviceName, string productSecret, string random, SignMethod signMethod, bool noPreRegistration, int secureMode, string instanceId, IHmacSha256 hmacSha256)
        {
            RequireIdentity(productKey, deviceName);
            if (productSecret == null || productSecret.Length == 0)
            {
                throw new ArgumentException("productSecret is required");
            }

            if (random == null || random.Length == 0)
            {
                throw new ArgumentException("random is required");
            }

            StringBuilder id = new StringBuilder(96);
            id.Append(deviceName).Append('.').Append(productKey);
            id.Append("|random=").Append(random);
            id.Append(",authType=").Append(noPreRegistration ? "regnwl" : "register");
            id.Append(",securemode=").Append(secureMode);
            id.Append(",signmethod=").Append(Signer.WireName(signMethod));
            if (instanceId != null)
            {
                id.Append(",instanceId=").Append(instanceId);
            }

            id.Append('|');
            string password = Signer.Sign(signMethod, productSecret, RegistrationSignContent(deviceName, productKey, random), hmacSha256);
            return new MqttCredentials(id.ToString(), BuildUsername(productKey, deviceName), password);
        }

        /// <summary>Credentials for <paramref name="config"/>: device-secret login, or token login when it holds a deviceToken.</summary>
        /// <param name="config">A parsed config.</param>
        /// <param name="timestampMs">Milliseconds since the epoch to send as <c>timestamp</c>.</param>
        /// <param name="hmacSha256">Native HMAC-SHA256, or null for the managed one.</param>
        /// <exception cref="InvalidOperationException">The config holds no deviceSecret or deviceToken (registration pending).</exception>
        public static MqttCredentials FromConfig(DeviceConfig config, long timestampMs, IHmacSha256 hmacSha256)
        {
            if (config == null)
            {
                throw new ArgumentNullException("config");
            }

            if (config.DeviceSecret != null)
            {
                return ForDeviceSecret(config.ProductKey, config.DeviceName, config.DeviceSecret, config.ClientId, config.SignMethod, config.UseTls, timestampMs.ToString(), hmacSha256);
            }

            if (config.DeviceToken != null)
            {
                return ForDeviceToken(config.ProductKey, config.DeviceName, config.ClientId, config.DeviceToken);
            }

            throw new InvalidOperationException("the config holds no deviceSecret or deviceToken: register first");
        }

        /// <summary>
        /// A complete CONNECT request for <paramref name="config"/>: endpoint, TLS, keep-alive, protocol version,
        /// clean session and these credentials.
        /// </summary>
        /// <param name="config">A parsed config with a deviceSecret or deviceToken.</param>
        /// <param name="caCertificatesPem">Trusted roots (the config's override or the embedded bundle).</param>
        /// <param name="timestampMs">Milliseconds since the epoch to send as <c>timestamp</c>.</param>
        /// <param name="hmacSha256">Native HMAC-SHA256, or null for the managed one.</param>
        public static MqttConnectRequest BuildConnectRequest(DeviceConfig config, string caCertificatesPem, long timestampMs, IHmacSha256 hmacSha256)
        {
            return FromConfig(config, timestampMs, hmacSha256).ToConnectRequest(config, caCertificatesPem);
        }

        /// <summary>
        /// A CONNECT request to the endpoint of <paramref name="config"/> (host, port, TLS, keep-alive, protocol
        /// version, clean session) carrying these credentials.
        /// </summary>
        /// <param name="config">A parsed config.</param>
        /// <param name="caCertificatesPem">Trusted roots (the config's override or the embedded bundle).</param>
        public MqttConnectRequest ToConnectRequest(DeviceConfig config, string caCertificatesPem)
        {
            if (config == null)
            {
                throw new ArgumentNullException("config");
            }

            MqttConnectRequest request = new MqttConnectRequest();
            request.Host = config.Host;
            request.Port = config.Port;
            request.UseTls = config.UseTls;
            request.CaCertificatesPem = caCertificatesPem;
            request.KeepAliveSeconds = config.KeepAliveSeconds;
            request.CleanSession = config.CleanSession;
            request.ProtocolVersion = config.ProtocolVersion;
            request.ClientIdentifier = ClientIdentifier;
            request.Username = Username;
            request.Password = Password;
            return request;
        }

        /// <summary>ClientIdentifier and Username; never the password.</summary>
        public override string ToString()
        {
            return "clientIdentifier=" + ClientIdentifier + " username=" + Username;
        }

        private static string BuildUsername(string productKey, string deviceName)
        {
            return deviceName + "&" + productKey;
        }

        private static void RequireIdentity(string productKey, string deviceName)
        {
            if (productKey == null || productKey.Length == 0)
            {
                throw new ArgumentException("productKey is required");
            }

            if (deviceName == null || deviceName.Length == 0)
            {
                throw new ArgumentException("deviceName is required");
            }
        }
    }
}
