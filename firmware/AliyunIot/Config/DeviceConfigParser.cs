using System;
using System.Collections;
using System.Text;
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

            config.ProductKey = ConfigFields.RequiredString(root, "productKey", "productKey", "is required (1-64 letters, digits, - or _)");
            if (!PlatformIdentifiers.IsToken(config.ProductKey, 1, 64))
            {
                throw new ConfigException("productKey", "must be 1-64 letters, digits, - or _");
            }

            config.DeviceName = ConfigFields.RequiredString(root, "deviceName", "deviceName", "is required (4-32 letters, digits or - _ @ . :)");
            if (!IsDeviceName(config.DeviceName))
            {
                throw new ConfigException("deviceName", "must be 4-32 letters, digits or - _ @ . :");
            }

            CredentialsSection.Read(root, config);
            ConnectionSection.ReadEndpoint(root, config);
            ConnectionSection.ReadTransport(root, config, _log);
            CredentialsSection.ReadRegistrationTarget(root, config);
            NetworkAccessSection.Read(root, config);
            config.Profile = BoardSection.ReadProfile(root);
            if (config.Profile != null)
            {
                BoardBudget.ApplyDefaults(config.Profile, config.Limits);
            }

            BoardSection.ReadLimits(root, config.Limits);

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

            string[] known = KnownKeys();
            foreach (object key in root.Keys)
            {
                string name = key as string;
                if (name != null && !IsKnownKey(name, known))
                {
                    ConfigFields.Warn(config, _log, "unknown field \"" + name + "\" ignored");
                }
            }

            return config;
        }

        // The top-level fields this version knows. Built per call, not kept in a static: nanoCLR runs static
        // constructors at boot and keeps what they allocate for the whole run (a string[25] with its strings, ~620 B),
        // while this list is needed only while device.json is parsed (docs/board.md, "Update tiers per profile").
        private static string[] KnownKeys()
        {
            return new string[]
            {
                "productKey", "deviceName", "deviceSecret", "productSecret", "registration", "registrationUrl", "deviceToken",
                "endpoint", "secureMode", "allowPlainTcp", "signMethod", "clientId", "keepAliveSeconds", "mqttVersion",
                "cleanSession", "wifi", "caCertificates", "caCertificatesFile", "limits", "sensors", "ota", "board", "profile",
                "remoteConfig", "logPost",
            };
        }

        private static bool IsKnownKey(string name, string[] known)
        {
            for (int i = 0; i < known.Length; i++)
            {
                if (known[i] == name)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>DeviceName rule of the platform: 4–32 letters, digits and <c>- _ @ . :</c>.</summary>
        public static bool IsDeviceName(string text)
        {
            return PlatformIdentifiers.IsDeviceName(text);
        }

        /// <summary>clientId rule: 1–64 characters, none of <c>|</c>, <c>,</c>, <c>=</c> (they delimit the extension block) and no control characters.</summary>
        public static bool IsClientId(string text)
        {
            return PlatformIdentifiers.IsClientId(text);
        }
    }
}
