namespace OtaPartition
{
    /// <summary>
    /// The loader's first decision, made before <see cref="BootGuard"/> or any slot is touched: on a board whose
    /// profile has no code OTA (WROOM, C3) flash.ps1 deploys the application's assembly into the deployment region
    /// with the platform tier, and the loader runs it from there (in place, only its runtime tables in the heap)
    /// instead of <c>Assembly.Load</c>ing a slot image the heap cannot hold. Slot images are then ignored, not read:
    /// no boot is counted and no rollback recorded. Portable so the host tests the decision and its log line; the
    /// loader supplies whether the entry type resolves in flash (nanoFramework's <c>Type.GetType</c>).
    /// </summary>
    public static class InFlashApplication
    {
        /// <summary>
        /// What the loader runs: when <paramref name="entryTypeDeployed"/>, the log line saying the application runs
        /// from flash and naming every slot file on <paramref name="storage"/> it ignores; otherwise null (take the
        /// slot path: <see cref="BootGuard.Boot"/> and <see cref="LoaderPlan.Choose"/>). Only reads file lengths.
        /// </summary>
        /// <param name="entryTypeDeployed">True when the application's entry type is already deployed in flash.</param>
        /// <param name="entryTypeName">The entry type's full name, for the log.</param>
        /// <param name="storage">Where the slot files would be.</param>
        public static string Decide(bool entryTypeDeployed, string entryTypeName, IFlashStorage storage)
        {
            if (!entryTypeDeployed)
            {
                return null;
            }

            string ignored = string.Empty;
            for (int slot = 0; slot < 2; slot++)
            {
                string name = SlotStore.SlotFileName(slot);
                long length = SafeLength(storage, name);
                if (length >= 0)
                {
                    ignored = ignored + (ignored.Length == 0 ? string.Empty : ", ") + name + " (" + length.ToString() + " bytes)";
                }
            }

            return "[loader] " + entryTypeName + " is deployed in flash (the platform tier, flash.ps1): running it from flash, no slot image is loaded; "
                + (ignored.Length == 0 ? "no slot images on I:\\." : "ignoring slot images on I:\\: " + ignored + ".");
        }

        private static long SafeLength(IFlashStorage storage, string name)
        {
            // The decision must not fail on an unreadable I: (the application reports storage problems itself).
            try
            {
                return storage.Length(name);
            }
            catch (System.Exception)
            {
                return -1;
            }
        }
    }
}
