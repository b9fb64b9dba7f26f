using System.Collections;
using AliyunIot.Crypto;
using AliyunIot.Ports;

namespace AliyunIot.Config
{
    /// <summary>
    /// The MQTT connection fields of device.json: where the broker is and how to talk to it.
    /// </summary>
    internal static class ConnectionSection
    {
        /// <summary>endpoint: instanceId, region or host (and port), giving the broker host and default port.</summary>
        internal static void ReadEndpoint(Hashtable root, DeviceConfig config)
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

            config.InstanceId = ConfigFields.OptionalString(endpoint, "instanceId", "endpoint.instanceId", "must be 1-64 letters, digits, - or _");
            config.Region = ConfigFields.OptionalString(endpoint, "region", "endpoint.region", "must be a region id such as cn-shanghai (letters, digits and -)");
            string host = ConfigFields.OptionalString(endpoint, "host", "endpoint.host", "must be a host name or address (1-253 characters, no spaces)");

            if (config.InstanceId != null && !PlatformIdentifiers.IsToken(config.InstanceId, 1, 64))
            {
                throw new ConfigException("endpoint.instanceId", "must be 1-64 letters, digits, - or _");
            }

            if (config.Region != null && !PlatformIdentifiers.IsRegion(config.Region))
            {
                throw new ConfigException("endpoint.region", "must be a region id such as cn-shanghai (letters, digits and -)");
            }

            if (host != null && !PlatformIdentifiers.IsHost(host))
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

            config.Port = ConfigFields.OptionalInt(endpoint, "port", "endpoint.port", 1, 65535, defaultPort, "must be an integer 1..65535");
        }

        /// <summary>secureMode, signMethod, clientId, keepAliveSeconds, mqttVersion, cleanSession (after the endpoint: the
        /// port default depends on TLS).</summary>
        internal static void ReadTransport(Hashtable root, DeviceConfig config, ILog log)
        {
            string secureMode = ConfigFields.OptionalString(root, "secureMode", "secureMode", "must be \"tls\" or \"tcp\"");
            bool allowPlainTcp = ConfigFields.OptionalBool(root, "allowPlainTcp", "allowPlainTcp", false);
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
                ConfigFields.Warn(config, log, "plain TCP (securemode=3) is enabled: traffic, including the signed password, is not encrypted");
            }
            else
            {
                throw new ConfigException("secureMode", "must be \"tls\" or \"tcp\"");
            }

            if (config.Port == 0)
            {
                config.Port = config.UseTls ? DeviceConfig.DefaultTlsPort : DeviceConfig.LegacyPort;
            }

            string signMethod = ConfigFields.OptionalString(root, "signMethod", "signMethod", "must be \"hmacsha256\", \"hmacsha1\" or \"hmacmd5\"");
            if (signMethod != null)
            {
                SignMethod method;
                if (signMethod != signMethod.ToLower() || !Signer.TryParse(signMethod, out method))
                {
                    throw new ConfigException("signMethod", "must be \"hmacsha256\", \"hmacsha1\" or \"hmacmd5\"");
                }

                config.SignMethod = method;
            }

            string clientId = ConfigFields.OptionalString(root, "clientId", "clientId", "must be 1-64 characters without | , or =");
            if (clientId == null)
            {
                clientId = config.ProductKey + "." + config.DeviceName;
                if (clientId.Length > DeviceConfigParser.MaxClientIdLength)
                {
                    throw new ConfigException("clientId", "the default {productKey}.{deviceName} is longer than 64 characters; set clientId (1-64 characters without | , or =)");
                }
            }
            else if (!PlatformIdentifiers.IsClientId(clientId))
            {
                throw new ConfigException("clientId", "must be 1-64 characters without | , or =");
            }

            config.ClientId = clientId;
            config.KeepAliveSeconds = ConfigFields.OptionalInt(root, "keepAliveSeconds", "keepAliveSeconds", 30, 1200, 120, "must be an integer 30..1200 (the platform's range)");

            string mqttVersion = ConfigFields.OptionalString(root, "mqttVersion", "mqttVersion", "must be \"3.1.1\" or \"5\"");
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

            config.CleanSession = ConfigFields.OptionalBool(root, "cleanSession", "cleanSession", true);
        }
    }
}
