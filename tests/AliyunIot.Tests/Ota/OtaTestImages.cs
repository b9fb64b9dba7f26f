using Xunit;
using OtaPartition;

namespace AliyunIot.Tests.Ota
{
    /// <summary>Builds OTA images (header + assemblies) with deterministic pseudo-random content.</summary>
    internal static class OtaTestImages
    {
        public static byte[] Build(string version, int seed, params int[] assemblySizes)
        {
            var random = new Random(seed);
            var parts = new byte[assemblySizes.Length][];
            var entries = new OtaImageEntry[assemblySizes.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                parts[i] = new byte[assemblySizes[i]];
                random.NextBytes(parts[i]);
                entries[i] = new OtaImageEntry("Part" + i + ".pe", parts[i].Length, Crc32.Compute(parts[i], 0, parts[i].Length));
            }

            return Concat(new OtaImageHeader(version, entries).Encode(), parts);
        }

        /// <summary>An image of about <paramref name="totalSize"/> bytes made of two assemblies.</summary>
        public static byte[] OfSize(string version, int seed, int totalSize)
        {
            int headerEstimate = OtaImageHeader.FixedLength + 1 + version.Length + 4 + 2 * (1 + 8 + 8);
            int body = totalSize - headerEstimate;
            byte[] image = Build(version, seed, body / 2, body - (body / 2));
            Assert.Equal(totalSize, image.Length);
            return image;
        }

        public static byte[] Concat(byte[] first, byte[][] rest)
        {
            using var stream = new MemoryStream();
            stream.Write(first);
            foreach (var part in rest)
            {
                stream.Write(part);
            }

            return stream.ToArray();
        }

        /// <summary>The assemblies of an image as the loader would get them.</summary>
        public static byte[][] Assemblies(byte[] image)
        {
            var header = OtaImageHeader.Decode(image, OtaImageHeader.PeekLength(image));
            var result = new byte[header.Entries.Length][];
            int p = header.HeaderLength;
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = image.AsSpan(p, header.Entries[i].Length).ToArray();
                p += header.Entries[i].Length;
            }

            return result;
        }
    }
}
