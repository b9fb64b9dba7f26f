namespace AliyunIot.Simulator.Tour
{
    /// <summary>An OTA image ready to push.</summary>
    public sealed class PackedImage
    {
        /// <summary>Creates the description of a packed image.</summary>
        public PackedImage(byte[] bytes, int fileCount, string path)
        {
            Bytes = bytes;
            FileCount = fileCount;
            Path = path;
        }

        /// <summary>The image.</summary>
        public byte[] Bytes { get; }

        /// <summary>How many files it carries.</summary>
        public int FileCount { get; }

        /// <summary>Where it was written.</summary>
        public string Path { get; }
    }
}
