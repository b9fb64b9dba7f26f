using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AliyunIot.Tests.Ota
{
    /// <summary>Stand-in for the broker helper's TestCa until it is in main: a throwaway CA and a localhost server certificate.</summary>
    internal sealed class OtaTestCa
    {
        private static readonly Lazy<OtaTestCa> s_shared = new(() => new OtaTestCa());

        private OtaTestCa()
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=OTA test CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            var now = DateTimeOffset.UtcNow;
            using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(10));
            CertificatePem = ca.ExportCertificatePem() + "\n";

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(9), new byte[] { 1, 2, 3, 4 });
            using var withKey = issued.CopyWithPrivateKey(key);
            ServerCertificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }

        public static OtaTestCa Shared => s_shared.Value;

        public string CertificatePem { get; }

        public X509Certificate2 ServerCertificate { get; }
    }
}
