using System.Diagnostics;
using System.Security.Cryptography;
using AliyunIot.Crypto;
using AliyunIot.Ota;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section "sign": what checking an OTA image's signature costs. The portable RSA-2048 PKCS#1 v1.5 verification
    /// (firmware/AliyunIot/Crypto, the code the device runs) against .NET's native RSA and ECDSA P-256 verification,
    /// and the portable SHA-256 per KiB (the second pass over the slot). The device estimate is the host time × the
    /// interpreter factor (45–140×, docs/benchmarks.md); no targets, the numbers are printed and recorded.
    /// </summary>
    public static class SignatureBench
    {
        /// <summary>Runs the section.</summary>
        public static void Run(Results results, bool quick)
        {
            int rounds = quick ? 20 : 100;
            using RSA rsa = RSA.Create(2048);
            RsaPublicKey key = RsaPublicKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem(), out string error) ?? throw new InvalidOperationException(error);
            byte[] digest = SHA256.HashData("image"u8);
            byte[] signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (!key.VerifySha256(digest, signature))
            {
                throw new InvalidOperationException("the portable verifier refused a valid signature");
            }

            double portable = Micros(rounds, () => key.VerifySha256(digest, signature));
            double native = Micros(rounds * 5, () => rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            byte[] ecSignature = ec.SignHash(digest);
            double ecNative = Micros(rounds * 5, () => ec.VerifyHash(digest, ecSignature));
            byte[] block = new byte[64 * 1024];
            var sha = new Sha256();
            double shaPerKiB = Micros(rounds / 2, () => { sha.Append(block, 0, block.Length); sha.Finish(); }) / 64;

            Console.WriteLine($"[sign] portable RSA-2048 verify {portable:0} µs (device ~{portable * 45 / 1000:0}–{portable * 140 / 1000:0} ms); native RSA {native:0} µs, native ECDSA P-256 {ecNative:0} µs; portable SHA-256 {shaPerKiB:0.0} µs/KiB");
            results.Add("sign", "RSA-2048 verify, portable (firmware/AliyunIot/Crypto)", portable, "µs", $"device estimate {portable * 45 / 1000:0}–{portable * 140 / 1000:0} ms");
            results.Add("sign", "RSA-2048 verify, native (.NET)", native, "µs", "reference");
            results.Add("sign", "ECDSA P-256 verify, native (.NET)", ecNative, "µs", $"{ecNative / native:0.0}x native RSA");
            results.Add("sign", "SHA-256 portable, per KiB (second pass over the image)", shaPerKiB, "µs", $"device estimate {shaPerKiB * 45 / 1000:0.0}–{shaPerKiB * 140 / 1000:0.0} ms per KiB");
        }

        private static double Micros(int rounds, Action action)
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
