namespace OtaPartition
{
    /// <summary>
    /// How much managed heap loading an OTA image takes: nanoCLR's <c>Assembly.Load(byte[])</c> keeps the byte array
    /// as the assembly's file for the whole run and adds its runtime tables, about 1.08 heap bytes per .pe byte
    /// (measured: AliyunIot.pe 110,928 B array + 7,836 B tables), plus what the loader itself needs meanwhile.
    /// The loader checks this against the free heap BEFORE it reads an image, so a too-large image is refused with
    /// the numbers instead of ending in an OutOfMemoryException.
    /// </summary>
    public static class LoadBudget
    {
        /// <summary>Heap bytes per 100 .pe bytes loaded with Assembly.Load (array + runtime tables).</summary>
        public const int CostPercent = 108;

        /// <summary>
        /// Heap kept free on top: the loader's reading buffers, the reflection lookup of the entry point, and the
        /// per-assembly bookkeeping the measurement rounds away.
        /// </summary>
        public const int MarginBytes = 8192;

        /// <summary>Total .pe bytes of the image's assemblies (what Assembly.Load keeps).</summary>
        public static long AssemblyBytes(OtaImageHeader header)
        {
            long total = 0;
            for (int i = 0; i < header.Entries.Length; i++)
            {
                total += header.Entries[i].Length;
            }

            return total;
        }

        /// <summary>Free heap an image of <paramref name="assemblyBytes"/> .pe bytes needs before the loader reads it.</summary>
        public static long Required(long assemblyBytes)
        {
            return (assemblyBytes * CostPercent / 100) + MarginBytes;
        }

        /// <summary>True when <paramref name="freeHeap"/> bytes are enough to read and load the image.</summary>
        public static bool Fits(long assemblyBytes, long freeHeap)
        {
            return freeHeap >= Required(assemblyBytes);
        }

        /// <summary>The reason text when it does not fit: both numbers, so the log names the real cause.</summary>
        public static string Shortfall(long assemblyBytes, long freeHeap)
        {
            return "image needs " + Required(assemblyBytes).ToString() + " bytes of managed heap to load ("
                + assemblyBytes.ToString() + " bytes of assemblies), " + freeHeap.ToString() + " free";
        }
    }
}
