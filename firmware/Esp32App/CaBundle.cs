using System;
using System.IO;
using AliyunIot.Config;
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
        /// <exception cref="ConfigException">caCertificatesFile is set but missing, unreadable or without a certificate:
        /// the application stops with the field named (the loader prints it) instead of trusting the public roots.</exception>
        public static string Resolve(string overridePem, string overrideFile, ILog log)
        {
            if (overridePem != null && overridePem.IndexOf("-----BEGIN CERTIFICATE-----") >= 0)
            {
                log.Write(LogLevel.Info, "tls", "Trusting the CA certificates from device.json (caCertificates).");
                return overridePem;
            }

            if (overrideFile != null && overrideFile.Length > 0)
            {
                // The user pinned their own roots: a missing or empty file must not widen trust to the public roots.
                string pem = null;
                try
                {
                    pem = File.Exists(overrideFile) ? File.ReadAllText(overrideFile) : null;
                }
                catch (Exception e)
                {
                    throw new ConfigException("caCertificatesFile", overrideFile + " cannot be read (" + e.GetType().Name + "); not falling back to the embedded public roots");
                }

                if (pem == null || pem.IndexOf("-----BEGIN CERTIFICATE-----") < 0)
                {
                    throw new ConfigException("caCertificatesFile", overrideFile + " is missing or holds no PEM certificate; not falling back to the embedded public roots");
                }

                log.Write(LogLevel.Info, "tls", "Trusting the CA certificates from " + overrideFile + ".");
                return pem;
            }

            return EmbeddedCaBundle.Pem;
        }
    }
}
