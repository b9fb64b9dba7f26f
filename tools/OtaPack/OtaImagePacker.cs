using System.Security.Cryptography;
using OtaPartition;

namespace AliyunIot.OtaPack
{
    /// <summary>What <see cref="OtaImagePacker.Pack(string, IReadOnlyList{ValueTuple{string, byte[]}}, OtaPackOptions)"/> produced.</summary>
    /// <param name="Image">The image bytes.</param>
    /// <param name="Header">Its header.</param>
    /// <param name="Md5Hex">MD5 of the image, lower-case hex (the console's MD5 sign).</param>
    /// <param name="Sha256Hex">SHA-256 of the image, lower-case hex (the console's SHA256 sign).</param>
    public sealed record PackedImage(byte[] Image, OtaImageHeader Header, string Md5Hex, string Sha256Hex);

    /// <summary>What goes into an image besides its assemblies.</summary>
    public sealed class OtaPackOptions
    {
        /// <summary>Anti-rollback counter (raise it when an older image must no longer install).</summary>
        public long SecurityCounter { get; init; }

        /// <summary><see cref="OtaImageHeader.TierApplication"/> or <see cref="OtaImageHeader.TierFull"/>.</summary>
        public int Tier { get; init; } = OtaImageHeader.TierApplication;

        /// <summary>Board profiles the image is for, comma-separated; empty for any.</summary>
        public string Profiles { get; init; } = string.Empty;

        /// <summary>Platform version the image was built against (default: the OtaPartition this tool links).</summary>
        public string PlatformVersion { get; init; } = StablePlatform.Version;

        /// <summary>The private signing key, or null for an unsigned image (which devices refuse).</summary>
        public RSA SigningKey { get; init; }
    }

    /// <summary>
    /// Builds OTA images: header (version, counter, tier, profiles, platform, key id, per-assembly name/length/CRC-32,
    /// header CRC) + the .pe files in order + the RSASSA-PKCS1-v1_5 SHA-256 signature over everything before it.
    /// </summary>
    public static class OtaImagePacker
    {
        /// <summary>Default warning budget: two slots plus device.json must fit the 256 KB I:\ of a 4 MB module.</summary>
        public const int DefaultBudgetBytes = 96 * 1024;

        /// <summary>
        /// Why these assembly files do not belong in an image of <paramref name="tier"/>, or null. An application-tier
        /// image carries the application only (Esp32App.pe and the product's own assemblies): the core (AliyunIot.pe)
        /// and the components (AliyunIot.&lt;Name&gt;.pe) are the platform tier, which flash.ps1 deploys into the
        /// deployment region; Assembly.Loading a second copy of one from the slot would pin its whole .pe in the heap.
        /// </summary>
        public static string CheckTier(int tier, IEnumerable<string> fileNames)
        {
            if (tier == OtaImageHeader.TierFull)
            {
                return null;
            }

            string[] platform = fileNames.Where(IsPlatformAssembly).ToArray();
            return platform.Length == 0
                ? null
                : string.Join(", ", platform) + " belong to the platform tier (deployed by flash.ps1): leave them out of an application-tier image, or pack --tier full for a PSRAM board";
        }

        /// <summary>True for the core's and the components' .pe files (AliyunIot.pe, AliyunIot.&lt;Name&gt;.pe).</summary>
        public static bool IsPlatformAssembly(string fileName) =>
            fileName == "AliyunIot.pe" || (fileName.StartsWith("AliyunIot.", StringComparison.Ordinal) && fileName.EndsWith(".pe", StringComparison.Ordinal));

        /// <summary>Packs <paramref name="assemblies"/> (name, bytes) in load order, unsigned (tests of the refusal).</summary>
        public static PackedImage Pack(string version, IReadOnlyList<(string Name, byte[] Bytes)> assemblies) => Pack(version, assemblies, new OtaPackOptions());

        /// <summary>Packs <paramref name="assemblies"/> (name, bytes) in load order with <paramref name="options"/>.</summary>
        public static PackedImage Pack(string version, IReadOnlyList<(string Name, byte[] Bytes)> assemblies, OtaPackOptions options)
        {
            var entries = assemblies.Select(a => new OtaImageEntry(a.Name, a.Bytes.Length, Crc32.Compute(a.Bytes, 0, a.Bytes.Length))).ToArray();
            RSA key = options.SigningKey;
            int signatureLength = key == null ? 0 : key.KeySize / 8;
            byte[] keyId = key == null ? null : SigningKeys.KeyId(key);
            var header = new OtaImageHeader(version, entries, options.SecurityCounter, options.Tier, options.Profiles ?? string.Empty,
                options.PlatformVersion ?? string.Empty, signatureLength, keyId);
            using var image = new MemoryStream();
            image.Write(header.Encode());
            foreach (var (_, bytes) in assemblies)
            {
                image.Write(bytes);
            }

            if (key != null)
            {
                byte[] signed = image.ToArray();
                byte[] signature = key.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                image.Write(signature);
                byte[] crc = new byte[4];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.Compute(signature, 0, signature.Length));
                image.Write(crc);
            }

            byte[] result = image.ToArray();
            return new PackedImage(result, header, Convert.ToHexStringLower(MD5.HashData(result)), Convert.ToHexStringLower(SHA256.HashData(result)));
        }
    }
}
