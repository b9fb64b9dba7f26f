using AliyunIot.Crypto;
using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>Feeds bytes of a flash file into a hash through one caller-owned buffer (no allocation).</summary>
    internal static class FlashHashing
    {
        /// <summary>
        /// Appends the next <paramref name="length"/> bytes of <paramref name="file"/> to <paramref name="hash"/>;
        /// false when the file ends first.
        /// </summary>
        internal static bool Append(IFlashFile file, IHash hash, long length, byte[] buffer)
        {
            long remaining = length;
            while (remaining > 0)
            {
                int read = file.Read(buffer, 0, remaining < buffer.Length ? (int)remaining : buffer.Length);
                if (read <= 0)
                {
                    return false;
                }

                hash.Append(buffer, 0, read);
                remaining -= read;
            }

            return true;
        }
    }
}
