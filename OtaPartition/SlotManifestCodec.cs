namespace OtaPartition
{
    /// <summary>Maps a <see cref="SlotManifest"/> to the fields of its <see cref="FlashRecord"/> and back.</summary>
    public static class SlotManifestCodec
    {
        /// <summary>Format of the stored fields; a manifest with another format is treated as damaged.</summary>
        public const int FormatVersion = 1;

        /// <summary>The record for <paramref name="manifest"/>.</summary>
        public static FlashRecord Encode(SlotManifest manifest)
        {
            FlashRecord record = new FlashRecord();
            record.SetLong("format", FormatVersion);
            record.SetLong("seq", manifest.Sequence);
            record.SetLong("active", manifest.ActiveSlot);
            record.SetLong("state", (int)manifest.State);
            record.Set("version", manifest.ActiveVersion);
            record.SetLong("attempts", manifest.BootAttempts);
            record.SetLong("confirmWithin", manifest.ConfirmWithinBoots);
            record.SetLong("fallback", manifest.FallbackSlot);
            record.Set("fallbackVersion", manifest.FallbackVersion);
            record.Set("rolledBack", manifest.RolledBackVersion);
            record.Set("rolledBackReason", manifest.RolledBackReason);
            record.Set("signature", manifest.ActiveSignature);
            record.SetLong("counter", manifest.ActiveCounter);
            record.Set("fallbackSignature", manifest.FallbackSignature);
            record.SetLong("fallbackCounter", manifest.FallbackCounter);
            record.SetLong("counterFloor", manifest.CounterFloor);
            return record;
        }

        /// <summary>The manifest in <paramref name="record"/>, or null when a field is missing or out of range.</summary>
        public static SlotManifest Decode(FlashRecord record)
        {
            if (record == null || record.GetLong("format", -1) != FormatVersion)
            {
                return null;
            }

            SlotManifest manifest = new SlotManifest();
            long active = record.GetLong("active", -1);
            long state = record.GetLong("state", -1);
            long fallback = record.GetLong("fallback", -2);
            long attempts = record.GetLong("attempts", -1);
            long confirmWithin = record.GetLong("confirmWithin", -1);
            if (active < 0 || active > 1 || state < 0 || state > 3 || fallback < -1 || fallback > 1 || fallback == active
                || attempts < 0 || attempts > 1000 || confirmWithin < 1 || confirmWithin > 1000)
            {
                return null;
            }

            manifest.ActiveSlot = (int)active;
            manifest.State = (SlotState)(int)state;
            manifest.FallbackSlot = (int)fallback;
            manifest.BootAttempts = (int)attempts;
            manifest.ConfirmWithinBoots = (int)confirmWithin;
            manifest.Sequence = record.GetLong("seq", 0);
            manifest.ActiveVersion = OrEmpty(record.Get("version"));
            manifest.FallbackVersion = OrEmpty(record.Get("fallbackVersion"));
            manifest.RolledBackVersion = OrEmpty(record.Get("rolledBack"));
            manifest.RolledBackReason = OrEmpty(record.Get("rolledBackReason"));

            // Absent in manifests written before signed images: nothing verified, counters 0.
            manifest.ActiveSignature = OrEmpty(record.Get("signature"));
            manifest.ActiveCounter = record.GetLong("counter", 0);
            manifest.FallbackSignature = OrEmpty(record.Get("fallbackSignature"));
            manifest.FallbackCounter = record.GetLong("fallbackCounter", 0);
            manifest.CounterFloor = record.GetLong("counterFloor", 0);
            return manifest;
        }

        private static string OrEmpty(string value)
        {
            return value == null ? string.Empty : value;
        }
    }
}
