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

        /// <summary>Builds the config text.</summary>
        /// <param name="device">The triple.</param>
        /// <param name="host">Broker host.</param>
        /// <param name="tlsPort">Broker TLS port.</param>
        /// <param name="caCertificatesFile">Path of the CA PEM file the device trusts.</param>
        /// <param name="extraSections">Further top-level sections (e.g. <c>sensors</c>, <c>ota</c>), copied as they are; may be null.</param>
        public static string Build(RegisteredDevice device, string host, int tlsPort, string caCertificatesFile, JsonObject extraSections)
        {
            var config = new JsonObject
            {
                ["productKey"] = device.ProductKey,
                ["deviceName"] = device.DeviceName,
                ["deviceSecret"] = device.DeviceSecret,
                ["endpoint"] = new JsonObject { ["host"] = host, ["port"] = tlsPort },
                ["secureMode"] = "tls",
                ["signMethod"] = "hmacsha256",
                ["keepAliveSeconds"] = 60,
                ["caCertificatesFile"] = caCertificatesFile,
            };
            if (extraSections != null)
            {
                foreach (var pair in extraSections)
                {
                    config[pair.Key] = pair.Value?.DeepClone();
                }
            }

            return config.ToJsonString(Indented);
        }

        /// <summary>Writes the config (it holds the device secret) atomically, mode 0600, and returns its path.</summary>
        public static string Write(string directory, RegisteredDevice device, string host, int tlsPort, string caCertificatesFile, JsonObject extraSections)
        {
            CreatePrivateDirectory(directory);
            string path = Path.Combine(directory, "device.json");
            AliyunIot.TestBroker.PrivateFiles.WriteAllText(path, Build(device, host, tlsPort, caCertificatesFile, extraSections));
            return path;
        }

        /// <summary>Creates <paramref name="directory"/> with mode 0700 (an existing one keeps its mode).</summary>
        internal static void CreatePrivateDirectory(string directory)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, AliyunIot.TestBroker.PrivateFiles.FolderMode);
            }
        }
    }
}
