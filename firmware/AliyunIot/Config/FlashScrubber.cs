using System;
using OtaPartition;

namespace AliyunIot.Config
{
    /// <summary>
    /// Makes littlefs forget deleted data where it can: after a secret was removed from a file (the ProductSecret
    /// once registration succeeded), the blocks of the old file are free but NOT erased — littlefs erases a block
    /// only when it allocates it again. This fills the free space with a scratch file (each block it takes is erased
    /// first) and then commits enough small metadata changes that the directory's metadata pair is compacted twice
    /// (an inline copy of a small file lives there). Runs once per device life; costs one erase of the free blocks.
    /// </summary>
    /// <remarks>
    /// Limits, stated in docs/security.md: a reserve of the volume is left free (littlefs needs room to delete the
    /// scratch file again), so up to that much of the old data may survive; wear levelling may have left copies in
    /// blocks that are in use by other files; nothing is guaranteed against someone who reads the flash chip.
    /// </remarks>
    public static class FlashScrubber
    {
        /// <summary>Name of the scratch file (deleted before returning).</summary>
        public const string ScratchName = "scrub.tmp";

        /// <summary>Bytes left free on the volume (littlefs must still be able to commit the delete).</summary>
        public const long Reserve = 32 * 1024;

        /// <summary>Scratch written when the volume size is unknown (host folders).</summary>
        public const long UnknownCapacityLimit = 64 * 1024;

        /// <summary>Create/delete commits that make the root metadata pair compact (both of its blocks).</summary>
        public const int MetadataCommits = 200;

        /// <summary>Fills the free space once and churns the metadata; returns the scratch bytes written.</summary>
        /// <param name="storage">The volume.</param>
        /// <param name="buffer">Scratch buffer (its content is overwritten with zeros).</param>
        public static long Scrub(IFlashStorage storage, byte[] buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = 0;
            }

            long limit = storage.Capacity > 0 ? storage.Capacity - Reserve : UnknownCapacityLimit;
            long written = 0;
            try
            {
                IFlashFile file = storage.OpenCreate(ScratchName);
                try
                {
                    while (written < limit)
                    {
                        int count = limit - written < buffer.Length ? (int)(limit - written) : buffer.Length;
                        file.Write(buffer, 0, count);
                        file.Flush();
                        written += count;
                    }
                }
                catch (Exception)
                {
                    // The volume is full: every free block has been taken (and so erased). That is the goal.
                }
                finally
                {
                    file.Dispose();
                }
            }
            finally
            {
                storage.Delete(ScratchName);
            }

            for (int i = 0; i < MetadataCommits; i++)
            {
                IFlashFile marker = storage.OpenCreate(ScratchName);
                marker.Dispose();
                storage.Delete(ScratchName);
            }

            return written;
        }
    }
}
