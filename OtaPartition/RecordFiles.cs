namespace OtaPartition
{
    /// <summary>
    /// Stores a <see cref="FlashRecord"/> so that a power cut at any point leaves either the old or the new record:
    /// write <c>name.new</c>, flush, close (littlefs commits on close), then <see cref="IFlashStorage.Replace"/> it
    /// over <c>name</c>. Reading prefers <c>name</c> and falls back to <c>name.new</c> when <c>name</c> is missing or
    /// damaged (the device's replace is a delete followed by a move, so a cut between the two leaves only
    /// <c>name.new</c>). A write first finishes such an interrupted move: creating <c>name.new</c> truncates it at
    /// once, and when it is the only copy a second cut would otherwise lose the record.
    /// </summary>
    public static class RecordFiles
    {
        /// <summary>Largest record file accepted, in bytes.</summary>
        public const int MaxLength = 4096;

        private const string NewSuffix = ".new";

        /// <summary>The committed record, or null when there is none (or neither copy is intact).</summary>
        public static FlashRecord Read(IFlashStorage storage, string name)
        {
            FlashRecord record = ReadOne(storage, name);
            if (record == null)
            {
                record = ReadOne(storage, name + NewSuffix);
            }

            return record;
        }

        /// <summary>Replaces the record atomically (see the class remarks).</summary>
        public static void Write(IFlashStorage storage, string name, FlashRecord record)
        {
            byte[] bytes = record.Encode();
            string temporary = name + NewSuffix;
            if (!storage.Exists(name) && ReadOne(storage, temporary) != null)
            {
                // Cut between the delete and the move of the last write: .new is the record; make it name again.
                storage.Replace(temporary, name);
            }

            IFlashFile file = storage.OpenCreate(temporary);
            try
            {
                file.Write(bytes, 0, bytes.Length);
                file.Flush();
            }
            finally
            {
                file.Dispose();
            }

            storage.Replace(temporary, name);
        }

        /// <summary>Removes the record (both copies).</summary>
        public static void Delete(IFlashStorage storage, string name)
        {
            // .new first: a cut between the two deletes leaves the record as it was, never an older copy revived.
            storage.Delete(name + NewSuffix);
            storage.Delete(name);
        }

        private static FlashRecord ReadOne(IFlashStorage storage, string name)
        {
            byte[] bytes = FlashFiles.ReadAll(storage, name, MaxLength);
            if (bytes == null || bytes.Length == 0)
            {
                return null;
            }

            return FlashRecord.Decode(bytes, bytes.Length);
        }
    }
}
