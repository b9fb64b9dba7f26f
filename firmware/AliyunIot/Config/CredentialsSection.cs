using System.Collections;
using AliyunIot.Alink;

namespace AliyunIot.Config
{
    /// <summary>
    /// The identity's credential fields of device.json: which secret the device holds, how it registers, where.
    /// </summary>
    internal static class CredentialsSection
    {
        private const string CredentialChoice = "deviceSecret, or productSecret with registration, or deviceToken with clientId";

        /// <summary>deviceSecret / productSecret / deviceToken (exactly one) and the registration mode they allow.</summary>
        internal static void Read(Hashtable root, DeviceConfig config)
        {
            config.DeviceSecret = ConfigFields.OptionalSecret(root, "deviceSecret");
            config.ProductSecret = ConfigFields.OptionalSecret(root, "productSecret");
            config.DeviceToken = ConfigFields.OptionalSecret(root, "deviceToken");

            int count = (config.DeviceSecret != null ? 1 : 0) + (config.ProductSecret != null ? 1 : 0) + (config.DeviceToken != null ? 1 : 0);
            if (count == 0)
            {
                throw new ConfigException("deviceSecret", "is required (or productSecret with registration \"https\", \"mqtt\" or \"mqtt-nwl\", or deviceToken with clientId)");
            }

            if (count > 1)
            {
                throw new ConfigException("deviceSecret", "give only one of " + CredentialChoice);
            }

            string registration = ConfigFields.OptionalString(root, "registration", "registration", "must be \"https\", \"mqtt\" or \"mqtt-nwl\"");
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

        /// <summary>registrationUrl, checked against the registration mode and the transport (read after both).</summary>
        internal static void ReadRegistrationTarget(Hashtable root, DeviceConfig config)
        {
            config.RegistrationUrl = ConfigFields.OptionalString(root, "registrationUrl", "registrationUrl", "must be an https:// URL");
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
    }
}
