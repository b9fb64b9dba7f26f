using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AliyunIot.HostPorts.Http
{
    /// <summary>
    /// Server-certificate validation that trusts ONLY the given PEM roots (not the machine's store), like the
    /// device with its embedded CA bundle: the chain must end in one of them and the host name must match.
    /// </summary>
    public static class HttpsTrust
    {
        /// <summary>A validation callback for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
        /// <param name="caCertificatesPem">One or more PEM certificates.</param>
        /// <exception cref="ArgumentException">The PEM holds no certificate.</exception>
        public static RemoteCertificateValidationCallback Only(string caCertificatesPem)
        {
            if (string.IsNullOrWhiteSpace(caCertificatesPem))
            {
                throw new ArgumentException("no CA certificates given", nameof(caCertificatesPem));
            }

            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(caCertificatesPem);
            if (roots.Count == 0)
            {
                throw new ArgumentException("no certificate in the PEM", nameof(caCertificatesPem));
            }

            return (sender, certificate, chain, errors) =>
            {
                if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0
                    || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
                {
                    return false;
                }

                using var custom = new X509Chain();
                custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                custom.ChainPolicy.CustomTrustStore.AddRange(roots);
                custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                if (chain != null)
                {
                    foreach (var element in chain.ChainElements)
                    {
                        custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                    }
                }

                using var leaf = new X509Certificate2(certificate);
                return custom.Build(leaf);
            };
        }
    }
}
