using System.Diagnostics;
using System.Security.Cryptography;
using AliyunIot.Crypto;
using AliyunIot.Ota;
using AliyunIot.Tests.Ota;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Identity
{
    /// <summary>
    /// The portable RSA verifier (Montgomery bignum, PKCS#1 v1.5 SHA-256, e = 65537) against signatures made by other
    /// implementations: a literal vector from openssl with the committed TEST-ONLY key, and .NET's RSA with keys
    /// generated at run time (2048 and 3072 bits). Every flipped bit, another key, another message or a malformed key
    /// is refused.
    /// </summary>
    public sealed class RsaSignatureTests
    {
        private readonly ITestOutputHelper _output;

        public RsaSignatureTests(ITestOutputHelper output) => _output = output;

        private static byte[] Sha(byte[] data) => SHA256.HashData(data);

        private static RsaPublicKey Parse(string pem)
        {
            RsaPublicKey key = RsaPublicKey.FromPem(pem, out string error);
            Assert.True(key != null, error);
            return key;
        }

        [Fact]
        public void Openssl_vector_with_the_test_key_verifies_and_any_change_fails()
        {
            RsaPublicKey key = Parse(OtaTestKey.PublicPem);
            byte[] signature = Convert.FromHexString(OtaTestKey.OpensslSignatureOfAbc);
            Assert.True(key.VerifySha256(Sha("abc"u8.ToArray()), signature));
            Assert.False(key.VerifySha256(Sha("abd"u8.ToArray()), signature));
            foreach (int position in new[] { 0, 1, 100, 255 })
            {
                byte[] flipped = (byte[])signature.Clone();
                flipped[position] ^= 0x01;
                Assert.False(key.VerifySha256(Sha("abc"u8.ToArray()), flipped), "flipped byte " + position);
            }

            Assert.False(key.VerifySha256(Sha("abc"u8.ToArray()), signature.AsSpan(1).ToArray()));
            Assert.False(key.VerifySha256(Sha("abc"u8.ToArray()), new byte[256]));
            Assert.False(key.VerifySha256(Sha("abc"u8.ToArray()), Enumerable.Repeat((byte)0xFF, 256).ToArray()), "a value above the modulus");
        }

        [Theory]
        [InlineData(2048)]
        [InlineData(3072)]
        public void Signatures_made_by_dotnet_verify_and_those_of_another_key_do_not(int bits)
        {
            using RSA signer = RSA.Create(bits);
            using RSA other = RSA.Create(bits);
            RsaPublicKey key = Parse(signer.ExportSubjectPublicKeyInfoPem());
            Assert.Equal(bits / 8, key.SignatureLength);
            Assert.Equal(AliyunIot.OtaPack.SigningKeys.KeyId(signer), key.KeyId);
            var random = new Random(bits);
            for (int i = 0; i < 8; i++)
            {
                byte[] message = new byte[random.Next(0, 2000)];
                random.NextBytes(message);
                byte[] signature = signer.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                Assert.True(key.VerifySha256(Sha(message), signature), "message " + i);
                Assert.False(key.VerifySha256(Sha(message), other.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), "other key " + i);
                Assert.False(key.VerifySha256(Sha(message), signer.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)), "PSS is not PKCS#1 v1.5 " + i);
            }
        }

        [Fact]
        public void Keys_the_device_cannot_use_are_refused_with_a_reason()
        {
            using RSA small = RSA.Create(1024);
            Assert.Null(RsaPublicKey.FromPem(small.ExportSubjectPublicKeyInfoPem(), out string error));
            Assert.Contains("2048 or 3072", error);

            using RSA big = RSA.Create(2048);
            var p = big.ExportParameters(false);
            p.Exponent = new byte[] { 3 };
            using RSA e3 = RSA.Create();
            e3.ImportParameters(p);
            Assert.Null(RsaPublicKey.FromPem(e3.ExportSubjectPublicKeyInfoPem(), out error));
            Assert.Contains("65537", error);

            using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Assert.Null(RsaPublicKey.FromPem(ec.ExportSubjectPublicKeyInfoPem(), out error));
            Assert.Null(RsaPublicKey.FromPem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----", out error));
            Assert.Null(RsaPublicKey.FromPem("garbage", out error));
            Assert.Null(RsaPublicKey.FromPem(big.ExportRSAPublicKeyPem(), out error));
        }

        /// <summary>
        /// Benchmark (prints, asserts nothing about time): the portable verification against .NET's native RSA and
        /// ECDSA P-256 verification, and the managed SHA-256 per KiB that the image check adds. The device estimate
        /// multiplies the portable numbers by the interpreter factor (45–140×, docs/benchmarks.md).
        /// </summary>
        [Fact]
        public void Benchmark_signature_verification_cost()
        {
            using RSA rsa = RSA.Create(2048);
            RsaPublicKey key = Parse(rsa.ExportSubjectPublicKeyInfoPem());
            byte[] digest = Sha("image"u8.ToArray());
            byte[] signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            double portable = Measure(() => Assert.True(key.VerifySha256(digest, signature)), 50);
            double native = Measure(() => rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), 200);
            using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            byte[] ecSignature = ec.SignHash(digest);
            double ecNative = Measure(() => ec.VerifyHash(digest, ecSignature), 200);
            byte[] kib = new byte[64 * 1024];
            var sha = new Sha256();
            double shaPer64K = Measure(() => { sha.Append(kib, 0, kib.Length); sha.Finish(); }, 20);
            _output.WriteLine($"portable RSA-2048 verify (e=65537): {portable:F0} µs   -> device at 45–140x: {portable * 45 / 1000:F0}–{portable * 140 / 1000:F0} ms");
            _output.WriteLine($".NET native RSA-2048 verify: {native:F0} µs; .NET native ECDSA P-256 verify: {ecNative:F0} µs (ratio ECDSA/RSA native {ecNative / native:F1}x)");
            _output.WriteLine($"portable SHA-256: {shaPer64K / 64:F1} µs per KiB -> device {shaPer64K / 64 * 45 / 1000:F1}–{shaPer64K / 64 * 140 / 1000:F1} ms per KiB; a 96 KiB image {shaPer64K * 1.5 * 45 / 1e6:F1}–{shaPer64K * 1.5 * 140 / 1e6:F1} s");
        }

        private static double Measure(Action action, int rounds)
        {
            action();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < rounds; i++)
            {
                action();
            }

            return watch.Elapsed.TotalMilliseconds * 1000 / rounds;
        }
    }
}
