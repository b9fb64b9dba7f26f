namespace OtaPartition
{
    /// <summary>
    /// The header of an OTA image. Layout (little-endian):
    /// <code>
    /// 0   4  magic "NFOT"
    /// 4   2  format version (1)
    /// 6   2  header length H (bytes, CRC included)
    /// 8   2  assembly count N (1..32)
    /// 10  1  version length V (1..64), then V bytes of printable ASCII
    ///        N times: name length L (1..64), L bytes of printable ASCII, u32 assembly length, u32 CRC-32 of the assembly
    /// H-4 4  CRC-32 of header bytes [0, H-4)
    /// H      the assemblies, concatenated in the listed order
    /// </code>
    /// The whole image is exactly H + the sum of the assembly lengths.
    /// </summary>
    public sealed class OtaImageHeader
    {
        /// <summary>Current format version.</summary>
        public const int FormatVersion = 1;

        /// <summary>Bytes before the variable part: magic, format, header length, count.</summary>
        public const int FixedLength = 10;

        /// <summary>Upper bound of the header length.</summary>
        public const int MaxHeaderLength = 4096;

        /// <summary>Most assemblies one image may carry.</summary>
        public const int MaxAssemblies = 32;

        /// <summary>Longest version string and assembly name.</summary>
        public const int MaxTextLength = 64;

        private static readonly byte[] Magic = new byte[] { (byte)'N', (byte)'F', (byte)'O', (byte)'T' };

        /// <summary>Creates a header.</summary>
        public OtaImageHeader(string version, OtaImageEntry[] entries)
        {
            if (!IsValidText(version))
            {
                throw new OtaImageException("version must be 1..64 printable ASCII characters");
            }

            if (entries == null || entries.Length == 0 || entries.Length > MaxAssemblies)
            {
                throw new OtaImageException("an image holds 1..32 assemblies");
            }

            int length = FixedLength + 1 + version.Length + 4;
            long total = 0;
            for (int i = 0; i < entries.Length; i++)
            {
                if (!IsValidText(entries[i].Name) || entries[i].Length < 0)
                {
                    throw new OtaImageException("assembly names must be 1..64 printable ASCII characters");
                }

                length += 1 + entries[i].Name.Length + 8;
                total += entries[i].Length;
            }

            if (length > MaxHeaderLength)
            {
                throw new OtaImageException("header too long");
            }

            Version = version;
            Entries = entries;
            HeaderLength = length;
            TotalLength = length + total;
        }

        /// <summary>Application version carried by the image.</summary>
        public string Version { get; private set; }

        /// <summary>The assemblies in load order.</summary>
        public OtaImageEntry[] Entries { get; private set; }

        /// <summary>Bytes of the header, CRC included.</summary>
        public int HeaderLength { get; private set; }

        /// <summary>Bytes of the whole image.</summary>
        public long TotalLength { get; private set; }

        /// <summary>The header bytes.</summary>
        public byte[] Encode()
        {
            byte[] bytes = new byte[HeaderLength];
            for (int i = 0; i < 4; i++)
            {
                bytes[i] = Magic[i];
            }

            WriteU16(bytes, 4, FormatVersion);
            WriteU16(bytes, 6, HeaderLength);
            WriteU16(bytes, 8, Entries.Length);
            int p = WriteText(bytes, FixedLength, Version);
            for (int i = 0; i < Entries.Length; i++)
            {
                p = WriteText(bytes, p, Entries[i].Name);
                WriteU32(bytes, p, (uint)Entries[i].Length);
                WriteU32(bytes, p + 4, Entries[i].Crc32);
                p += 8;
            }

            WriteU32(bytes, p, OtaPartition.Crc32.Compute(bytes, 0, p));
            return bytes;
        }

        /// <summary>
        /// The header length announced by the first <see cref="FixedLength"/> bytes of an image.
        /// </summary>
        /// <exception cref="OtaImageException">Not an OTA image, or an unsupported format.</exception>
        public static int PeekLength(byte[] start)
        {
            for (int i = 0; i < 4; i++)
            {
                if (start[i] != Magic[i])
                {
                    throw new OtaImageException("not an OTA image (bad magic)");
                }
            }

            if (ReadU16(start, 4) != FormatVersion)
            {
                throw new OtaImageException("unsupported OTA image format");
            }

            int length = ReadU16(start, 6);
            if (length < FixedLength + 1 + 1 + 4 || length > MaxHeaderLength)
            {
                throw new OtaImageException("bad OTA image header length");
            }

            return length;
        }

        /// <summary>Parses the first <paramref name="length"/> bytes of an image.</summary>
        /// <exception cref="OtaImageException">The header is damaged.</exception>
        public static OtaImageHeader Decode(byte[] bytes, int length)
        {
            if (length < FixedLength || PeekLength(bytes) != length)
            {
                throw new OtaImageException("bad OTA image header length");
            }

            if (ReadU32(bytes, length - 4) != OtaPartition.Crc32.Compute(bytes, 0, length - 4))
            {
                throw new OtaImageException("OTA image header CRC mismatch");
            }

            int count = ReadU16(bytes, 8);
            if (count < 1 || count > MaxAssemblies)
            {
                throw new OtaImageException("bad assembly count");
            }

            int p = FixedLength;
            string version = ReadText(bytes, ref p, length - 4);
            OtaImageEntry[] entries = new OtaImageEntry[count];
            for (int i = 0; i < count; i++)
            {
                string name = ReadText(bytes, ref p, length - 4);
                if (p + 8 > length - 4)
                {
                    throw new OtaImageException("OTA image header truncated");
                }

                uint size = ReadU32(bytes, p);
                if (size > 0x7FFFFFFF)
                {
                    throw new OtaImageException("bad assembly length");
                }

                entries[i] = new OtaImageEntry(name, (int)size, ReadU32(bytes, p + 4));
                p += 8;
            }

            if (p != length - 4)
            {
                throw new OtaImageException("OTA image header length does not match its content");
            }

            return new OtaImageHeader(version, entries);
        }

        private static bool IsValidText(string text)
        {
            if (text == null || text.Length == 0 || text.Length > MaxTextLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < ' ' || text[i] > '~')
                {
                    return false;
                }
            }

            return true;
        }

        private static int WriteText(byte[] bytes, int p, string text)
        {
            bytes[p++] = (byte)text.Length;
            for (int i = 0; i < text.Length; i++)
            {
                bytes[p++] = (byte)text[i];
            }

            return p;
        }

        private static string ReadText(byte[] bytes, ref int p, int limit)
        {
            if (p >= limit)
            {
                throw new OtaImageException("OTA image header truncated");
            }

            int length = bytes[p++];
            if (length == 0 || length > MaxTextLength || p + length > limit)
            {
                throw new OtaImageException("bad text in OTA image header");
            }

            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)bytes[p + i];
            }

            p += length;
            return new string(chars);
        }

        private static void WriteU16(byte[] bytes, int p, int value)
        {
            bytes[p] = (byte)value;
            bytes[p + 1] = (byte)(value >> 8);
        }

        private static void WriteU32(byte[] bytes, int p, uint value)
        {
            bytes[p] = (byte)value;
            bytes[p + 1] = (byte)(value >> 8);
            bytes[p + 2] = (byte)(value >> 16);
            bytes[p + 3] = (byte)(value >> 24);
        }

        private static int ReadU16(byte[] bytes, int p)
        {
            return bytes[p] | (bytes[p + 1] << 8);
        }

        private static uint ReadU32(byte[] bytes, int p)
        {
            return (uint)(bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) | ((uint)bytes[p + 3] << 24);
        }
    }
}
