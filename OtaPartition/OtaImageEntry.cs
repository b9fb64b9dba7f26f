namespace OtaPartition
{
    /// <summary>One assembly (.pe file) listed in an <see cref="OtaImageHeader"/>.</summary>
    public sealed class OtaImageEntry
    {
        /// <summary>Creates an entry.</summary>
        public OtaImageEntry(string name, int length, uint crc32)
        {
            Name = name;
            Length = length;
            Crc32 = crc32;
        }

        /// <summary>Assembly file name, e.g. <c>AliyunIot.pe</c> (printable ASCII).</summary>
        public string Name { get; private set; }

        /// <summary>Bytes of the assembly.</summary>
        public int Length { get; private set; }

        /// <summary>CRC-32 of the assembly bytes.</summary>
        public uint Crc32 { get; private set; }
    }
}
