namespace AliyunIot.Crypto
{
    /// <summary>
    /// An incremental message digest (or keyed digest): feed any number of byte ranges with <see cref="Append"/>,
    /// then take the result with <see cref="Finish()"/>. Implementations keep all working state in fields
    /// allocated once, so hashing a download chunk by chunk costs no garbage per call.
    /// </summary>
    public interface IHash
    {
        /// <summary>Bytes per compression block (64 for MD5, SHA-1 and SHA-256).</summary>
        int BlockSize { get; }

        /// <summary>Bytes in the digest (16, 20 or 32).</summary>
        int HashSize { get; }

        /// <summary>Adds <paramref name="count"/> bytes of <paramref name="data"/> starting at <paramref name="offset"/>.</summary>
        /// <exception cref="System.ArgumentException">The range lies outside <paramref name="data"/>.</exception>
        void Append(byte[] data, int offset, int count);

        /// <summary>Completes the digest, returns it in a new array, and resets for the next message.</summary>
        byte[] Finish();

        /// <summary>Completes the digest into <paramref name="output"/> at <paramref name="offset"/> (no allocation) and resets.</summary>
        /// <exception cref="System.ArgumentException">Fewer than <see cref="HashSize"/> bytes fit at <paramref name="offset"/>.</exception>
        void Finish(byte[] output, int offset);

        /// <summary>Forgets everything appended since the last reset.</summary>
        void Reset();
    }
}
