using System;

namespace OtaPartition
{
    /// <summary>
    /// Two image slots (A and B) plus a manifest in an <see cref="IFlashStorage"/>. Files: <c>slotA.img</c>,
    /// <c>slotB.img</c>, <c>manifest</c> (+ <c>manifest.new</c> while it is replaced) and <c>download</c>
    /// (+ <c>.new</c>): the record of the download in progress into the inactive slot.
    /// Every change is ordered so that a power cut at any write, flush, delete or rename leaves a state in
    /// which the loader runs a complete, verified image: the running (active) slot is never written while it
    /// is the one to run, and the switch to a new image is the single atomic manifest replacement.
    /// </summary>
    public sealed class SlotStore
    {
        /// <summary>Name of the manifest file.</summary>
        public const string ManifestName = "manifest";

        /// <summary>Name of the download record file.</summary>
        public const string DownloadName = "download";

        private readonly IFlashStorage _storage;
        private readonly object _lock = new object();

        /// <summary>Creates a store over <paramref name="storage"/>.</summary>
        public SlotStore(IFlashStorage storage)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            _storage = storage;
        }

        /// <summary>The storage the slots live in.</summary>
        public IFlashStorage Storage
        {
            get { return _storage; }
        }

        /// <summary>File name of slot 0 (A) or 1 (B).</summary>
        public static string SlotFileName(int slot)
        {
            return slot == 0 ? "slotA.img" : "slotB.img";
        }

        /// <summary>Letter of a slot, for logs: "A" or "B".</summary>
        public static string SlotLetter(int slot)
        {
            return slot == 0 ? "A" : "B";
        }

        /// <summary>
        /// The committed manifest. Without one (first boot after provisioning with nanoff): slot A, Confirmed,
        /// version from slot A's image header (empty when it has none).
        /// </summary>
        public SlotManifest ReadManifest()
        {
            lock (_lock)
            {
                SlotManifest manifest = SlotManifestCodec.Decode(RecordFiles.Read(_storage, ManifestName));
                if (manifest != null)
                {
                    return manifest;
                }

                manifest = new SlotManifest();
                manifest.ActiveSlot = 0;
                manifest.State = SlotState.Confirmed;
                try
                {
                    manifest.ActiveVersion = OtaImageReader.ReadHeader(_storage, SlotFileName(0)).Version;
                }
                catch (OtaImageException)
                {
                    manifest.ActiveVersion = string.Empty;
                }

                return manifest;
            }
        }

        /// <summary>Stores <paramref name="manifest"/> atomically (its sequence number is incremented).</summary>
        public void WriteManifest(SlotManifest manifest)
        {
            lock (_lock)
            {
                manifest.Sequence++;
                RecordFiles.Write(_storage, ManifestName, SlotManifestCodec.Encode(manifest));
            }
        }

        /// <summary>
        /// Opens the inactive slot for a download. When the download record names the same job
        /// (<paramref name="jobTag"/>, <paramref name="expectedSize"/>) and slot, the writer resumes after the
        /// bytes already stored; otherwise the slot is emptied and a new record is written first.
        /// </summary>
        /// <param name="jobTag">Identifies the job (e.g. version + digest); free text.</param>
        /// <param name="expectedSize">Exact size of the image; writing more is refused.</param>
        /// <exception cref="InvalidOperationException">The active image is not confirmed yet: the inactive slot is
        /// its fallback and must not be touched.</exception>
        public SlotWriter OpenWriter(string jobTag, long expectedSize)
        {
            lock (_lock)
            {
                SlotManifest manifest = ReadManifest();
                if (manifest.State == SlotState.Pending || manifest.State == SlotState.Testing)
                {
                    throw new InvalidOperationException("the running image is not confirmed yet");
                }

                int slot = manifest.InactiveSlot;
                string fileName = SlotFileName(slot);
                FlashRecord record = RecordFiles.Read(_storage, DownloadName);
                long stored = _storage.Length(fileName);
                bool resume = record != null
                    && record.GetLong("slot", -1) == slot
                    && record.GetLong("size", -1) == expectedSize
                    && record.Get("job") == jobTag
                    && stored >= 0 && stored <= expectedSize;
                if (!resume)
                {
                    // Empty the slot before the record names the new job, so a record never describes old bytes.
                    RecordFiles.Delete(_storage, DownloadName);
                    _storage.Delete(fileName);
                    FlashRecord fresh = new FlashRecord();
                    fresh.SetLong("slot", slot);
                    fresh.SetLong("size", expectedSize);
                    fresh.Set("job", jobTag);
                    RecordFiles.Write(_storage, DownloadName, fresh);
                    stored = 0;
                }

                return new SlotWriter(_storage, slot, fileName, expectedSize, stored);
            }
        }

        /// <summary>The job tag of the download in progress into the inactive slot, or null.</summary>
        public string PendingDownloadTag()
        {
            lock (_lock)
            {
                FlashRecord record = RecordFiles.Read(_storage, DownloadName);
                if (record == null || record.GetLong("slot", -1) != ReadManifest().InactiveSlot)
                {
                    return null;
                }

                return record.Get("job");
            }
        }

        /// <summary>Opens what is stored in the inactive slot for reading (to re-hash it on resume).</summary>
        public IFlashFile OpenInactiveForRead()
        {
            return _storage.OpenRead(SlotFileName(ReadManifest().InactiveSlot));
        }

        /// <summary>Forgets the download in progress and empties the inactive slot (when it is no fallback).</summary>
        public void DiscardDownload()
        {
            lock (_lock)
            {
                SlotManifest manifest = ReadManifest();
                RecordFiles.Delete(_storage, DownloadName);
                if (manifest.State == SlotState.Confirmed || manifest.State == SlotState.RolledBack)
                {
                    _storage.Delete(SlotFileName(manifest.InactiveSlot));
                }
            }
        }

        /// <summary>
        /// Switches to the completely downloaded and verified image in the inactive slot: validates its header
        /// against its content and checks its signature bytes are the ones the caller verified, then commits a
        /// manifest with the new slot Pending (recording the verified signature and the image's security counter)
        /// and the current one as fallback. Takes effect at the next boot.
        /// </summary>
        /// <param name="version">Version of the new image (the platform's job version, equal to the header's).</param>
        /// <param name="confirmWithinBoots">Boots the new image gets to confirm itself.</param>
        /// <param name="buffer">Scratch buffer for the validation.</param>
        /// <param name="verifiedSignatureCrc">CRC-32 of the signature bytes the caller verified (0 for an unsigned image).</param>
        /// <returns>The validated header of the new image.</returns>
        /// <exception cref="OtaImageException">The slot does not hold a valid OTA image, or not the verified one (nothing was changed).</exception>
        public OtaImageHeader ActivateInactive(string version, int confirmWithinBoots, byte[] buffer, uint verifiedSignatureCrc)
        {
            lock (_lock)
            {
                SlotManifest current = ReadManifest();
                if (current.State == SlotState.Pending || current.State == SlotState.Testing)
                {
                    throw new InvalidOperationException("the running image is not confirmed yet");
                }

                OtaImageHeader header = OtaImageReader.Validate(_storage, SlotFileName(current.InactiveSlot), buffer);
                if (header.SignatureCrc32 != verifiedSignatureCrc)
                {
                    throw new OtaImageException("the image in the slot is not the one whose signature was verified");
                }

                SlotManifest next = current.Clone();
                next.FallbackSlot = current.ActiveSlot;
                next.FallbackVersion = current.ActiveVersion;
                next.FallbackSignature = current.ActiveSignature;
                next.FallbackCounter = current.ActiveCounter;
                next.ActiveSignature = SignatureMark(verifiedSignatureCrc);
                next.ActiveCounter = header.SecurityCounter;
                next.ActiveSlot = current.InactiveSlot;
                next.ActiveVersion = version;
                next.State = SlotState.Pending;
                next.BootAttempts = 0;
                next.ConfirmWithinBoots = confirmWithinBoots < 1 ? 1 : confirmWithinBoots;
                WriteManifest(next);

                // A stale record after a cut here is harmless: it names the now-active slot, never written again.
                RecordFiles.Delete(_storage, DownloadName);
                return header;
            }
        }

        /// <summary>The running image proved itself: Testing becomes Confirmed.</summary>
        /// <returns>true when the state changed; false when there was nothing to confirm.</returns>
        public bool Confirm()
        {
            lock (_lock)
            {
                SlotManifest manifest = ReadManifest();
                if (manifest.State != SlotState.Testing)
                {
                    return false;
                }

                manifest.State = SlotState.Confirmed;
                manifest.BootAttempts = 0;
                if (manifest.ActiveCounter > manifest.CounterFloor)
                {
                    manifest.CounterFloor = manifest.ActiveCounter;
                }

                WriteManifest(manifest);
                return true;
            }
        }

        /// <summary>What the manifest records for a verified signature whose bytes have CRC-32 <paramref name="crc"/>.</summary>
        public static string SignatureMark(uint crc)
        {
            const string Digits = "0123456789abcdef";
            char[] chars = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                chars[i] = Digits[(int)(crc & 0xF)];
                crc >>= 4;
            }

            return new string(chars);
        }

        /// <summary>The rollback was reported to the platform: RolledBack becomes Confirmed.</summary>
        /// <returns>true when the state changed.</returns>
        public bool AcknowledgeRollback()
        {
            lock (_lock)
            {
                SlotManifest manifest = ReadManifest();
                if (manifest.State != SlotState.RolledBack)
                {
                    return false;
                }

                manifest.State = SlotState.Confirmed;
                manifest.RolledBackVersion = string.Empty;
                manifest.RolledBackReason = string.Empty;
                WriteManifest(manifest);
                return true;
            }
        }
    }
}
