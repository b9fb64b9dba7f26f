using System.Security.Cryptography;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// The committed TEST-ONLY signing key (testdata/ota-signing-test-key): everyone can read it, so it proves nothing
    /// outside these tests. Images in the OTA tests are signed with it and the simulated flash trusts its public key.
    /// </summary>
    internal static class OtaTestKey
    {
        public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "testdata", "ota-signing-test-key");

        /// <summary>The public key PEM (what flash.ps1 would put on I:\ as ota-signing.pem).</summary>
        public static string PublicPem => File.ReadAllText(Path.Combine(Folder, "test-only.pem"));

        /// <summary>A fresh RSA object holding the private test key.</summary>
        public static RSA Private()
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(Path.Combine(Folder, "test-only.key")));
            return rsa;
        }

        /// <summary>Signature of "abc" made by openssl with the test key (hex).</summary>
        public static string OpensslSignatureOfAbc => File.ReadAllText(Path.Combine(Folder, "sig-abc.hex")).Trim();

        /// <summary>Deploys the public key into a simulated I:\ folder, as flash.ps1 does.</summary>
        public static void Deploy(string flashFolder) => File.WriteAllText(Path.Combine(flashFolder, OtaPartition.StablePlatform.SigningKeyFile), PublicPem);
    }
}
