using System.Security.Cryptography.X509Certificates;
using AliyunIot.TestBroker;

namespace AliyunIot.Tests.Ota
{
    /// <summary>One throwaway test CA (the broker helper's <see cref="TestCa"/>) and a localhost server certificate, shared by the OTA tests.</summary>
    internal sealed class OtaTestCa
    {
        private static readonly Lazy<OtaTestCa> s_shared = new(() => new OtaTestCa());
        private readonly TestCa _ca = new("OTA test CA");

        private OtaTestCa()
        {
            CertificatePem = _ca.CertificatePem;
            ServerCertificate = _ca.IssueServerCertificate("localhost", "127.0.0.1");
        }

        public static OtaTestCa Shared => s_shared.Value;

        public string CertificatePem { get; }

        public X509Certificate2 ServerCertificate { get; }
    }
}
