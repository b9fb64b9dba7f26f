using System;
using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Crypto;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Config
{
    /// <summary>
    /// Turns device.json into a validated <see cref="DeviceConfig"/>. The first bad or missing field stops the
    /// parse with one <see cref="ConfigException"/> that names the field and the allowed values; secret values
    /// are never quoted. Schema, defaults and ranges: docs/device-config.md.
    /// </summary>
    public sealed class DeviceConfigParser
    {
        /// <summary>Largest device.json accepted (characters).</summary>
        public const int MaxDocumentLength = 65536;

        /// <summary>Longest clientId the platform accepts.</summary>
        public const int MaxClientIdLength = 64;

        /// <summary>Deepest nesting accepted (sensor and OTA sections included).</summary>
        public const int MaxDepth = 16;

        private const string CredentialChoice = "deviceSecret, or productSecret with registration, or deviceToken with clientId";

        private static readonly string[] KnownKeys = new string[]
        {
            "productKey", "deviceName", "deviceSecret", "productSecret", "registration", "registrationUrl", "deviceToken",
            "endpoint", "secureMode", "allowPlainTcp", "signMethod", "clientId", "keepAliveSeconds", "mqttVersion",
            "cleanSession", "wifi", "caCertificates", "caCertificatesFile", "limits", "sensors", "ota", "board", "profile",
            "remoteConfig", "logPost",
        };

        private readonly ILog _log;

        /// <summary>Creates a parser.</summary>
        /// <param name="log">Receives warnings (plain TCP, unknown fields); may be null.</param>
        public DeviceConfigParser(ILog log)
        {
            _log = log;
        }

        /// <summary>Parses and validates device.json text.</summary>
        /// <exception cref="ConfigException">The text is not a valid config.</exception>
        public DeviceConfig Parse(string jsonText)
        {
            if (jsonText == null || jsonText.Trim().Length == 0)
            {
                throw new ConfigException("device.json", "is empty; expected a JSON object with productKey, deviceName, endpoint and a credential");
            }

            if (jsonText.Length > MaxDocumentLength)
            {
                throw new ConfigException("device.json", "is larger than " + MaxDocumentLength.ToString() + " characters");
            }

            byte[] utf8 = Encoding.UTF8.GetBytes(jsonText);
            string refusal = JsonGuard.Check(utf8, 0, utf8.Length, MaxDocumentLength * 3, MaxDepth);
            if (refusal != null)
            {
                throw new ConfigException("device.json", "is not valid JSON (" + refusal + ")");
            }

            // The core's parser (the same on the device): its problems never quote the text, and so no secret.
            object root = JsonTree.Parse(utf8, 0, utf8.Length, MaxDepth, out refusal);
            if (refusal != null)
            {
                throw new ConfigException("device.json", "is not valid JSON (" + refusal + ")");
            }

            Hashtable table = root as Hashtable;
            if (table == null)
            {
                throw new ConfigException("device.json", "must be a JSON object");
            }

            return Parse(table);
        }

        /// <summary>Validates an already parsed document.</summary>
        /// <exception cref="ConfigException">The document is not a valid config.</exception>
        public DeviceConfig Parse(Hashtable root)
        {
            if (root == null)
            {
                throw new ConfigException("device.json", "must be a JSON object");
            }

            DeviceConfig config = new DeviceConfig();
            config.Raw = root;

            config.ProductKey = RequiredString(root, "productKey", "productKey", "is required (1-64 letters, digits, - or _)");
            if (!IsToken(config.ProductKey, 1, 64))
            {
                throw new ConfigException("productKey", "must be 1-64 letters, digits, - or _");
            }

            config.DeviceName = RequiredString(root, "deviceName", "deviceName", "is required (4-32 letters, digits or - _ @ . :)");
            if (!IsDeviceName(config.DeviceName))
            {
                throw new ConfigException("deviceName", "must be 4-32 letters, digits or - _ @ . :");
            }

            ParseCredentials(root, config);
            ParseEndpoint(root, config);
            ParseTransport(root, config);
            ParseRegistrationTarget(root, config);
            ParseOptional(root, config);
            config.Profile = ParseProfile(root);
            if (config.Profile != null)
            {
                BoardBudget.ApplyDefaults(config.Profile, config.Limits);
            }

            ParseLimits(root, config.Limits);

            object sensors = root["sensors"];
            if (sensors != null)
            {
                config.Sensors = sensors as ArrayList;
                if (config.Sensors == null)
                {
                    throw new ConfigException("sensors", "must be an array");
                }
            }

            object ota = root["ota"];
            if (ota != null)
            {
                config.Ota = ota as Hashtable;
                if (config.Ota == null)
                {
                    throw new ConfigException("ota", "must be an object");
                }
            }

            // Without a profile (a device.json written by hand) nothing is checked against a board.
            if (config.Profile != null)
            {
                config.Ota = BoardBudget.OtaWithDefaults(config.Profile, config.Ota);
                BoardBudget.Check(config.Profile, config.Limits, config.Ota);
            }

            foreach (object key in root.Keys)
            {
                string name = key as string;
                if (name != null && !IsKnownKey(name))
                {
                    Warn(config, "unknown field \"" + name + "\" ignored");
                }
            }

            return config;
        }

        private static void ParseCredentials(Hashtable root, DeviceConfig config)
        {
            config.DeviceSecret = OptionalSecret(root, "deviceSecret");
            config.ProductSecret = OptionalSecret(root, "productSecret");
            config.DeviceToken = OptionalSecret(root, "deviceToken");

            int count = (config.DeviceSecret != null ? 1 : 0) + (config.ProductSecret != null ? 1 : 0) + (config.DeviceToken != null ? 1 : 0);
            if (count == 0)
            {
                throw new ConfigException("deviceSecret", "is required (or productSecret with registration \"https\", \"mqtt\" or \"mqtt-nwl\", or deviceToken with clientId)");
            }

            if (count > 1)
            {
                throw new ConfigException("deviceSecret", "give only one of " + CredentialChoice);
            }

            string registration = OptionalString(root, "registration", "registration", "must be \"https\", \"mqtt\" or \"mqtt-nwl\"");
            if (registration == null)
            {
                if (config.ProductSecret != null)
                {
                    throw new ConfigException("registration", "is required with productSecret; allowed: \"https\", \"mqtt\", \"mqtt-nwl\"");
                }

                config.Registration = RegistrationMode.None;
            }
            else
            {
                if (config.ProductSecret == null)
                {
                    throw new ConfigException("registration", "is only allowed together with productSecret");
                }

                if (registration == "https")
                {
                    config.Registration = RegistrationMode.Https;
                }
                else if (registration == "mqtt")
                {
                    config.Registration = RegistrationMode.Mqtt;
                }
                else if (registration == "mqtt-nwl")
                {
                    config.Registration = RegistrationMode.MqttNoPreRegistration;
                }
                else
                {
                    throw new ConfigException("registration", "must be \"https\", \"mqtt\" or \"mqtt-nwl\"");
                }
            }

            if (config.DeviceToken != null && root["clientId"] == null)
            {
                throw new ConfigException("clientId", "is required with deviceToken (the clientId returned by registration)");
            }
        }

        private static void ParseEndpoint(Hashtable root, DeviceConfig config)
        {
            object value = root["endpoint"];
            if (value == null)
            {
                throw new ConfigException("endpoint", "is required: {\"instanceId\"}, {\"region\"} or {\"host\", \"port\"}");
            }

            Hashtable endpoint = value as Hashtable;
            if (endpoint == null)
            {
                throw new ConfigException("endpoint", "must be an object with instanceId, region or host (and optional port)");
            }

            config.InstanceId = OptionalString(endpoint, "instanceId", "endpoint.instanceId", "must be 1-64 letters, digits, - or _");
            config.Region = OptionalString(endpoint, "region", "endpoint.region", "must be a region id such as cn-shanghai (letters, digits and -)");
            string host = OptionalString(endpoint, "host", "endpoint.host", "must be a host name or address (1-253 characters, no spaces)");

            if (config.InstanceId != null && !IsToken(config.InstanceId, 1, 64))
            {
                throw new ConfigException("endpoint.instanceId", "must be 1-64 letters, digits, - or _");
            }

            if (config.Region != null && !IsRegion(config.Region))
            {
                throw new ConfigException("endpoint.region", "must be a region id such as cn-shanghai (letters, digits and -)");
            }

            if (host != null && !IsHost(host))
            {
                throw new ConfigException("endpoint.host", "must be a host name or address (1-253 characters, no spaces)");
            }

            if (host != null && config.InstanceId != null)
            {
                throw new ConfigException("endpoint", "give only one of instanceId, region or host");
            }

            if (host == null && config.InstanceId == null && config.Region == null)
            {
                throw new ConfigException("endpoint", "is required: {\"instanceId\"}, {\"region\"} or {\"host\", \"port\"}");
            }

            int defaultPort;
            if (host != null)
            {
                config.Host = host;
                defaultPort = 0; // decided once the secure mode is known
            }
            else if (config.InstanceId != null)
            {
                config.Host = config.InstanceId + ".mqtt.iothub.aliyuncs.com";
                defaultPort = DeviceConfig.DefaultTlsPort;
            }
            else
            {
                config.Host = config.ProductKey + ".iot-as-mqtt." + config.Region + ".aliyuncs.com";
                defaultPort = DeviceConfig.LegacyPort;
            }

            config.Port = OptionalInt(endpoint, "port", "endpoint.port", 1, 65535, defaultPort, "must be an integer 1..65535");
        }

        private void ParseTransport(Hashtable root, DeviceConfig config)
        {
            string secureMode = OptionalString(root, "secureMode", "secureMode", "must be \"tls\" or \"tcp\"");
            bool allowPlainTcp = OptionalBool(root, "allowPlainTcp", "allowPlainTcp", false);
            if (secureMode == null || secureMode == "tls")
            {
                config.UseTls = true;
            }
            else if (secureMode == "tcp")
            {
                if (!allowPlainTcp)
                {
                    throw new ConfigException("secureMode", "\"tcp\" requires \"allowPlainTcp\": true (plain TCP is closed to new devices and sends everything in clear)");
                }

                config.UseTls = false;
                Warn(config, "plain TCP (securemode=3) is enabled: traffic, including the signed password, is not encrypted");
            }
            else
            {
                throw new ConfigException("secureMode", "must be \"tls\" or \"tcp\"");
            }

            if (config.Port == 0)
            {
                config.Port = config.UseTls ? DeviceConfig.DefaultTlsPort : DeviceConfig.LegacyPort;
            }

            string signMethod = OptionalString(root, "signMethod", "signMethod", "must be \"hmacsha256\", \"hmacsha1\" or \"hmacmd5\"");
            if (signMethod != null)
            {
                SignMethod method;
                if (signMethod != signMethod.ToLower() || !Signer.TryParse(signMethod, out method))
                {
                    throw new ConfigException("signMethod", "must be \"hmacsha256\", \"hmacsha1\" or \"hmacmd5\"");
                }

                config.SignMethod = method;
            }

            string clientId = OptionalString(root, "clientId", "clientId", "must be 1-64 characters without | , or =");
            if (clientId == null)
            {
                clientId = config.ProductKey + "." + config.DeviceName;
                if (clientId.Length > MaxClientIdLength)
                {
                    throw new ConfigException("clientId", "the default {productKey}.{deviceName} is longer than 64 characters; set clientId (1-64 characters without | , or =)");
                }
            }
            else if (!IsClientId(clientId))
            {
                throw new ConfigException("clientId", "must be 1-64 characters without | , or =");
            }

            config.ClientId = clientId;
            config.KeepAliveSeconds = OptionalInt(root, "keepAliveSeconds", "keepAliveSeconds", 30, 1200, 120, "must be an integer 30..1200 (the platform's range)");

            string mqttVersion = OptionalString(root, "mqttVersion", "mqttVersion", "must be \"3.1.1\" or \"5\"");
            if (mqttVersion == null || mqttVersion == "3.1.1")
            {
                config.ProtocolVersion = 4;
            }
            else if (mqttVersion == "5")
            {
                config.ProtocolVersion = 5;
            }
            else
            {
                throw new ConfigException("mqttVersion", "must be \"3.1.1\" or \"5\"");
            }

            config.CleanSession = OptionalBool(root, "cleanSession", "cleanSession", true);
        }

        private static void ParseRegistrationTarget(Hashtable root, DeviceConfig config)
        {
            config.RegistrationUrl = OptionalString(root, "registrationUrl", "registrationUrl", "must be an https:// URL");
            if (config.RegistrationUrl != null && !OrdinalText.StartsWith(config.RegistrationUrl, "https://"))
            {
                throw new ConfigException("registrationUrl", "must be an https:// URL");
            }

            if (config.Registration == RegistrationMode.Https && config.RegistrationUrl == null && config.Region == null)
            {
                throw new ConfigException("registrationUrl", "is required for \"https\" registration unless endpoint.region is set");
            }

            if ((config.Registration == RegistrationMode.Mqtt || config.Registration == RegistrationMode.MqttNoPreRegistration) && !config.UseTls)
            {
                throw new ConfigException("registration", "over MQTT requires secureMode \"tls\" (the platform refuses registration over plain TCP)");
            }
        }

        private static void ParseOptional(Hashtable root, DeviceConfig config)
        {
            object wifiValue = root["wifi"];
            if (wifiValue != null)
            {
                Hashtable wifi = wifiValue as Hashtable;
                if (wifi == null)
                {
                    throw new ConfigException("wifi", "must be an object {\"ssid\", \"password\"}");
                }

                string ssid = OptionalString(wifi, "ssid", "wifi.ssid", "must be 1-32 characters");
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

            config.CaCertificatesPem = OptionalString(root, "caCertificates", "caCertificates", "must be PEM text containing -----BEGIN CERTIFICATE-----");
            if (config.CaCertificatesPem != null && config.CaCertificatesPem.IndexOf("-----BEGIN CERTIFICATE-----") < 0)
            {
                throw new ConfigException("caCertificates", "must be PEM text containing -----BEGIN CERTIFICATE-----");
            }

            config.CaCertificatesFile = OptionalString(root, "caCertificatesFile", "caCertificatesFile", "must be a non-empty file path");
            if (config.CaCertificatesFile != null && config.CaCertificatesFile.Trim().Length == 0)
            {
                throw new ConfigException("caCertificatesFile", "must be a non-empty file path");
            }

            if (config.CaCertificatesPem != null && config.CaCertificatesFile != null)
            {
                throw new ConfigException("caCertificates", "give only one of caCertificates or caCertificatesFile");
            }
        }

        private static BoardProfile ParseProfile(Hashtable root)
        {
            object value = root["profile"];
            if (value == null)
            {
                return null;
            }

            BoardProfile profile = BoardProfile.Find(value as string);
            if (profile == null)
            {
                throw new ConfigException("profile", "must be one of " + BoardProfile.Names);
            }

            return profile;
        }

        private static void ParseLimits(Hashtable root, DeviceLimits limits)
        {
            object value = root["limits"];
            if (value == null)
            {
                return;
            }

            Hashtable table = value as Hashtable;
            if (table == null)
            {
                throw new ConfigException("limits", "must be an object");
            }

            limits.MaxPayloadBytes = OptionalInt(table, "maxPayloadBytes", "limits.maxPayloadBytes", 256, DeviceLimits.PlatformMaxPayloadBytes, limits.MaxPayloadBytes, "must be an integer 256..262144 (the platform's limit is 256 KB)");
            limits.InFlightWindow = OptionalInt(table, "inFlightWindow", "limits.inFlightWindow", 1, 100, limits.InFlightWindow, "must be an integer 1..100");
            limits.OfflineQueueLength = OptionalInt(table, "offlineQueueLength", "limits.offlineQueueLength", 0, 10000, limits.OfflineQueueLength, "must be an integer 0..10000");
            limits.OfflineQueueBytes = OptionalInt(table, "offlineQueueBytes", "limits.offlineQueueBytes", 0, 16777216, limits.OfflineQueueBytes, "must be an integer 0..16777216");
            if (table["inboundQueueBytes"] == null)
            {
                // Room for at least one message of the largest accepted size.
                if (limits.InboundQueueBytes < limits.MaxPayloadBytes)
                {
                    limits.InboundQueueBytes = limits.MaxPayloadBytes;
                }
            }
            else
            {
                limits.InboundQueueBytes = OptionalInt(table, "inboundQueueBytes", "limits.inboundQueueBytes", 1024, 16777216, limits.InboundQueueBytes, "must be an integer 1024..16777216");
                if (limits.InboundQueueBytes < limits.MaxPayloadBytes)
                {
                    throw new ConfigException("limits.inboundQueueBytes", "is " + limits.InboundQueueBytes.ToString() + " B, less than one message of limits.maxPayloadBytes (" + limits.MaxPayloadBytes.ToString() + " B)");
                }
            }

            string policy = OptionalString(table, "offlineDropPolicy", "limits.offlineDropPolicy", "must be \"dropOldest\" or \"rejectNew\"");
            if (policy == "rejectNew")
            {
                limits.OfflineDropPolicy = OfflineDropPolicy.RejectNew;
            }
            else if (policy != null && policy != "dropOldest")
            {
                throw new ConfigException("limits.offlineDropPolicy", "must be \"dropOldest\" or \"rejectNew\"");
            }

            limits.MessagesPerSecond = OptionalInt(table, "messagesPerSecond", "limits.messagesPerSecond", 1, DeviceLimits.PlatformMaxMessagesPerSecond, limits.MessagesPerSecond, "must be an integer 1..30 (the platform drops more than 30 per second)");
            limits.RequestTimeoutMs = OptionalInt(table, "requestTimeoutMs", "limits.requestTimeoutMs", 1000, 120000, limits.RequestTimeoutMs, "must be an integer 1000..120000");
            limits.BackoffBaseMs = OptionalInt(table, "backoffBaseMs", "limits.backoffBaseMs", 100, 60000, limits.BackoffBaseMs, "must be an integer 100..60000");
            limits.BackoffCapMs = OptionalInt(table, "backoffCapMs", "limits.backoffCapMs", 100, 3600000, limits.BackoffCapMs, "must be an integer 100..3600000, at least limits.backoffBaseMs");
            if (limits.BackoffCapMs < limits.BackoffBaseMs)
            {
                throw new ConfigException("limits.backoffCapMs", "must be an integer 100..3600000, at least limits.backoffBaseMs");
            }

            limits.StableAfterMs = OptionalInt(table, "stableAfterMs", "limits.stableAfterMs", 1000, 3600000, limits.StableAfterMs, "must be an integer 1000..3600000");
        }

        private void Warn(DeviceConfig config, string warning)
        {
            config.Warnings.Add(warning);
            if (_log != null)
            {
                _log.Write(LogLevel.Warning, "config", warning);
            }
        }

        private static string RequiredString(Hashtable table, string key, string field, string missingMessage)
        {
            object value = table[key];
            if (value == null)
            {
                throw new ConfigException(field, missingMessage);
            }

            string text = value as string;
            if (text == null)
            {
                throw new ConfigException(field, "must be a string");
            }

            return text;
        }

        private static string OptionalString(Hashtable table, string key, string field, string message)
        {
            object value = table[key];
            if (value == null)
            {
                return null;
            }

            string text = value as string;
            if (text == null)
            {
                throw new ConfigException(field, message);
            }

            return text;
        }

        // A secret's value is never part of a message, whatever is wrong with it.
        private static string OptionalSecret(Hashtable table, string key)
        {
            object value = table[key];
            if (value == null)
            {
                return null;
            }

            string text = value as string;
            if (text == null || text.Length == 0 || text.Length > 128)
            {
                throw new ConfigException(key, "must be a string of 1-128 characters");
            }

            return text;
        }

        private static bool OptionalBool(Hashtable table, string key, string field, bool defaultValue)
        {
            object value = table[key];
            if (value == null)
            {
                return defaultValue;
            }

            if (!(value is bool))
            {
                throw new ConfigException(field, "must be true or false");
            }

            return (bool)value;
        }

        private static int OptionalInt(Hashtable table, string key, string field, int min, int max, int defaultValue, string message)
        {
            object value = table[key];
            if (value == null)
            {
                return defaultValue;
            }

            long number;
            if (value is int)
            {
                number = (int)value;
            }
            else if (value is long)
            {
                number = (long)value;
            }
            else
            {
                throw new ConfigException(field, message);
            }

            if (number < min || number > max)
            {
                throw new ConfigException(field, message);
            }

            return (int)number;
        }

        private static bool IsKnownKey(string name)
        {
            for (int i = 0; i < KnownKeys.Length; i++)
            {
                if (KnownKeys[i] == name)
                {
                    return true;
                }
            }

            return false;
        }

        // The platform's identifier rules differ only in length and in the punctuation allowed besides letters and digits.
        private static bool IsMadeOf(string text, int minLength, int maxLength, string punctuation)
        {
            if (text == null || text.Length < minLength || text.Length > maxLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (!letterOrDigit && punctuation.IndexOf(c) < 0)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsToken(string text, int minLength, int maxLength)
        {
            return IsMadeOf(text, minLength, maxLength, "-_");
        }

        /// <summary>DeviceName rule of the platform: 4–32 letters, digits and <c>- _ @ . :</c>.</summary>
        public static bool IsDeviceName(string text)
        {
            return IsMadeOf(text, 4, 32, "-_@.:");
        }

        /// <summary>clientId rule: 1–64 characters, none of <c>|</c>, <c>,</c>, <c>=</c> (they delimit the extension block) and no control characters.</summary>
        public static bool IsClientId(string text)
        {
            if (text == null || text.Length == 0 || text.Length > MaxClientIdLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '|' || c == ',' || c == '=' || c < ' ')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsRegion(string text)
        {
            return IsMadeOf(text, 2, 32, "-");
        }

        private static bool IsHost(string text)
        {
            return IsMadeOf(text, 1, 253, "-.:_");
        }
    }
}
