namespace OtaPartition
{
    /// <summary>
    /// Reads OTA images from an <see cref="IFlashStorage"/> and refuses any whose header does not match its
    /// content (length, per-assembly CRC-32, header CRC-32). The loader uses it at every boot. It does not verify
    /// signatures (the OTA agent does, before activation); it records the CRC-32 of the signature bytes so the boot
    /// can check the image is the one whose signature was verified.
    /// </summary>
    public static class OtaImageReader
    {
        /// <summary>Checks the whole image without keeping it in memory.</summary>
        /// <param name="storage">Where the image is.</param>
        /// <param name="name">Its file name.</param>
        /// <param name="buffer">Scratch buffer for streaming (any size &gt; 0; reused).</param>
        /// <returns>The validated header.</returns>
        /// <exception cref="OtaImageException">The image is missing, damaged or inconsistent.</exception>
        public static OtaImageHeader Validate(IFlashStorage storage, string name, byte[] buffer)
        {
            IFlashFile file = Open(storage, name);
            try
            {
                OtaImageHeader header = ReadHeader(file);
                CheckLength(file, header);
                Crc32 crc = new Crc32();
                for (int i = 0; i < header.Entries.Length; i++)
                {
                    OtaImageEntry entry = header.Entries[i];
                    crc.Reset();
                    int remaining = entry.Length;
                    while (remaining > 0)
                    {
                        int read = file.Read(buffer, 0, remaining < buffer.Length ? remaining : buffer.Length);
                        if (read <= 0)
                        {
                            throw new OtaImageException("OTA image truncated");
                        }

                        crc.Append(buffer, 0, read);
                        remaining -= read;
                    }

                    CheckCrc(entry, crc.Value);
                }

                ReadSignatureCrc(file, header);
                return header;
            }
            finally
            {
                file.Dispose();
            }
        }

        /// <summary>Reads the header only (no content check).</summary>
        /// <exception cref="OtaImageException">Missing or damaged header.</exception>
        public static OtaImageHeader ReadHeader(IFlashStorage storage, string name)
        {
            IFlashFile file = Open(storage, name);
            try
            {
                return ReadHeader(file);
            }
            finally
            {
                file.Dispose();
            }
        }

        /// <summary>
        /// Reads every assembly into its own array (what <c>Assembly.Load</c> needs) after checking each one;
        /// all or nothing: any mismatch throws before anything is returned.
        /// </summary>
        /// <param name="storage">Where the image is.</param>
        /// <param name="name">Its file name.</param>
        /// <param name="header">Receives the validated header.</param>
        /// <exception cref="OtaImageException">The image is missing, damaged or inconsistent.</exception>
        public static byte[][] ReadAssemblies(IFlashStorage storage, string name, out OtaImageHeader header)
        {
            IFlashFile file = Open(storage, name);
            try
            {
                header = ReadHeader(file);
                CheckLength(file, header);
                byte[][] assemblies = new byte[header.Entries.Length][];
                for (int i = 0; i < header.Entries.Length; i++)
                {
                    OtaImageEntry entry = header.Entries[i];
                    byte[] bytes = new byte[entry.Length];
                    ReadExactly(file, bytes, 0, bytes.Length);
                    CheckCrc(entry, OtaPartition.Crc32.Compute(bytes, 0, bytes.Length));
                    assemblies[i] = bytes;
                }

                ReadSignatureCrc(file, header);
                return assemblies;
            }
            finally
            {
                file.Dispose();
            }
        }

        /// <summary>
        /// Reads the signature bytes after the assemblies (the file is positioned there), checks them against the
        /// CRC-32 that follows them and records it in <see cref="OtaImageHeader.SignatureCrc32"/>.
        /// </summary>
        private static void ReadSignatureCrc(IFlashFile file, OtaImageHeader header)
        {
            if (header.SignatureLength == 0)
            {
                header.SignatureCrc32 = 0;
                return;
            }

            byte[] signature = new byte[header.SignatureLength + 4];
            ReadExactly(file, signature, 0, signature.Length);
            uint crc = OtaPartition.Crc32.Compute(signature, 0, header.SignatureLength);
            int p = header.SignatureLength;
            uint stored = (uint)(signature[p] | (signature[p + 1] << 8) | (signature[p + 2] << 16)) | ((uint)signature[p + 3] << 24);
            if (crc != stored)
            {
                throw new OtaImageException("CRC mismatch in the signature");
            }

            header.SignatureCrc32 = crc;
        }

        private static IFlashFile Open(IFlashStorage storage, string name)
        {
            if (storage.Length(name) < 0)
            {
                throw new OtaImageException("no image in " + name);
            }

            return storage.OpenRead(name);
        }

        private static OtaImageHeader ReadHeader(IFlashFile file)
        {
            byte[] start = new byte[OtaImageHeader.FixedLength];
            ReadExactly(file, start, 0, start.Length);
            int length = OtaImageHeader.PeekLength(start);
            byte[] bytes = new byte[length];
            for (int i = 0; i < start.Length; i++)
            {
                bytes[i] = start[i];
            }

            ReadExactly(file, bytes, start.Length, length - start.Length);
            return OtaImageHeader.Decode(bytes, length);
        }

        private static void CheckLength(IFlashFile file, OtaImageHeader header)
        {
            if (file.Length != header.TotalLength)
            {
                throw new OtaImageException("OTA image length does not match its header");
            }
        }

        private static void CheckCrc(OtaImageEntry entry, uint actual)
        {
            if (actual != entry.Crc32)
            {
                throw new OtaImageException("CRC mismatch in " + entry.Name);
            }
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
        /// <exception cref="OtaImageException">The file ends first.</exception>
        public static void ReadExactly(IFlashFile file, byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int read = file.Read(buffer, offset, count);
                if (read <= 0)
                {
                    throw new OtaImageException("OTA image truncated");
                }

                offset += read;
                count -= read;
            }
        }
    }
}
