using System;
using System.Collections;
using System.Text;
using System.Threading;
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
    /// credential never registers again. No secret is ever logged.
    /// </summary>
    public sealed class DynamicRegistration
    {
        /// <summary>Length of the random nonce (letters and digits), as Python linkkit sends.</summary>
        public const int RandomLength = 15;

        /// <summary>Topic on which the platform sends the deviceSecret after <c>authType=register</c>.</summary>
        public const string RegisterTopic = "/ext/register";

        /// <summary>Topic on which the platform sends clientId + deviceToken after <c>authType=regnwl</c>.</summary>
        public const string RegisterNoPreRegistrationTopic = "/ext/regnwl";

        private const string Source = "provisioning";
        private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        private const int MaxAnswerBytes = 4096;
        private const int StoreAttempts = 3;

        private readonly IConfigStore _store;
        private readonly DeviceConfigParser _parser;
        private readonly IRandom _random;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly IHttpPoster _poster;
        private readonly IMqttTransportFactory _mqtt;
        private readonly IHmacSha256 _hmacSha256;

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

            _store = store;
            _parser = new DeviceConfigParser(null);
            _random = random;
            _clock = clock;
            _log = log;
            _poster = poster;
            _mqtt = mqtt;
            _hmacSha256 = hmacSha256;
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

            _log.Write(LogLevel.Info, Source, "registering " + config.ProductKey + "/" + config.DeviceName);
            if (config.Registration == RegistrationMode.Https)
            {
                return RegisterOverHttps(config, caCertificatesPem);
            }

            return RegisterOverMqtt(config, caCertificatesPem, config.Registration == RegistrationMode.MqttNoPreRegistration);
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
                return Fail(RegistrationOutcome.NetworkError, 0, "registration request failed: " + (response == null ? "no response" : response.Detail));
            }

            if (response.StatusCode != 200)
            {
                return Fail(RegistrationOutcome.Refused, response.StatusCode, "registration service answered HTTP " + response.StatusCode.ToString());
            }

            Hashtable answer = ParseAnswer(response.Body);
            if (answer == null)
            {
                return Fail(RegistrationOutcome.MalformedAnswer, 200, "registration answer is not a JSON object");
            }

            long code;
            if (!JsonValues.TryToLong(answer["code"], out code))
            {
                return Fail(RegistrationOutcome.MalformedAnswer, 200, "registration answer has no numeric code");
            }

            if (code != 200)
            {
                return Fail(RegistrationOutcome.Refused, (int)code, "registration refused: code " + code.ToString() + " " + SafeText(answer["message"] as string));
            }

            Hashtable data = answer["data"] as Hashtable;
            string secret = data == null ? null : data["deviceSecret"] as string;
            if (secret == null || secret.Length == 0 || secret.Length > 128 || !NamesThisDevice(data, config))
            {
                return Fail(RegistrationOutcome.MalformedAnswer, 200, "registration answer lacks data.deviceSecret for this device");
            }

            return Persist(config, DeviceConfigWriter.WithDeviceSecret(config, secret), "deviceSecret");
        }

        private RegistrationResult RegisterOverMqtt(DeviceConfig config, string caCertificatesPem, bool noPreRegistration)
        {
            if (_mqtt == null)
            {
                throw new InvalidOperationException("mqtt registration needs an IMqttTransportFactory");
            }

            // Docs: -2 with instanceId on new instances, 2 on legacy ones; SDKs disagree, so try the other on refusal.
            int first = config.InstanceId != null ? MqttCredentials.SecureModeToken : MqttCredentials.SecureModeTls;
            int second = first == MqttCredentials.SecureModeToken ? MqttCredentials.SecureModeTls : MqttCredentials.SecureModeToken;
            RegistrationResult result = RegisterOverMqttOnce(config, caCertificatesPem, noPreRegistration, first);
            if (result.Outcome == RegistrationOutcome.Refused)
            {
                _log.Write(LogLevel.Info, Source, "securemode=" + first.ToString() + " refused (" + result.Code.ToString() + "); trying securemode=" + second.ToString());
                result = RegisterOverMqttOnce(config, caCertificatesPem, noPreRegistration, second);
            }

            return result;
        }

        private RegistrationResult RegisterOverMqttOnce(DeviceConfig config, string caCertificatesPem, bool noPreRegistration, int secureMode)
        {
            string random = NewRandom(_random);
            MqttCredentials credentials = MqttCredentials.ForRegistration(config.ProductKey, config.DeviceName, config.ProductSecret, random, config.SignMethod, noPreRegistration, secureMode, config.InstanceId, _hmacSha256);
            MqttConnectRequest request = credentials.ToConnectRequest(config, caCertificatesPem);
            request.CleanSession = true; // a one-shot connection: no session worth keeping
            request.ConnectTimeoutMs = TimeoutMs;

            string topic = noPreRegistration ? RegisterNoPreRegistrationTopic : RegisterTopic;
            AnswerListener listener = new AnswerListener(topic);
            IMqttTransport transport = _mqtt.Create();
            try
            {
                MqttConnectResult connect = transport.Connect(request, listener);
                if (connect.Outcome == MqttConnectOutcome.Refused)
                {
                    return Fail(RegistrationOutcome.Refused, connect.ReasonCode, "registration CONNECT refused with code " + connect.ReasonCode.ToString());
                }

                if (connect.Outcome == MqttConnectOutcome.Timeout)
                {
                    return Fail(RegistrationOutcome.Timeout, -1, "registration CONNACK timed out");
                }

                if (connect.Outcome != MqttConnectOutcome.Accepted)
                {
                    return Fail(RegistrationOutcome.NetworkError, connect.ReasonCode, "registration connect failed: " + connect.Detail);
                }

                // The platform publishes without a SUBSCRIBE; brokers that need one get it (a refusal is harmless).
                transport.Subscribe(new string[] { topic }, new int[] { 0 });
                _clock.Wait(listener.Arrived, TimeoutMs);
                if (listener.Payload == null)
                {
                    if (listener.LostReason != null)
                    {
                        return Fail(RegistrationOutcome.NetworkError, 0, "connection closed before an answer on " + topic + ": " + listener.LostReason);
                    }

                    return Fail(RegistrationOutcome.Timeout, 0, "no answer on " + topic + " within " + TimeoutMs.ToString() + " ms");
                }
            }
            finally
            {
                transport.Close();
            }

            Hashtable answer = ParseBytes(listener.Payload);
            if (answer == null || !NamesThisDevice(answer, config))
            {
                return Fail(RegistrationOutcome.MalformedAnswer, 0, "answer on " + topic + " is not a JSON object for this device");
            }

            if (noPreRegistration)
            {
                string clientId = answer["clientId"] as string;
                string token = answer["deviceToken"] as string;
                if (!DeviceConfigParser.IsClientId(clientId) || token == null || token.Length == 0 || token.Length > 128)
                {
                    return Fail(RegistrationOutcome.MalformedAnswer, 0, "answer on " + topic + " lacks a valid clientId and deviceToken");
                }

                return Persist(config, DeviceConfigWriter.WithDeviceToken(config, clientId, token), "clientId and deviceToken");
            }

            string secret = answer["deviceSecret"] as string;
            if (secret == null || secret.Length == 0 || secret.Length > 128)
            {
                return Fail(RegistrationOutcome.MalformedAnswer, 0, "answer on " + topic + " lacks deviceSecret");
            }

            return Persist(config, DeviceConfigWriter.WithDeviceSecret(config, secret), "deviceSecret");
        }

        // Writes, then reads back and parses: the credential is used only once it is known to be in the store.
        private RegistrationResult Persist(DeviceConfig config, string document, string what)
        {
            string lastError = null;
            for (int attempt = 1; attempt <= StoreAttempts; attempt++)
            {
                try
                {
                    _store.Write(document);
                    string stored = _store.Read();
                    if (stored == document)
                    {
                        DeviceConfig registered = _parser.Parse(stored);
                        _log.Write(LogLevel.Info, Source, "registered " + config.ProductKey + "/" + config.DeviceName + "; " + what + " persisted");
                        ForgetOldBlocks();
                        return new RegistrationResult(RegistrationOutcome.Registered, registered, 200, what + " persisted");
                    }

                    lastError = "read-back differs";
                }
                catch (ConfigException e)
                {
                    lastError = "stored config invalid (" + e.Field + ")";
                }
                catch (Exception e)
                {
                    lastError = e.GetType().Name;
                }

                _log.Write(LogLevel.Warning, Source, "persisting the registration failed (attempt " + attempt.ToString() + "): " + lastError);
            }

            return Fail(RegistrationOutcome.StoreFailed, 0, "could not persist the " + what + ": " + lastError + "; not used");
        }

        // The ProductSecret is gone from device.json now; on flash its old blocks are only freed. Scrub them where the
        // store is the device's flash (best effort: the registration itself succeeded either way).
        private void ForgetOldBlocks()
        {
            FlashConfigStore flash = _store as FlashConfigStore;
            if (flash == null)
            {
                return;
            }

            try
            {
                long bytes = FlashScrubber.Scrub(flash.Storage, new byte[1024]);
                _log.Write(LogLevel.Info, Source, "free flash scrubbed (" + bytes.ToString() + " bytes) so the old device.json blocks do not keep the product secret");
            }
            catch (Exception e)
            {
                _log.Write(LogLevel.Warning, Source, "scrubbing the free flash failed (" + e.GetType().Name + ")");
            }
        }

        private RegistrationResult Fail(RegistrationOutcome outcome, int code, string detail)
        {
            _log.Write(LogLevel.Warning, Source, detail);
            return new RegistrationResult(outcome, null, code, detail);
        }

        private Hashtable ParseAnswer(string text)
        {
            if (text == null)
            {
                return null;
            }

            return ParseBytes(Encoding.UTF8.GetBytes(text));
        }

        private Hashtable ParseBytes(byte[] payload)
        {
            if (payload == null || JsonGuard.Check(payload, 0, payload.Length, MaxAnswerBytes, 4) != null)
            {
                return null;
            }

            string problem;
            return JsonTree.Parse(payload, 0, payload.Length, 4, out problem) as Hashtable;
        }

        // An answer that names a device must name this one (productKey/deviceName are optional in answers).
        private static bool NamesThisDevice(Hashtable answer, DeviceConfig config)
        {
            object pk = answer["productKey"];
            object dn = answer["deviceName"];
            return (pk == null || (pk as string) == config.ProductKey) && (dn == null || (dn as string) == config.DeviceName);
        }

        // Server messages are shown to the user; keep them short and printable.
        private static string SafeText(string text)
        {
            if (text == null)
            {
                return string.Empty;
            }

            StringBuilder safe = new StringBuilder();
            for (int i = 0; i < text.Length && safe.Length < 120; i++)
            {
                char c = text[i];
                safe.Append(c < ' ' ? ' ' : c);
            }

            return "(" + safe.ToString() + ")";
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

        /// <summary>Records the one answer the registration connection waits for; called on transport threads.</summary>
        private sealed class AnswerListener : IMqttTransportListener
        {
            private readonly string _topic;

            public AnswerListener(string topic)
            {
                _topic = topic;
                Arrived = new ManualResetEvent(false);
            }

            public ManualResetEvent Arrived { get; private set; }

            public byte[] Payload { get; private set; }

            public string LostReason { get; private set; }

            public void OnMessage(string topic, byte[] payload)
            {
                if (topic == _topic && Payload == null)
                {
                    Payload = payload;
                    Arrived.Set();
                }
            }

            public void OnPublished(int packetId, int reasonCode)
            {
            }

            public void OnSubscribed(int packetId, int[] grantedQos)
            {
            }

            public void OnConnectionLost(string reason)
            {
                LostReason = reason;

                // The platform closes the connection right after sending the answer; stop waiting either way.
                Arrived.Set();
            }
        }
    }
}
