namespace OtaPartition
{
    /// <summary>
    /// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF), table-driven
    /// and incremental. It guards the manifest and the OTA image header/assemblies against torn writes and flash
    /// corruption; it is not a security check (the platform's MD5/SHA-256 is).
    /// </summary>
    public sealed class Crc32
    {
        private static uint[] s_table;
        private uint _state = 0xFFFFFFFF;

        /// <summary>Starts a new checksum.</summary>
        public Crc32()
        {
            if (s_table == null)
            {
                s_table = BuildTable();
            }
        }

        /// <summary>Adds <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        public void Append(byte[] data, int offset, int count)
        {
            uint[] table = s_table;
            uint crc = _state;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            _state = crc;
        }

        /// <summary>The checksum of everything appended so far (appending may continue afterwards).</summary>
        public uint Value
        {
            get { return _state ^ 0xFFFFFFFF; }
        }

        /// <summary>Starts over.</summary>
        public void Reset()
        {
            _state = 0xFFFFFFFF;
        }

        /// <summary>The checksum of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            Crc32 crc = new Crc32();
            crc.Append(data, offset, count);
            return crc.Value;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
