using OtaPartition;

namespace AliyunIot.Simulator.Tour
{
    /// <summary>
    /// Builds the tour's OTA image from real files: the simulated application's own assembly stands for the
    /// application's .pe files (the host has no nanoFramework assemblies). Format: the OtaPartition image header
    /// (version, names, lengths, CRC-32 per file) followed by the files, which the loader checks at every boot.
    /// </summary>
    public static class ImageBuilder
    {
        /// <summary>Packs the files into <paramref name="directory"/>/image-{version}.bin.</summary>
        public static PackedImage Build(string directory, string version)
        {
            Directory.CreateDirectory(directory);
            string[] files = { typeof(ImageBuilder).Assembly.Location };
            var entries = new List<OtaImageEntry>();
            var contents = new List<byte[]>();
            foreach (string file in files)
            {
                byte[] content = File.ReadAllBytes(file);
                var crc = new Crc32();
                crc.Append(content, 0, content.Length);
                entries.Add(new OtaImageEntry(Path.GetFileNameWithoutExtension(file), content.Length, crc.Value));
                contents.Add(content);
            }

            byte[] header = new OtaImageHeader(version, entries.ToArray()).Encode();
            byte[] image = header.Concat(contents.SelectMany(c => c)).ToArray();
            string path = Path.Combine(directory, $"image-{version}.bin");
            File.WriteAllBytes(path, image);
            return new PackedImage(image, files.Length, path);
        }
    }
}
