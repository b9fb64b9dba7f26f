using System.Security.Cryptography;
using AliyunIot.OtaPack;
using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// Builds OTA images (header + assemblies + signature) with deterministic pseudo-random content, signed with the
    /// TEST-ONLY key through the real packer (tools/OtaPack).
    /// </summary>
    internal static class OtaTestImages
    {
        private static readonly RSA TestKey = OtaTestKey.Private();

        /// <summary>A signed image (counter 0, any board, this platform).</summary>
        public static byte[] Build(string version, int seed, params int[] assemblySizes) => Build(version, seed, new OtaPackOptions { SigningKey = TestKey }, assemblySizes);

        /// <summary>An image with <paramref name="options"/> (no key in them: unsigned).</summary>
        public static byte[] Build(string version, int seed, OtaPackOptions options, params int[] assemblySizes)
        {
            var random = new Random(seed);
            var parts = new List<(string, byte[])>();
            for (int i = 0; i < assemblySizes.Length; i++)
            {
                var bytes = new byte[assemblySizes[i]];
                random.NextBytes(bytes);
                parts.Add(("Part" + i + ".pe", bytes));
            }

            return OtaImagePacker.Pack(version, parts, options).Image;
        }

        /// <summary>Options signing with the test key, plus <paramref name="counter"/>.</summary>
        public static OtaPackOptions Signed(long counter = 0, string profiles = "", string platform = null) =>
            new() { SigningKey = TestKey, SecurityCounter = counter, Profiles = profiles, PlatformVersion = platform ?? StablePlatform.Version };

        /// <summary>A signed image of exactly <paramref name="totalSize"/> bytes made of two assemblies.</summary>
        public static byte[] OfSize(string version, int seed, int totalSize)
        {
            int overhead = Build(version, seed, 1, 1).Length - 2;
            int body = totalSize - overhead;
            byte[] image = Build(version, seed, body / 2, body - (body / 2));
            Assert.Equal(totalSize, image.Length);
            return image;
        }

        /// <summary>
        /// Activates the inactive slot as the OTA agent does after it verified the signature (the tests of the slot
        /// state machine play the agent's part).
        /// </summary>
        public static OtaImageHeader ActivateAsVerified(SlotStore store, string version, int confirmWithinBoots, byte[] buffer)
        {
            string inactive = SlotStore.SlotFileName(store.ReadManifest().InactiveSlot);
            uint crc = OtaImageReader.Validate(store.Storage, inactive, buffer).SignatureCrc32;
            return store.ActivateInactive(version, confirmWithinBoots, buffer, crc);
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
