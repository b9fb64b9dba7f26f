using System;
using System.IO;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// The trusted roots for MQTT-TLS and HTTPS: by default the five-root bundle embedded in this assembly
    /// (firmware/AliyunIot/Resources/aliyun-ca-bundle.pem compiled in as EmbeddedCaBundle, see docs/board.md), overridable from device.json —
    /// <c>caCertificates</c> (PEM text) or <c>caCertificatesFile</c> (a PEM file on I:\) — so a root can be
    /// rotated without a firmware update.
    /// </summary>
    /// <remarks>
    /// A CA bundle written to the device's certificate store with <c>nanoff --networkdeployment</c> is ALSO trusted:
    /// the native TLS layer always loads the stored bundle in addition to the one passed here (notes §A.8).
    /// </remarks>
    public static class CaBundle
    {
        /// <summary>The PEM to trust, chosen in the order override text → override file → embedded bundle.</summary>
        /// <param name="overridePem">PEM text from the config, or null.</param>
        /// <param name="overrideFile">Path of a PEM file from the config, or null.</param>
        /// <param name="log">Where the choice is reported.</param>
        /// <returns>PEM text, never null.</returns>
        public static string Resolve(string overridePem, string overrideFile, ILog log)
        {
            if (overridePem != null && overridePem.IndexOf("-----BEGIN CERTIFICATE-----") >= 0)
            {
                log.Write(LogLevel.Info, "tls", "Trusting the CA certificates from device.json (caCertificates).");
                return overridePem;
            }

            if (overrideFile != null && overrideFile.Length > 0)
            {
                try
                {
                    if (File.Exists(overrideFile))
                    {
                        string pem = File.ReadAllText(overrideFile);
                        if (pem != null && pem.IndexOf("-----BEGIN CERTIFICATE-----") >= 0)
                        {
                            log.Write(LogLevel.Info, "tls", "Trusting the CA certificates from " + overrideFile + ".");
                            return pem;
                        }
                    }

                    log.Write(LogLevel.Warning, "tls", "caCertificatesFile " + overrideFile + " is missing or holds no PEM certificate; using the embedded bundle.");
                }
                catch (Exception e)
                {
                    log.Write(LogLevel.Warning, "tls", "Could not read " + overrideFile + " (" + e.GetType().Name + "); using the embedded bundle.");
                }
            }

            return EmbeddedCaBundle.Pem;
        }
    }
}
