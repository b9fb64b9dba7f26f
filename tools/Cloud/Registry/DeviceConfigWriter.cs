using System.Text.Json;
using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Registry
{
    /// <summary>
    /// Writes a registered device's <c>device.json</c> (schema: docs/device-config.md) pointing at the local
    /// broker: its TLS endpoint and the throwaway CA that signed the broker's certificate.
    /// </summary>
    public static class DeviceConfigWriter
    {
        private static readonly JsonSerializerOptions Indented = new JsonSerializerOptions { WriteIndented = true };

        /// <summary>
        /// The sections a caller may add to a config (docs/device-config.md: sensors, ota, limits, clientId,
        /// mqttVersion); identity, secret, endpoint and trust are the cloud's own. They survive a restart's rewrite.
        /// </summary>
        public static readonly IReadOnlySet<string> ExtraSections = new HashSet<string>(StringComparer.Ordinal) { "sensors", "ota", "limits", "clientId", "mqttVersion", "remoteConfig", "logPost" };

        /// <summary>Refuses sections outside <see cref="ExtraSections"/>.</summary>
        /// <exception cref="ArgumentException">Names the first section refused.</exception>
        public static void CheckExtraSections(JsonObject extraSections)
        {
            foreach (var pair in extraSections ?? new JsonObject())
            {
                if (!ExtraSections.Contains(pair.Key))
                {
                    throw new ArgumentException($"section '{pair.Key}' cannot be set at registration; allowed: {string.Join(", ", ExtraSections.Order(StringComparer.Ordinal))}");
                }
            }
        }

        /// <summary>Builds the config text.</summary>
        /// <param name="device">The triple.</param>
        /// <param name="host">Broker host.</param>
        /// <param name="tlsPort">Broker TLS port.</param>
        /// <param name="caCertificatesFile">Path of the CA PEM file the device trusts.</param>
        /// <param name="extraSections">Further top-level sections (e.g. <c>sensors</c>, <c>ota</c>), copied as they are; may be null.</param>
        public static string Build(RegisteredDevice device, string host, int tlsPort, string caCertificatesFile, JsonObject extraSections) =>
            Build(device.ProductKey, device.DeviceName, new JsonObject { ["deviceSecret"] = device.DeviceSecret }, host, tlsPort, caCertificatesFile, extraSections);

        /// <summary>
        /// Builds the config of a device that is to register itself (docs/device-config.md "Dynamic registration"):
        /// the ProductSecret and <c>registration</c> (<c>"mqtt"</c> pre-registered, <c>"mqtt-nwl"</c> without
        /// pre-registration) instead of a DeviceSecret; the firmware replaces them with its credential.
        /// </summary>
        public static string BuildForRegistration(string productKey, string deviceName, string productSecret, string registration, string host, int tlsPort, string caCertificatesFile) =>
            Build(productKey, deviceName, new JsonObject { ["productSecret"] = productSecret, ["registration"] = registration }, host, tlsPort, caCertificatesFile, null);

        private static string Build(string productKey, string deviceName, JsonObject credential, string host, int tlsPort, string caCertificatesFile, JsonObject extraSections)
        {
            var config = new JsonObject
            {
                ["productKey"] = productKey,
                ["deviceName"] = deviceName,
            };
            foreach (var pair in credential)
            {
                config[pair.Key] = pair.Value?.DeepClone();
            }

            foreach (var pair in new JsonObject
            {
                ["endpoint"] = new JsonObject { ["host"] = host, ["port"] = tlsPort },
                ["secureMode"] = "tls",
                ["signMethod"] = "hmacsha256",
                ["keepAliveSeconds"] = 60,
                ["caCertificatesFile"] = caCertificatesFile,
            })
            {
                config[pair.Key] = pair.Value?.DeepClone();
            }

            if (extraSections != null)
            {
                foreach (var pair in extraSections)
                {
                    config[pair.Key] = pair.Value?.DeepClone();
                }
            }

            return config.ToJsonString(Indented);
        }

        /// <summary>
        /// Writes the config atomically (new 0600 file, then rename) into <paramref name="directory"/>, a folder
        /// inside <paramref name="root"/> (never through a symbolic link), and returns its path.
        /// </summary>
        public static string Write(string root, string directory, RegisteredDevice device, string host, int tlsPort, string caCertificatesFile, JsonObject extraSections)
        {
            string path = Path.Combine(directory, "device.json");
            PrivateFiles.WriteAllText(root, path, Build(device, host, tlsPort, caCertificatesFile, extraSections));
            return path;
        }
    }
}
