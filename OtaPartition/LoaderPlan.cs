namespace OtaPartition
{
    /// <summary>
    /// The loader's choice of what to load, made before anything is read into memory: the slot <see cref="BootGuard"/>
    /// chose when its image is intact and fits the free heap, otherwise the other slot when that one does (recorded
    /// as a rollback with the reason), otherwise nothing (the loader waits for provisioning). Portable so the host
    /// tests every case; the loader supplies the free heap it measured (nanoFramework's <c>GC.Run</c>).
    /// </summary>
    public sealed class LoaderPlan
    {
        private LoaderPlan(BootDecision decision, OtaImageHeader header, string refusals)
        {
            Decision = decision;
            Header = header;
            Refusals = refusals;
        }

        /// <summary>What to run; <see cref="BootDecision.HasImage"/> false when no slot can run on this board.</summary>
        public BootDecision Decision { get; private set; }

        /// <summary>The validated header of the image to load, or null without one.</summary>
        public OtaImageHeader Header { get; private set; }

        /// <summary>Why slots were passed over ("slot A: ...; slot B: ..."), or empty: the log's explanation.</summary>
        public string Refusals { get; private set; }

        /// <summary>Total .pe bytes the image to load carries (0 without one).</summary>
        public long AssemblyBytes
        {
            get { return Header == null ? 0 : LoadBudget.AssemblyBytes(Header); }
        }

        /// <summary>
        /// Checks the decided slot, then at most once the other one: each image must pass the full content check
        /// (<see cref="OtaImageReader.Validate"/>, streamed through <paramref name="buffer"/>), still carry the signature the
        /// agent verified (<see cref="BootGuard.CheckVerified"/>) and fit
        /// <paramref name="freeHeap"/> (<see cref="LoadBudget"/>). A refused slot is reported to the guard, which
        /// switches to the other slot only when that one holds a valid image.
        /// </summary>
        /// <param name="guard">The boot guard (records switches).</param>
        /// <param name="storage">Where the slots are.</param>
        /// <param name="decision">What <see cref="BootGuard.Boot"/> returned.</param>
        /// <param name="freeHeap">Free managed heap now, before anything of the image is read.</param>
        /// <param name="buffer">Scratch buffer for streaming validation.</param>
        public static LoaderPlan Choose(BootGuard guard, IFlashStorage storage, BootDecision decision, long freeHeap, byte[] buffer)
        {
            string refusals = string.Empty;
            for (int attempt = 0; attempt < 2 && decision.HasImage; attempt++)
            {
                string reason;
                OtaImageHeader header = null;
                try
                {
                    header = OtaImageReader.Validate(storage, decision.FileName, buffer);

                    // An image installed over the air must still carry the signature the agent verified.
                    guard.CheckVerified(decision, header);
                    long bytes = LoadBudget.AssemblyBytes(header);
                    reason = LoadBudget.Fits(bytes, freeHeap) ? null : LoadBudget.Shortfall(bytes, freeHeap);
                }
                catch (OtaImageException e)
                {
                    reason = "image damaged: " + e.Message;
                }

                if (reason == null)
                {
                    return new LoaderPlan(decision, header, refusals);
                }

                refusals = refusals + (refusals.Length == 0 ? string.Empty : "; ") + "slot " + SlotStore.SlotLetter(decision.Slot) + " (" + decision.Version + "): " + reason;
                if (attempt == 1)
                {
                    // The other slot was refused too: reporting it would only flip back to the first refused slot.
                    return new LoaderPlan(decision.WithoutImage(), null, refusals);
                }

                decision = guard.ReportBadImage(decision, buffer, reason);
            }

            return new LoaderPlan(decision, null, refusals);
        }
    }
}
