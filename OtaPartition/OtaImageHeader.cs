namespace OtaPartition
{
    /// <summary>
    /// The header of an OTA image. Layout (little-endian):
    /// <code>
    /// 0   4  magic "NFOT"
    /// 4   2  format version (2; 1 is still read: unsigned, counter 0, no metadata)
    /// 6   2  header length H (bytes, CRC included)
    /// 8   2  assembly count N (1..32)
    /// 10  1  version length V (1..64), then V bytes of printable ASCII
    ///        format 2 only: u32 security counter, u8 tier (0 application, 1 full), profiles (u8 length 0..64 +
    ///        ASCII, comma-separated board profiles, empty = any), platform version (u8 length 0..64 + ASCII),
    ///        u16 signature length S (0 = unsigned, 256 / 384 for RSA-2048 / 3072), 8 bytes key id
    ///        N times: name length L (1..64), L bytes of printable ASCII, u32 assembly length, u32 CRC-32 of the assembly
    /// H-4 4  CRC-32 of header bytes [0, H-4)
    /// H      the assemblies, concatenated in the listed order
    /// H+A    S bytes: RSASSA-PKCS1-v1_5 SHA-256 signature over bytes [0, H+A) (A = sum of assembly lengths)
    ///        then (signed images only) u32 CRC-32 of the S signature bytes, so the loader's cheap checks still
    ///        cover every byte of the file
    /// </code>
    /// The whole image is exactly H + A bytes unsigned, H + A + S + 4 signed. The signature covers the header, so the counter, the metadata
    /// and the key id are signed too.
    /// </summary>
    public sealed class OtaImageHeader
    {
        /// <summary>Current format version.</summary>
        public const int FormatVersion = 2;

        /// <summary>The first format (no counter, metadata or signature); still read.</summary>
        public const int UnsignedFormatVersion = 1;

        /// <summary>Tier: the application (composition root and the product's code) over a stable platform.</summary>
        public const int TierApplication = 0;

        /// <summary>Tier: the full application with newer platform components (boards with PSRAM).</summary>
        public const int TierFull = 1;

        /// <summary>Bytes of a key id.</summary>
        public const int KeyIdLength = 8;

        /// <summary>Longest signature (RSA-3072).</summary>
        public const int MaxSignatureLength = 384;

        /// <summary>Bytes before the variable part: magic, format, header length, count.</summary>
        public const int FixedLength = 10;

        /// <summary>Upper bound of the header length.</summary>
        public const int MaxHeaderLength = 4096;

        /// <summary>Most assemblies one image may carry.</summary>
        public const int MaxAssemblies = 32;

        /// <summary>Longest version string and assembly name.</summary>
        public const int MaxTextLength = 64;

        private static readonly byte[] Magic = new byte[] { (byte)'N', (byte)'F', (byte)'O', (byte)'T' };

        /// <summary>Creates an unsigned header without metadata (counter 0, application tier, any board).</summary>
        public OtaImageHeader(string version, OtaImageEntry[] entries)
            : this(version, entries, 0, TierApplication, string.Empty, string.Empty, 0, null)
        {
        }

        /// <summary>Creates a header.</summary>
        /// <param name="version">Application version (1..64 printable ASCII).</param>
        /// <param name="entries">The assemblies in load order.</param>
        /// <param name="securityCounter">Anti-rollback counter (0..4294967295): never lower than the running one.</param>
        /// <param name="tier"><see cref="TierApplication"/> or <see cref="TierFull"/>.</param>
        /// <param name="profiles">Board profiles the image was built for, comma-separated; empty = any.</param>
        /// <param name="platformVersion">Version of the stable platform the image was built against; empty = any.</param>
        /// <param name="signatureLength">Bytes of the signature that follows the assemblies (0 = unsigned).</param>
        /// <param name="keyId">Id of the signing key (<see cref="KeyIdLength"/> bytes), or null when unsigned.</param>
        public OtaImageHeader(string version, OtaImageEntry[] entries, long securityCounter, int tier, string profiles, string platformVersion, int signatureLength, byte[] keyId)
        {
            if (securityCounter < 0 || securityCounter > 0xFFFFFFFFL)
            {
                throw new OtaImageException("security counter must be 0..4294967295");
            }

            if ((tier != TierApplication && tier != TierFull) || !ImageBytes.IsValidOptionalText(profiles) || !ImageBytes.IsValidOptionalText(platformVersion))
            {
                throw new OtaImageException("bad tier, profiles or platform version");
            }

            if (signatureLength < 0 || signatureLength > MaxSignatureLength || (signatureLength > 0 && (keyId == null || keyId.Length != KeyIdLength)))
            {
                throw new OtaImageException("bad signature length or key id");
            }

            SecurityCounter = securityCounter;
            Tier = tier;
            Profiles = profiles;
            PlatformVersion = platformVersion;
            SignatureLength = signatureLength;
            KeyId = keyId == null ? new byte[KeyIdLength] : keyId;
            Format = FormatVersion;
            if (!ImageBytes.IsValidText(version))
            {
                throw new OtaImageException("version must be 1..64 printable ASCII characters");
            }

            if (entries == null || entries.Length == 0 || entries.Length > MaxAssemblies)
            {
                throw new OtaImageException("an image holds 1..32 assemblies");
            }

            int length = FixedLength + 1 + version.Length + 4 + MetadataLength(profiles, platformVersion);
            long total = 0;
            for (int i = 0; i < entries.Length; i++)
            {
                if (!ImageBytes.IsValidText(entries[i].Name) || entries[i].Length < 0)
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
            SignedLength = length + total;
            TotalLength = SignedLength + (signatureLength == 0 ? 0 : signatureLength + 4);
        }

        /// <summary>Application version carried by the image.</summary>
        public string Version { get; private set; }

        /// <summary>The assemblies in load order.</summary>
        public OtaImageEntry[] Entries { get; private set; }

        /// <summary>Bytes of the header, CRC included.</summary>
        public int HeaderLength { get; private set; }

        /// <summary>Bytes of the whole image (signature included).</summary>
        public long TotalLength { get; private set; }

        /// <summary>Bytes the signature covers: the header and the assemblies.</summary>
        public long SignedLength { get; private set; }

        /// <summary>Format the header was written in (<see cref="FormatVersion"/> or <see cref="UnsignedFormatVersion"/>).</summary>
        public int Format { get; private set; }

        /// <summary>Anti-rollback counter; an image with a lower counter than the running one is refused.</summary>
        public long SecurityCounter { get; private set; }

        /// <summary><see cref="TierApplication"/> or <see cref="TierFull"/>.</summary>
        public int Tier { get; private set; }

        /// <summary>Board profiles the image is for (comma-separated), empty for any.</summary>
        public string Profiles { get; private set; }

        /// <summary>Stable platform version the image was built against, empty for any.</summary>
        public string PlatformVersion { get; private set; }

        /// <summary>Bytes of the signature after the assemblies (0 = unsigned).</summary>
        public int SignatureLength { get; private set; }

        /// <summary>Id of the key that signed the image (zeros when unsigned).</summary>
        public byte[] KeyId { get; private set; }

        /// <summary>
        /// CRC-32 of the signature bytes, set by <see cref="OtaImageReader"/> when it read them (0 otherwise): the
        /// manifest records it when the agent verified the signature, and the loader compares it at every boot.
        /// </summary>
        public uint SignatureCrc32 { get; internal set; }

        /// <summary>True when the image carries a signature.</summary>
        public bool IsSigned
        {
            get { return SignatureLength > 0; }
        }

        /// <summary>The header bytes.</summary>
        public byte[] Encode()
        {
            byte[] bytes = new byte[HeaderLength];
            for (int i = 0; i < 4; i++)
            {
                bytes[i] = Magic[i];
            }

            ImageBytes.WriteU16(bytes, 6, HeaderLength);
            ImageBytes.WriteU16(bytes, 8, Entries.Length);
            ImageBytes.WriteU16(bytes, 4, Format);
            int p = ImageBytes.WriteText(bytes, FixedLength, Version);
            if (Format == UnsignedFormatVersion)
            {
                return EncodeEntries(bytes, p);
            }

            ImageBytes.WriteU32(bytes, p, (uint)SecurityCounter);
            bytes[p + 4] = (byte)Tier;
            p = ImageBytes.WriteText(bytes, p + 5, Profiles);
            p = ImageBytes.WriteText(bytes, p, PlatformVersion);
            ImageBytes.WriteU16(bytes, p, SignatureLength);
            for (int i = 0; i < KeyIdLength; i++)
            {
                bytes[p + 2 + i] = KeyId[i];
            }

            p += 2 + KeyIdLength;
            return EncodeEntries(bytes, p);
        }

        private byte[] EncodeEntries(byte[] bytes, int p)
        {
            for (int i = 0; i < Entries.Length; i++)
            {
                p = ImageBytes.WriteText(bytes, p, Entries[i].Name);
                ImageBytes.WriteU32(bytes, p, (uint)Entries[i].Length);
                ImageBytes.WriteU32(bytes, p + 4, Entries[i].Crc32);
                p += 8;
            }

            ImageBytes.WriteU32(bytes, p, OtaPartition.Crc32.Compute(bytes, 0, p));
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

            int format = ImageBytes.ReadU16(start, 4);
            if (format != FormatVersion && format != UnsignedFormatVersion)
            {
                throw new OtaImageException("unsupported OTA image format");
            }

            int length = ImageBytes.ReadU16(start, 6);
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

            if (ImageBytes.ReadU32(bytes, length - 4) != OtaPartition.Crc32.Compute(bytes, 0, length - 4))
            {
                throw new OtaImageException("OTA image header CRC mismatch");
            }

            int count = ImageBytes.ReadU16(bytes, 8);
            if (count < 1 || count > MaxAssemblies)
            {
                throw new OtaImageException("bad assembly count");
            }

            int p = FixedLength;
            string version = ImageBytes.ReadText(bytes, ref p, length - 4);
            bool signedFormat = ImageBytes.ReadU16(bytes, 4) == FormatVersion;
            long counter = 0;
            int tier = TierApplication;
            string profiles = string.Empty;
            string platform = string.Empty;
            int signatureLength = 0;
            byte[] keyId = null;
            if (signedFormat)
            {
                if (p + 5 > length - 4)
                {
                    throw new OtaImageException("OTA image header truncated");
                }

                counter = ImageBytes.ReadU32(bytes, p);
                tier = bytes[p + 4];
                p += 5;
                profiles = ImageBytes.ReadOptionalText(bytes, ref p, length - 4);
                platform = ImageBytes.ReadOptionalText(bytes, ref p, length - 4);
                if (p + 2 + KeyIdLength > length - 4)
                {
                    throw new OtaImageException("OTA image header truncated");
                }

                signatureLength = ImageBytes.ReadU16(bytes, p);
                keyId = new byte[KeyIdLength];
                for (int i = 0; i < KeyIdLength; i++)
                {
                    keyId[i] = bytes[p + 2 + i];
                }

                p += 2 + KeyIdLength;
            }

            OtaImageEntry[] entries = new OtaImageEntry[count];
            for (int i = 0; i < count; i++)
            {
                string name = ImageBytes.ReadText(bytes, ref p, length - 4);
                if (p + 8 > length - 4)
                {
                    throw new OtaImageException("OTA image header truncated");
                }

                uint size = ImageBytes.ReadU32(bytes, p);
                if (size > 0x7FFFFFFF)
                {
                    throw new OtaImageException("bad assembly length");
                }

                entries[i] = new OtaImageEntry(name, (int)size, ImageBytes.ReadU32(bytes, p + 4));
                p += 8;
            }

            if (p != length - 4)
            {
                throw new OtaImageException("OTA image header length does not match its content");
            }

            OtaImageHeader header = new OtaImageHeader(version, entries, counter, tier, profiles, platform, signatureLength, keyId);
            if (!signedFormat)
            {
                // Format 1 has no metadata block: same content, shorter header.
                header.Format = UnsignedFormatVersion;
                long assemblies = header.SignedLength - header.HeaderLength;
                header.HeaderLength = length;
                header.SignedLength = length + assemblies;
                header.TotalLength = header.SignedLength;
            }

            return header;
        }

        private static int MetadataLength(string profiles, string platformVersion)
        {
            return 4 + 1 + 1 + (profiles == null ? 0 : profiles.Length) + 1 + (platformVersion == null ? 0 : platformVersion.Length) + 2 + KeyIdLength;
        }
    }
}
