namespace OtaPartition
{
    /// <summary>
    /// Called by the loader at every boot, before it loads anything: counts the boots of a new image and rolls
    /// back to the previous confirmed image when the new one did not confirm itself within its boots.
    /// </summary>
    public sealed class BootGuard
    {
        /// <summary>
        /// Consecutive boots in which a confirmed (or rolled-back-to) image failed to load before the loader gives up
        /// on it: one failure may be the runtime's (a load right after reading the file, Home#968), three are not.
        /// </summary>
        public const int MaxLoadFailures = 3;

        private readonly SlotStore _store;

        /// <summary>Creates the guard.</summary>
        public BootGuard(SlotStore store)
        {
            _store = store;
        }

        /// <summary>
        /// Decides which slot to run and records this boot: Pending becomes Testing (attempt 1); a Testing image
        /// gets one more attempt, and after <see cref="SlotManifest.ConfirmWithinBoots"/> unconfirmed boots the
        /// fallback slot becomes active again with state RolledBack.
        /// </summary>
        public BootDecision Boot()
        {
            SlotManifest manifest = _store.ReadManifest();
            if (manifest.State == SlotState.Pending && manifest.ActiveSignature.Length == 0 && manifest.FallbackSlot != SlotManifest.NoSlot)
            {
                // Activated without the agent's signature check (a bug, or someone wrote the manifest): never run it.
                manifest = RollBack(manifest, "signature never verified");
            }
            else if (manifest.State == SlotState.Pending)
            {
                manifest.State = SlotState.Testing;
                manifest.BootAttempts = 1;
                _store.WriteManifest(manifest);
            }
            else if (manifest.State == SlotState.Testing)
            {
                if (manifest.BootAttempts >= manifest.ConfirmWithinBoots && manifest.FallbackSlot != SlotManifest.NoSlot)
                {
                    manifest = RollBack(manifest, "not confirmed within " + manifest.ConfirmWithinBoots.ToString() + " boots");
                }
                else
                {
                    manifest.BootAttempts++;
                    _store.WriteManifest(manifest);
                }
            }

            return new BootDecision(manifest, true);
        }

        /// <summary>
        /// The loader found the image of <paramref name="decision"/> damaged (<see cref="OtaImageException"/>):
        /// switches to the other slot when it holds a valid image (state RolledBack) and returns the new decision;
        /// otherwise a decision without image.
        /// </summary>
        /// <param name="decision">What <see cref="Boot"/> returned.</param>
        /// <param name="buffer">Scratch buffer for validating the other slot.</param>
        public BootDecision ReportBadImage(BootDecision decision, byte[] buffer)
        {
            return ReportBadImage(decision, buffer, "image damaged");
        }

        /// <summary>
        /// The image of <paramref name="decision"/> cannot run on this board (damaged, or needs more heap than there
        /// is) and nothing of it was loaded: switches to the other slot when it holds a valid image (state RolledBack,
        /// <paramref name="reason"/> recorded for the platform) and returns the new decision; otherwise a decision
        /// without image (the loader waits for provisioning).
        /// </summary>
        public BootDecision ReportBadImage(BootDecision decision, byte[] buffer, string reason)
        {
            SlotManifest manifest = _store.ReadManifest();
            int other = 1 - decision.Slot;
            string otherVersion;
            try
            {
                otherVersion = OtaImageReader.Validate(_store.Storage, SlotStore.SlotFileName(other), buffer).Version;
            }
            catch (OtaImageException)
            {
                return new BootDecision(manifest, false);
            }

            if (manifest.FallbackSlot != other)
            {
                // Not the recorded fallback: nothing was verified for it (it was provisioned or is what remains).
                manifest.FallbackSlot = other;
                manifest.FallbackVersion = otherVersion;
                manifest.FallbackSignature = string.Empty;
                manifest.FallbackCounter = 0;
            }

            return new BootDecision(RollBack(manifest, reason), true);
        }

        /// <summary>
        /// Loading the image of <paramref name="decision"/> failed after assemblies may have been loaded (the loader
        /// reboots next). A Testing image: this boot was already counted by <see cref="Boot"/>, so nothing changes and
        /// the next boots retry it until its attempts run out and <see cref="Boot"/> rolls it back. A confirmed image:
        /// the failure is counted, and the <see cref="MaxLoadFailures"/>th in a row switches to the other slot (or,
        /// without a valid one, leaves no image to run).
        /// </summary>
        /// <returns>What the next boot will run.</returns>
        public BootDecision ReportLoadFailure(BootDecision decision, byte[] buffer)
        {
            SlotManifest manifest = _store.ReadManifest();
            if (manifest.ActiveSlot != decision.Slot || manifest.State == SlotState.Testing || manifest.State == SlotState.Pending)
            {
                return new BootDecision(manifest, true);
            }

            // For a confirmed image BootAttempts counts consecutive load failures (Boot only uses it while Testing).
            manifest.BootAttempts++;
            if (manifest.BootAttempts >= MaxLoadFailures)
            {
                return ReportBadImage(decision, buffer, "failed to load " + manifest.BootAttempts.ToString() + " times");
            }

            _store.WriteManifest(manifest);
            return new BootDecision(manifest, true);
        }

        /// <summary>The image of <paramref name="decision"/> loaded and its entry point is about to run: clears the load-failure count.</summary>
        public void ReportStarted(BootDecision decision)
        {
            SlotManifest manifest = _store.ReadManifest();
            if (manifest.ActiveSlot == decision.Slot && manifest.State != SlotState.Testing && manifest.BootAttempts != 0)
            {
                manifest.BootAttempts = 0;
                _store.WriteManifest(manifest);
            }
        }

        /// <summary>
        /// The cheap part of the signature check, for the loader after it read the image: an image installed over
        /// the air must still carry the very signature the agent verified (its CRC-32 is in the manifest), so a slot
        /// rewritten behind the agent's back is not run. Images provisioned with flash.ps1 carry no mark and pass.
        /// </summary>
        /// <exception cref="OtaImageException">The image is not the verified one.</exception>
        public void CheckVerified(BootDecision decision, OtaImageHeader header)
        {
            SlotManifest manifest = _store.ReadManifest();
            if (manifest.ActiveSlot != decision.Slot || manifest.ActiveSignature.Length == 0)
            {
                return;
            }

            if (SlotStore.SignatureMark(header.SignatureCrc32) != manifest.ActiveSignature || header.SecurityCounter != manifest.ActiveCounter)
            {
                throw new OtaImageException("not the image whose signature was verified");
            }
        }

        private SlotManifest RollBack(SlotManifest manifest, string reason)
        {
            SlotManifest next = manifest.Clone();
            next.RolledBackVersion = manifest.ActiveVersion;
            next.RolledBackReason = reason;
            next.ActiveSlot = manifest.FallbackSlot;
            next.ActiveVersion = manifest.FallbackVersion;
            next.ActiveSignature = manifest.FallbackSignature;
            next.ActiveCounter = manifest.FallbackCounter;
            next.FallbackSlot = SlotManifest.NoSlot;
            next.FallbackVersion = string.Empty;
            next.FallbackSignature = string.Empty;
            next.FallbackCounter = 0;
            next.State = SlotState.RolledBack;
            next.BootAttempts = 0;
            _store.WriteManifest(next);
            return next;
        }
    }
}
