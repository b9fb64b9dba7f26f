using System.Security.Cryptography;
using OtaPartition;

namespace AliyunIot.OtaPack
{
    /// <summary>What <see cref="OtaImagePacker.Pack"/> produced.</summary>
    /// <param name="Image">The image bytes.</param>
    /// <param name="Header">Its header.</param>
    /// <param name="Md5Hex">MD5 of the image, lower-case hex (the console's MD5 sign).</param>
    /// <param name="Sha256Hex">SHA-256 of the image, lower-case hex (the console's SHA256 sign).</param>
    public sealed record PackedImage(byte[] Image, OtaImageHeader Header, string Md5Hex, string Sha256Hex);

    /// <summary>Builds OTA images: header (version, per-assembly name/length/CRC-32, header CRC) + the .pe files in order.</summary>
    public static class OtaImagePacker
    {
        /// <summary>Default warning budget: two slots plus device.json must fit the 256 KB I:\ of a 4 MB module.</summary>
        public const int DefaultBudgetBytes = 96 * 1024;

        /// <summary>Packs <paramref name="assemblies"/> (name, bytes) in load order.</summary>
        public static PackedImage Pack(string version, IReadOnlyList<(string Name, byte[] Bytes)> assemblies)
        {
            var entries = assemblies.Select(a => new OtaImageEntry(a.Name, a.Bytes.Length, Crc32.Compute(a.Bytes, 0, a.Bytes.Length))).ToArray();
            var header = new OtaImageHeader(version, entries);
            using var image = new MemoryStream();
            image.Write(header.Encode());
            foreach (var (_, bytes) in assemblies)
            {
                image.Write(bytes);
            }

            byte[] result = image.ToArray();
            return new PackedImage(result, header, Convert.ToHexStringLower(MD5.HashData(result)), Convert.ToHexStringLower(SHA256.HashData(result)));
        }
    }
}
