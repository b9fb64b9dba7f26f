using System.Security.Cryptography;
using AliyunIot.OtaPack;

namespace AliyunIot.Simulator.Tour
{
    /// <summary>
    /// Builds the tour's OTA image with the real packer (tools/OtaPack, the same code as the <c>otapack</c> command)
    /// from real files: the simulated application's own assembly stands for the application's .pe files (the host
    /// has no nanoFramework assemblies).
    /// </summary>
    public static class ImageBuilder
    {
        /// <summary>
        /// Packs the application into <paramref name="directory"/>/image-{version}.bin, signed with
        /// <paramref name="key"/> (the tour's key, generated at run time and kept in memory), and returns what was packed.
        /// </summary>
        public static PackedImage Build(string directory, string version, RSA key, long securityCounter = 1)
        {
            Directory.CreateDirectory(directory);
            string file = typeof(ImageBuilder).Assembly.Location;
            PackedImage packed = OtaImagePacker.Pack(version, new[] { (Path.GetFileNameWithoutExtension(file), File.ReadAllBytes(file)) },
                new OtaPackOptions { SigningKey = key, SecurityCounter = securityCounter });
            File.WriteAllBytes(Path.Combine(directory, $"image-{version}.bin"), packed.Image);
            return packed;
        }
    }
}
