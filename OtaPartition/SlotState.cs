namespace OtaPartition
{
    /// <summary>State of the active slot in the <see cref="SlotManifest"/>. Stored as its number.</summary>
    public enum SlotState
    {
        /// <summary>The active image has proven itself (or is the factory image); it is run at every boot.</summary>
        Confirmed = 0,

        /// <summary>A new, verified image was activated and has not booted yet.</summary>
        Pending = 1,

        /// <summary>The new image has booted at least once and has not confirmed itself yet; boots are counted.</summary>
        Testing = 2,

        /// <summary>
        /// The previous confirmed image runs again because the new one never confirmed (or was damaged). The
        /// application still has to tell the platform; then it acknowledges and the state becomes Confirmed.
        /// </summary>
        RolledBack = 3,
    }
}
