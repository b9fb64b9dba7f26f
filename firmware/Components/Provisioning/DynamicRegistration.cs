using System;
using System.Collections;
using System.Text;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Provisioning
{
    /// <summary>
    /// One secret per product ("一型一密", aliyun-protocol.md §2): a device holding only the ProductSecret obtains
    /// its own credential once — over HTTPS (<c>/auth/register/device</c>), MQTT <c>authType=register</c>
    /// (deviceSecret on <c>/ext/register</c>) or MQTT <c>authType=regnwl</c> (clientId + deviceToken on
    /// <c>/ext/regnwl</c>) — signing <c>deviceName{dn}productKey{pk}random{r}</c> with a fresh random. The result is
    /// written to the config store and read back <b>before</b> it is used; a config that already holds a
    /// credential never registers again. No secret is ever logged. The MQTT exchange is <see cref="MqttRegistration"/>,
    /// storing the result <see cref="RegistrationPersistence"/>; this class chooses the route and does the HTTPS one.
    /// </summary>
    public sealed class DynamicRegistration
    {
        /// <summary>Length of the random nonce (letters and digits), as Python linkkit sends.</summary>
        public const int RandomLength = 15;

        /// <summary>Topic on which the platform sends the deviceSecret after <c>authType=register</c>.</summary>
        public const string RegisterTopic = "/ext/register";

        /// <summary>Topic on which the platform sends clientId + deviceToken after <c>authType=regnwl</c>.</summary>
        public const string RegisterNoPreRegistrationTopic = "/ext/regnwl";

        private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

        private readonly IRandom _random;
        private readonly ILog _log;
        private readonly IHttpPoster _poster;
        private readonly IHmacSha256 _hmacSha256;
        private readonly RegistrationPersistence _persistence;
        private readonly MqttRegistration _mqtt;

        /// <summary>Creates the registrar.</summary>
        /// <param name="store">Where device.json is persisted.</param>
        /// <param name="random">Source of the nonce.</param>
        /// <param name="clock">Waits for the MQTT answer.</param>
        /// <param name="log">Progress and failures, never secrets.</param>
        /// <param name="poster">HTTPS POST (for <c>"https"</c>), or null when not used.</param>
        /// <param name="mqtt">MQTT transports (for <c>"mqtt"</c>/<c>"mqtt-nwl"</c>), or null when not used.</param>
        /// <param name="hmacSha256">Native HMAC-SHA256, or null for the managed one.</param>
        public DynamicRegistration(IConfigStore store, IRandom random, IClock clock, ILog log, IHttpPoster poster, IMqttTransportFactory mqtt, IHmacSha256 hmacSha256)
        {
            if (store == null || random == null || clock == null || log == null)
            {
                throw new ArgumentNullException("store, random, clock and log are required");
            }

            _random = random;
            _log = log;
            _poster = poster;
            _hmacSha256 = hmacSha256;
            _persistence = new RegistrationPersistence(store, log);
            _mqtt = new MqttRegistration(mqtt, random, clock, log, hmacSha256, _persistence);
            TimeoutMs = 10000;
        }

        /// <summary>How long the HTTPS request or the MQTT answer may take (default 10000 ms).</summary>
        public int TimeoutMs { get; set; }

        /// <summary>A fresh nonce: <see cref="RandomLength"/> letters and digits.</summary>
        public static string NewRandom(IRandom random)
        {
            char[] chars = new char[RandomLength];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphanumerics[random.Next(Alphanumerics.Length)];
            }

            return new string(chars);
        }

        /// <summary>The HTTPS registration URL: the configured one, or <c>https://iot-auth.{region}.aliyuncs.com/auth/register/device</c>.</summary>
        public static string RegistrationUrl(DeviceConfig config)
        {
            if (config.RegistrationUrl != null)
            {
                return config.RegistrationUrl;
            }

            return "https://iot-auth." + config.Region + ".aliyuncs.com/auth/register/device";
        }

        /// <summary>
        /// The form body: <c>productKey={pk}&amp;deviceName={dn}&amp;random={r}&amp;sign={hex}&amp;signMethod={m}</c>
        /// (values percent-encoded where needed).
        /// </summary>
        public static string HttpsBody(string productKey, string deviceName, string random, string sign, SignMethod signMethod)
        {
            StringBuilder body = new StringBuilder(160);
            body.Append("productKey=").Append(FormEncode(productKey));
            body.Append("&deviceName=").Append(FormEncode(deviceName));
            body.Append("&random=").Append(FormEncode(random));
            body.Append("&sign=").Append(sign);
            body.Append("&signMethod=").Append(Signer.WireName(signMethod));
            return body.ToString();
        }

        /// <summary>
        /// Returns a config that can connect: the given one when it already holds a credential (nothing is sent),
        /// otherwise the one re-read from the store after registering and persisting.
        /// </summary>
        /// <param name="config">The parsed device.json.</param>
        /// <param name="caCertificatesPem">Trusted roots for HTTPS/MQTT TLS.</param>
        public RegistrationResult EnsureRegistered(DeviceConfig config, string caCertificatesPem)
        {
            if (config == null)
            {
                throw new ArgumentNullException("config");
            }

            if (!config.NeedsRegistration)
            {
                return new RegistrationResult(RegistrationOutcome.AlreadyProvisioned, config, 0, "already provisioned");
            }

            _log.Write(LogLevel.Info, RegistrationAnswers.LogSource, "registering " + config.ProductKey + "/" + config.DeviceName);
            if (config.Registration == RegistrationMode.Https)
            {
                return RegisterOverHttps(config, caCertificatesPem);
            }

            return _mqtt.Register(config, caCertificatesPem, config.Registration == RegistrationMode.MqttNoPreRegistration, TimeoutMs);
        }

        private RegistrationResult RegisterOverHttps(DeviceConfig config, string caCertificatesPem)
        {
            if (_poster == null)
            {
                throw new InvalidOperationException("https registration needs an IHttpPoster");
            }

            string random = NewRandom(_random);
            string sign = Signer.Sign(config.SignMethod, config.ProductSecret, MqttCredentials.RegistrationSignContent(config.DeviceName, config.ProductKey, random), _hmacSha256);
            string body = HttpsBody(config.ProductKey, config.DeviceName, random, sign, config.SignMethod);
            HttpPostResult response = _poster.Post(RegistrationUrl(config), "application/x-www-form-urlencoded", body, caCertificatesPem, TimeoutMs);
            if (response == null || response.StatusCode == 0)
            {
                return RegistrationAnswers.Fail(_log, RegistrationOutcome.NetworkError, 0, "registration request failed: " + (response == null ? "no response" : response.Detail));
            }

            if (response.StatusCode != 200)
            {
                return RegistrationAnswers.Fail(_log, RegistrationOutcome.Refused, response.StatusCode, "registration service answered HTTP " + response.StatusCode.ToString());
            }

            Hashtable answer = RegistrationAnswers.Parse(response.Body);
            if (answer == null)
            {
                return RegistrationAnswers.Fail(_log, RegistrationOutcome.MalformedAnswer, 200, "registration answer is not a JSON object");
            }

            long code;
            if (!JsonValues.TryToLong(answer["code"], out code))
            {
                return RegistrationAnswers.Fail(_log, RegistrationOutcome.MalformedAnswer, 200, "registration answer has no numeric code");
            }

            if (code != 200)
            {
                return RegistrationAnswers.Fail(_log, RegistrationOutcome.Refused, (int)code, "registration refused: code " + code.ToString() + " " + RegistrationAnswers.SafeText(answer["message"] as string));
            }

            Hashtable data = answer["data"] as Hashtable;
            string secret = data == null ? null : data["deviceSecret"] as string;
            if (secret == null || secret.Length == 0 || secret.Length > 128 || !RegistrationAnswers.NamesThisDevice(data, config))
            {
                return RegistrationAnswers.Fail(_log, RegistrationOutcome.MalformedAnswer, 200, "registration answer lacks data.deviceSecret for this device");
            }

            return _persistence.Persist(config, DeviceConfigWriter.WithDeviceSecret(config, secret), "deviceSecret");
        }

        private static string FormEncode(string value)
        {
            StringBuilder encoded = new StringBuilder(value.Length);
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                bool unreserved = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '.' || b == '~';
                if (unreserved)
                {
                    encoded.Append((char)b);
                }
                else
                {
                    encoded.Append('%').Append(Hex.Encode(bytes, i, 1, true));
                }
            }

            return encoded.ToString();
        }
    }
}
