namespace OtaPartition
{
    /// <summary>What <see cref="BootGuard"/> decided the loader should run.</summary>
    public sealed class BootDecision
    {
        internal BootDecision(SlotManifest manifest, bool hasImage)
        {
            Slot = manifest.ActiveSlot;
            FileName = SlotStore.SlotFileName(manifest.ActiveSlot);
            Version = manifest.ActiveVersion;
            State = manifest.State;
            BootAttempts = manifest.BootAttempts;
            RolledBackVersion = manifest.RolledBackVersion;
            HasImage = hasImage;
        }

        /// <summary>The same slot and state, marked as nothing to run (no slot can run on this board).</summary>
        public BootDecision WithoutImage()
        {
            BootDecision copy = (BootDecision)MemberwiseClone();
            copy.HasImage = false;
            return copy;
        }

        /// <summary>Slot to run (0 = A, 1 = B).</summary>
        public int Slot { get; private set; }

        /// <summary>File name of the image to load.</summary>
        public string FileName { get; private set; }

        /// <summary>Version of that image.</summary>
        public string Version { get; private set; }

        /// <summary>State of the slot after this boot was counted (Testing while the image must still confirm).</summary>
        public SlotState State { get; private set; }

        /// <summary>Boots counted for a Testing image (1 on its first boot).</summary>
        public int BootAttempts { get; private set; }

        /// <summary>Version that was rolled back and not yet reported, or empty.</summary>
        public string RolledBackVersion { get; private set; }

        /// <summary>False when no slot holds a valid image: only a re-flash with nanoff helps.</summary>
        public bool HasImage { get; private set; }
    }
}
