namespace AliyunIot.NFUnitTest
{
    /// <summary>The content of one in-memory flash file.</summary>
    internal sealed class InMemoryFileData
    {
        /// <summary>Storage; the first <see cref="Length"/> bytes are the file.</summary>
        public byte[] Bytes = new byte[0];

        /// <summary>File length.</summary>
        public int Length;
    }
}
