namespace OtaPartition
{
    /// <summary>
    /// Which slot runs and in what state: the only mutable truth of the slot store, replaced atomically as a
    /// whole (<see cref="RecordFiles"/>). Slots are numbered 0 (A) and 1 (B).
    /// </summary>
    public sealed class SlotManifest
    {
        /// <summary>No slot (for <see cref="FallbackSlot"/>).</summary>
        public const int NoSlot = -1;

        /// <summary>The slot the loader runs (0 = A, 1 = B).</summary>
        public int ActiveSlot;

        /// <summary>State of <see cref="ActiveSlot"/>.</summary>
        public SlotState State = SlotState.Confirmed;

        /// <summary>Version of the image in <see cref="ActiveSlot"/> (from the OTA job or the image header).</summary>
        public string ActiveVersion = string.Empty;

        /// <summary>Boots of a <see cref="SlotState.Testing"/> image so far; for a confirmed image, consecutive boots in which it failed to load.</summary>
        public int BootAttempts;

        /// <summary>Boots a new image gets to confirm itself before it is rolled back.</summary>
        public int ConfirmWithinBoots = 3;

        /// <summary>The confirmed slot to return to when the active one fails, or <see cref="NoSlot"/>.</summary>
        public int FallbackSlot = NoSlot;

        /// <summary>Version of <see cref="FallbackSlot"/>.</summary>
        public string FallbackVersion = string.Empty;

        /// <summary>Version that was rolled back and not yet reported to the platform, or empty.</summary>
        public string RolledBackVersion = string.Empty;

        /// <summary>Why it was rolled back (for the platform's desc), or empty.</summary>
        public string RolledBackReason = string.Empty;

        /// <summary>
        /// "crc32hex" of the signature the OTA agent verified for the image in <see cref="ActiveSlot"/>, or empty when
        /// the image was not installed over the air (provisioned with flash.ps1). The loader refuses a Pending image
        /// without it and an image whose signature bytes no longer match it.
        /// </summary>
        public string ActiveSignature = string.Empty;

        /// <summary>Security counter of the image in <see cref="ActiveSlot"/> (0 when unknown).</summary>
        public long ActiveCounter;

        /// <summary><see cref="ActiveSignature"/> of <see cref="FallbackSlot"/>.</summary>
        public string FallbackSignature = string.Empty;

        /// <summary>Security counter of <see cref="FallbackSlot"/>.</summary>
        public long FallbackCounter;

        /// <summary>
        /// Highest security counter of an image that confirmed itself: a new image with a lower counter is refused
        /// (unless the user allows downgrades). Never decreases.
        /// </summary>
        public long CounterFloor;

        /// <summary>Incremented at every write: shows in support dumps which manifest is newer.</summary>
        public long Sequence;

        /// <summary>The other slot.</summary>
        public int InactiveSlot
        {
            get { return 1 - ActiveSlot; }
        }

        /// <summary>A copy (callers change the copy, then store it).</summary>
        public SlotManifest Clone()
        {
            SlotManifest copy = new SlotManifest();
            copy.ActiveSlot = ActiveSlot;
            copy.State = State;
            copy.ActiveVersion = ActiveVersion;
            copy.BootAttempts = BootAttempts;
            copy.ConfirmWithinBoots = ConfirmWithinBoots;
            copy.FallbackSlot = FallbackSlot;
            copy.FallbackVersion = FallbackVersion;
            copy.RolledBackVersion = RolledBackVersion;
            copy.RolledBackReason = RolledBackReason;
            copy.Sequence = Sequence;
            copy.ActiveSignature = ActiveSignature;
            copy.ActiveCounter = ActiveCounter;
            copy.FallbackSignature = FallbackSignature;
            copy.FallbackCounter = FallbackCounter;
            copy.CounterFloor = CounterFloor;
            return copy;
        }
    }
}
