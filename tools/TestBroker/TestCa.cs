using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AliyunIot.TestBroker
{
    /// <summary>
    /// A throwaway certificate authority made in memory for one test run (ECDSA P-256, valid from yesterday for 30
    /// days), issuing server certificates for the test broker and HTTPS test servers. Nothing touches the machine's
    /// trust store: clients trust <see cref="CertificatePem"/> explicitly.
    /// </summary>
    public sealed class TestCa : IDisposable
    {
        private readonly ECDsa _key;

        /// <summary>Creates a new CA with its own key.</summary>
        /// <param name="name">Common name of the CA.</param>
        public TestCa(string name = "AliyunIot Test CA")
            : this(name, TimeSpan.FromDays(30))
        {
        }

        /// <summary>Creates a new CA with its own key, valid from yesterday for <paramref name="validity"/>.</summary>
        /// <param name="name">Common name of the CA.</param>
        /// <param name="validity">How long it is valid (a long-lived local cloud keeps one CA for years).</param>
        public TestCa(string name, TimeSpan validity)
        {
            _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=" + name + ", O=AliyunIot tests", _key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            Certificate = request.CreateSelfSigned(now.AddDays(-1), now.Add(validity));
            CertificatePem = Certificate.ExportCertificatePem() + "\n";
        }

        private TestCa(X509Certificate2 certificate, ECDsa key)
        {
            _key = key;
            Certificate = certificate;
            CertificatePem = certificate.ExportCertificatePem() + "\n";
        }

        /// <summary>The CA's private key as PKCS#8 PEM (secret: store it 0600).</summary>
        public string KeyPem => _key.ExportPkcs8PrivateKeyPem() + "\n";

        /// <summary>Loads a CA saved as <see cref="CertificatePem"/> and <see cref="KeyPem"/>.</summary>
        /// <exception cref="System.Security.Cryptography.CryptographicException">The texts are not a matching certificate and key.</exception>
        public static TestCa Load(string certificatePem, string keyPem)
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(keyPem);
                using X509Certificate2 certificate = X509Certificate2.CreateFromPem(certificatePem);
                return new TestCa(certificate.CopyWithPrivateKey(key), key);
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }

        /// <summary>True while the certificate is valid for at least <paramref name="margin"/> more.</summary>
        public bool ValidFor(TimeSpan margin) => Certificate.NotAfter.ToUniversalTime() > DateTime.UtcNow.Add(margin);

        /// <summary>The CA certificate (with its private key).</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>The CA certificate as PEM text: what clients trust.</summary>
        public string CertificatePem { get; }

        /// <summary>
        /// Issues a server certificate (serverAuth) for the given names; entries that parse as IP addresses become
        /// IP subject alternative names, the others DNS names. The first name is the subject's common name.
        /// </summary>
        /// <param name="names">Host names and/or addresses, e.g. "127.0.0.1", "localhost". At least one.</param>
        /// <returns>The certificate with its private key, usable by Kestrel/SslStream.</returns>
        public X509Certificate2 IssueServerCertificate(params string[] names)
        {
            if (names == null || names.Length == 0)
            {
                throw new ArgumentException("At least one host name or address is needed.", nameof(names));
            }

            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=" + names[0], key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            foreach (string name in names)
            {
                if (IPAddress.TryParse(name, out IPAddress address))
                {
                    san.AddIpAddress(address);
                }
                else
                {
                    san.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

            // Positive, unique 16-byte serial (a leading byte with the high bit set would read as negative).
            byte[] serial = RandomNumberGenerator.GetBytes(16);
            serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 issued = request.Create(Certificate, now.AddDays(-1), now.AddDays(29), serial);
            using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);

            // Round-trip through PKCS#12 so the key is a persisted, exportable one that every TLS stack accepts.
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
        }

        /// <summary>Writes a certificate and its private key as PEM files (what mosquitto's certfile/keyfile need).</summary>
        /// <param name="certificate">A certificate from <see cref="IssueServerCertificate"/>.</param>
        /// <param name="certificatePath">Destination of the certificate PEM.</param>
        /// <param name="keyPath">Destination of the PKCS#8 private key PEM.</param>
        /// <param name="owner">Hand the files (0600) to this account before they appear, or null.</param>
        public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath, (int Uid, int Gid)? owner = null)
        {
            ArgumentNullException.ThrowIfNull(certificate);
            PrivateFiles.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n", owner);
            using ECDsa ec = certificate.GetECDsaPrivateKey();
            if (ec != null)
            {
                PrivateFiles.WriteAllText(keyPath, ec.ExportPkcs8PrivateKeyPem() + "\n", owner);
                return;
            }

            using RSA rsa = certificate.GetRSAPrivateKey() ?? throw new ArgumentException("The certificate has no private key.", nameof(certificate));
            PrivateFiles.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem() + "\n", owner);
        }

        /// <summary>Releases the CA key.</summary>
        public void Dispose()
        {
            Certificate.Dispose();
            _key.Dispose();
        }
    }
}
