using Xunit;
using System.Text;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Tests.Support;
using OtaPartition;

namespace AliyunIot.Tests.Ota
{
    public sealed class OtaPartitionTests : IDisposable
    {
        private readonly TempFolder _temp = new();

        public void Dispose() => _temp.Dispose();

        [Theory]
        [InlineData("", 0x00000000u)]
        [InlineData("123456789", 0xCBF43926u)]
        [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
        public void Crc32_matches_the_IEEE_check_values(string text, uint expected)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            Assert.Equal(expected, Crc32.Compute(bytes, 0, bytes.Length));

            // Incremental in odd pieces gives the same value.
            var crc = new Crc32();
            for (int i = 0; i < bytes.Length; i += 4)
            {
                crc.Append(bytes, i, Math.Min(4, bytes.Length - i));
            }

            Assert.Equal(expected, crc.Value);
        }

        [Fact]
        public void Flash_record_has_a_pinned_text_format_and_round_trips_any_value()
        {
            var record = new FlashRecord();
            record.Set("a", "1");
            record.Set("url", "https://x/y?z=1\nline2\\ é");
            byte[] bytes = record.Encode();
            string text = Encoding.ASCII.GetString(bytes);
            Assert.StartsWith("a=1\nurl=https://x/y?z=1\\nline2\\\\ \\u00e9\ncrc=", text);
            Assert.Matches("crc=[0-9a-f]{8}\n$", text);

            var decoded = FlashRecord.Decode(bytes, bytes.Length);
            Assert.NotNull(decoded);
            Assert.Equal("1", decoded.Get("a"));
            Assert.Equal("https://x/y?z=1\nline2\\ é", decoded.Get("url"));
        }

        [Fact]
        public void Flash_record_with_any_flipped_byte_or_truncation_is_rejected()
        {
            var record = new FlashRecord();
            record.Set("active", "1");
            record.Set("version", "2.0.0");
            byte[] bytes = record.Encode();
            for (int i = 0; i < bytes.Length; i++)
            {
                byte[] copy = (byte[])bytes.Clone();
                copy[i] ^= 0x01;
                Assert.Null(FlashRecord.Decode(copy, copy.Length));
            }

            for (int length = 0; length < bytes.Length; length++)
            {
                Assert.Null(FlashRecord.Decode(bytes, length));
            }
        }

        [Fact]
        public void Image_header_has_a_pinned_layout()
        {
            byte[] keyId = { 1, 2, 3, 4, 5, 6, 7, 8 };
            var header = new OtaImageHeader("1.2", new[] { new OtaImageEntry("A.pe", 3, 0x11223344) }, 0x0102, OtaImageHeader.TierFull, "w", "1", 256, keyId);
            byte[] bytes = header.Encode();
            string hex = Convert.ToHexString(bytes);
            // magic NFOT, format 2, header length 0x32, 1 assembly, "1.2", counter 0x102, tier 1, profiles "w",
            // platform "1", signature length 256, key id, "A.pe", length 3, crc, header crc.
            Assert.StartsWith("4E464F54" + "0200" + "3200" + "0100" + "03312E32" + "02010000" + "01" + "0177" + "0131" + "0001"
                + "0102030405060708" + "04412E7065" + "03000000" + "44332211", hex);
            Assert.Equal(50, bytes.Length);
            Assert.Equal(50 + 3, header.SignedLength);
            Assert.Equal(50 + 3 + 256 + 4, header.TotalLength);
            var decoded = OtaImageHeader.Decode(bytes, bytes.Length);
            Assert.Equal((0x102L, OtaImageHeader.TierFull, "w", "1", 256), (decoded.SecurityCounter, decoded.Tier, decoded.Profiles, decoded.PlatformVersion, decoded.SignatureLength));
            Assert.Equal(keyId, decoded.KeyId);
        }

        [Fact]
        public void Loader_rolls_back_a_pending_image_whose_signature_was_never_verified()
        {
            var storage = new FileFlashStorage(_temp.Path);
            File.WriteAllBytes(Path.Combine(_temp.Path, "slotA.img"), OtaTestImages.Build("1.0.0", 3, 100));
            var store = new SlotStore(storage);
            WriteWhole(store, "job", OtaTestImages.Build("2.0.0", 4, 3000));
            OtaTestImages.ActivateAsVerified(store, "2.0.0", 3, new byte[512]);

            // Someone (a bug, or a hand on I:) rewrites the manifest without the agent's verification mark.
            SlotManifest tampered = store.ReadManifest();
            tampered.ActiveSignature = string.Empty;
            store.WriteManifest(tampered);

            BootDecision decision = new BootGuard(store).Boot();
            Assert.Equal((0, "1.0.0", SlotState.RolledBack, "2.0.0"), (decision.Slot, decision.Version, decision.State, decision.RolledBackVersion));
            Assert.Equal("signature never verified", store.ReadManifest().RolledBackReason);
        }

        [Fact]
        public void Loader_refuses_a_slot_rewritten_after_its_signature_was_verified()
        {
            var storage = new FileFlashStorage(_temp.Path);
            File.WriteAllBytes(Path.Combine(_temp.Path, "slotA.img"), OtaTestImages.Build("1.0.0", 3, 100));
            var store = new SlotStore(storage);
            WriteWhole(store, "job", OtaTestImages.Build("2.0.0", 4, 3000));
            OtaTestImages.ActivateAsVerified(store, "2.0.0", 3, new byte[512]);

            // A structurally valid image (its own CRCs right), but not the one whose signature the agent checked.
            File.WriteAllBytes(Path.Combine(_temp.Path, "slotB.img"), OtaTestImages.Build("2.0.0", 5, 3000));
            var guard = new BootGuard(store);
            BootDecision decision = guard.Boot();
            OtaImageReader.ReadAssemblies(storage, decision.FileName, out OtaImageHeader header);
            Assert.Throws<OtaImageException>(() => guard.CheckVerified(decision, header));

            BootDecision fallback = guard.ReportBadImage(decision, new byte[256]);
            Assert.Equal((0, "1.0.0"), (fallback.Slot, fallback.Version));
            OtaImageReader.ReadAssemblies(storage, fallback.FileName, out header);
            guard.CheckVerified(fallback, header);
        }

        [Fact]
        public void Format_1_images_written_before_signatures_are_still_read()
        {
            // A format-1 image as the previous otapack wrote it (pinned bytes): magic, format 1, header length 0x1F,
            // 1 assembly, "1.2", "A.pe", length 3, CRC-32 of "abc", header CRC; then "abc".
            byte[] body = "abc"u8.ToArray();
            byte[] header = Convert.FromHexString("4E464F5401001F00010003312E3204412E706503000000" + Convert.ToHexString(BitConverter.GetBytes(Crc32.Compute(body, 0, 3))));
            byte[] withCrc = header.Concat(BitConverter.GetBytes(Crc32.Compute(header, 0, header.Length))).Concat(body).ToArray();
            File.WriteAllBytes(Path.Combine(_temp.Path, "old.img"), withCrc);

            var read = OtaImageReader.Validate(new FileFlashStorage(_temp.Path), "old.img", new byte[64]);
            Assert.Equal(("1.2", OtaImageHeader.UnsignedFormatVersion, false, 0L, 34L), (read.Version, read.Format, read.IsSigned, read.SecurityCounter, read.TotalLength));
        }

        [Fact]
        public void Image_reader_returns_the_assemblies_of_a_valid_image()
        {
            var storage = new FileFlashStorage(_temp.Path);
            byte[] image = OtaTestImages.Build("1.0.0", 1, 1000, 5000, 7);
            File.WriteAllBytes(Path.Combine(_temp.Path, "img"), image);

            var header = OtaImageReader.Validate(storage, "img", new byte[333]);
            Assert.Equal("1.0.0", header.Version);
            Assert.Equal(new[] { "Part0.pe", "Part1.pe", "Part2.pe" }, header.Entries.Select(e => e.Name));

            byte[][] assemblies = OtaImageReader.ReadAssemblies(storage, "img", out var read);
            Assert.Equal(OtaTestImages.Assemblies(image), assemblies);
            Assert.Equal(image.Length, read.TotalLength);
        }

        [Fact]
        public void Image_reader_rejects_every_single_byte_corruption_truncation_and_extension()
        {
            var storage = new FileFlashStorage(_temp.Path);
            byte[] image = OtaTestImages.Build("1.0.0", 2, 40, 60);
            string path = Path.Combine(_temp.Path, "img");
            for (int i = 0; i < image.Length; i++)
            {
                byte[] copy = (byte[])image.Clone();
                copy[i] ^= 0x80;
                File.WriteAllBytes(path, copy);
                Assert.Throws<OtaImageException>(() => OtaImageReader.Validate(storage, "img", new byte[16]));
                Assert.Throws<OtaImageException>(() => OtaImageReader.ReadAssemblies(storage, "img", out _));
            }

            foreach (int length in new[] { 0, 5, 10, 30, image.Length - 1 })
            {
                File.WriteAllBytes(path, image.AsSpan(0, length).ToArray());
                Assert.Throws<OtaImageException>(() => OtaImageReader.Validate(storage, "img", new byte[16]));
            }

            File.WriteAllBytes(path, image.Concat(new byte[] { 0 }).ToArray());
            Assert.Throws<OtaImageException>(() => OtaImageReader.Validate(storage, "img", new byte[16]));
            Assert.Throws<OtaImageException>(() => OtaImageReader.Validate(storage, "missing", new byte[16]));
        }

        [Fact]
        public void Without_manifest_slot_A_runs_confirmed_with_its_header_version()
        {
            var storage = new FileFlashStorage(_temp.Path);
            File.WriteAllBytes(Path.Combine(_temp.Path, "slotA.img"), OtaTestImages.Build("1.0.0", 3, 100));
            var decision = new BootGuard(new SlotStore(storage)).Boot();
            Assert.True(decision.HasImage);
            Assert.Equal(0, decision.Slot);
            Assert.Equal("slotA.img", decision.FileName);
            Assert.Equal("1.0.0", decision.Version);
            Assert.Equal(SlotState.Confirmed, decision.State);
        }

        [Fact]
        public void New_image_is_pending_then_testing_then_confirmed()
        {
            var storage = new FileFlashStorage(_temp.Path);
            File.WriteAllBytes(Path.Combine(_temp.Path, "slotA.img"), OtaTestImages.Build("1.0.0", 3, 100));
            var store = new SlotStore(storage);
            byte[] v2 = OtaTestImages.Build("2.0.0", 4, 3000);
            WriteWhole(store, "job", v2);
            OtaTestImages.ActivateAsVerified(store, "2.0.0", 3, new byte[512]);
            Assert.Equal(SlotState.Pending, store.ReadManifest().State);

            var decision = new BootGuard(new SlotStore(storage)).Boot();
            Assert.Equal(1, decision.Slot);
            Assert.Equal("2.0.0", decision.Version);
            Assert.Equal(SlotState.Testing, decision.State);
            Assert.Equal(1, decision.BootAttempts);
            Assert.Equal(v2, File.ReadAllBytes(Path.Combine(_temp.Path, decision.FileName)));

            Assert.Throws<InvalidOperationException>(() => store.OpenWriter("next", 10));
            Assert.True(store.Confirm());
            Assert.False(store.Confirm());
            var after = new BootGuard(new SlotStore(storage)).Boot();
            Assert.Equal(SlotState.Confirmed, after.State);
            Assert.Equal(1, after.Slot);
            Assert.Equal("1.0.0", store.ReadManifest().FallbackVersion);
        }

        [Fact]
        public void Image_that_never_confirms_is_rolled_back_after_N_boots()
        {
            var storage = new FileFlashStorage(_temp.Path);
            File.WriteAllBytes(Path.Combine(_temp.Path, "slotA.img"), OtaTestImages.Build("1.0.0", 3, 100));
            var store = new SlotStore(storage);
            WriteWhole(store, "job", OtaTestImages.Build("2.0.0", 4, 3000));
            OtaTestImages.ActivateAsVerified(store, "2.0.0", 2, new byte[512]);

            var guard = new BootGuard(store);
            Assert.Equal(("2.0.0", SlotState.Testing, 1), Summary(guard.Boot()));
            Assert.Equal(("2.0.0", SlotState.Testing, 2), Summary(guard.Boot()));
            var rolledBack = guard.Boot();
            Assert.Equal(("1.0.0", SlotState.RolledBack, 0), Summary(rolledBack));
            Assert.Equal(0, rolledBack.Slot);
            Assert.Equal("2.0.0", rolledBack.RolledBackVersion);
            Assert.Equal(SlotState.RolledBack, guard.Boot().State);

            Assert.True(store.AcknowledgeRollback());
            Assert.Equal(("1.0.0", SlotState.Confirmed, 0), Summary(guard.Boot()));
            Assert.Equal(string.Empty, store.ReadManifest().RolledBackVersion);
        }

        [Fact]
        public void Damaged_active_image_falls_back_to_the_other_valid_slot()
        {
            var storage = new FileFlashStorage(_temp.Path);
            File.WriteAllBytes(Path.Combine(_temp.Path, "slotA.img"), OtaTestImages.Build("1.0.0", 3, 100));
            var store = new SlotStore(storage);
            WriteWhole(store, "job", OtaTestImages.Build("2.0.0", 4, 3000));
            OtaTestImages.ActivateAsVerified(store, "2.0.0", 3, new byte[512]);
            var guard = new BootGuard(store);
            var decision = guard.Boot();

            byte[] onFlash = File.ReadAllBytes(Path.Combine(_temp.Path, decision.FileName));
            onFlash[^1] ^= 1;
            File.WriteAllBytes(Path.Combine(_temp.Path, decision.FileName), onFlash);
            Assert.Throws<OtaImageException>(() => OtaImageReader.ReadAssemblies(storage, decision.FileName, out _));

            var fallback = guard.ReportBadImage(decision, new byte[256]);
            Assert.True(fallback.HasImage);
            Assert.Equal(0, fallback.Slot);
            Assert.Equal(SlotState.RolledBack, fallback.State);
            Assert.Equal("2.0.0", fallback.RolledBackVersion);

            File.Delete(Path.Combine(_temp.Path, "slotA.img"));
            Assert.False(guard.ReportBadImage(fallback, new byte[256]).HasImage);
        }

        [Fact]
        public void Writer_resumes_the_same_job_and_restarts_a_different_one()
        {
            var storage = new FileFlashStorage(_temp.Path);
            var store = new SlotStore(storage);
            byte[] data = new byte[10000];
            new Random(5).NextBytes(data);
            using (var writer = store.OpenWriter("job-1", data.Length))
            {
                writer.Write(data, 0, 4000);
                writer.Flush();
            }

            Assert.Equal("job-1", store.PendingDownloadTag());
            using (var writer = store.OpenWriter("job-1", data.Length))
            {
                Assert.Equal(4000, writer.Offset);
                writer.Write(data, 4000, 6000);
                Assert.True(writer.IsComplete);
                Assert.Throws<InvalidOperationException>(() => writer.Write(data, 0, 1));
                writer.Flush();
            }

            Assert.Equal(data, File.ReadAllBytes(Path.Combine(_temp.Path, "slotB.img")));
            using (var writer = store.OpenWriter("job-2", data.Length))
            {
                Assert.Equal(0, writer.Offset);
            }

            Assert.Equal(0, storage.Length("slotB.img") <= 0 ? 0 : storage.Length("slotB.img"));
            store.DiscardDownload();
            Assert.Null(store.PendingDownloadTag());
            Assert.False(storage.Exists("slotB.img"));
        }

        [Fact]
        public void Manifest_survives_a_device_style_replace_cut_between_delete_and_move()
        {
            var storage = new FileFlashStorage(_temp.Path);
            var store = new SlotStore(storage);
            var manifest = store.ReadManifest();
            manifest.ActiveVersion = "9.9.9";
            store.WriteManifest(manifest);

            // The device replaces by delete + move: a cut in between leaves only manifest.new.
            File.Copy(Path.Combine(_temp.Path, "manifest"), Path.Combine(_temp.Path, "manifest.new"));
            File.Delete(Path.Combine(_temp.Path, "manifest"));
            Assert.Equal("9.9.9", new SlotStore(storage).ReadManifest().ActiveVersion);
        }

        /// <summary>
        /// The acceptance test for power loss at the slot level: a full update (download into the inactive slot
        /// in 4 KiB chunks with a flush each, activation, first boot, confirmation) is cut at EVERY write, flush,
        /// create, delete and rename. After each cut the device "reboots": it must run a complete image that
        /// passes the loader's checks, old or new, never a mix, with a readable manifest; then the update is run
        /// again without faults and must end with the new image confirmed.
        /// </summary>
        [Fact]
        public void Power_cut_at_every_flash_operation_of_an_update_always_boots_a_complete_image()
        {
            byte[] v1 = OtaTestImages.Build("1.0.0", 10, 3000, 2000);
            byte[] v2 = OtaTestImages.Build("2.0.0", 11, 9000, 6000);
            var v1Assemblies = OtaTestImages.Assemblies(v1);
            var v2Assemblies = OtaTestImages.Assemblies(v2);

            int clean = CountOperations(v1, v2);
            Assert.True(clean > 10, "a full update takes " + clean + " operations");
            int oldRuns = 0, newRuns = 0;
            for (int cut = 1; cut <= clean; cut++)
            {
                string folder = _temp.Sub("cut" + cut);
                File.WriteAllBytes(Path.Combine(folder, "slotA.img"), v1);
                var faulty = new FaultInjectingStorage(new FileFlashStorage(folder), cut);
                Assert.Throws<PowerCutException>(() => RunUpdate(faulty, v2));

                var storage = new FileFlashStorage(folder);
                if (LoaderBootCheck.RunsACompleteImage(storage, "1.0.0", v1Assemblies, v2Assemblies, "cut " + cut) == "1.0.0")
                {
                    oldRuns++;
                }
                else
                {
                    newRuns++;
                }

                // The committed manifest only ever appears by rename, so it is never torn (manifest.new may be);
                // without one the device is still in the factory state.
                if (storage.Exists("manifest"))
                {
                    Assert.NotNull(SlotManifestCodec.Decode(RecordFiles.Read(storage, SlotStore.ManifestName)));
                }

                // The device carries on: it finishes (or repeats) the update without faults.
                RunUpdate(storage, v2);
                var final = new BootGuard(new SlotStore(storage)).Boot();
                Assert.Equal(("2.0.0", SlotState.Confirmed), (final.Version, final.State));
                Assert.Equal(v2Assemblies, OtaImageReader.ReadAssemblies(storage, final.FileName, out _));
            }

            Assert.True(oldRuns > 0 && newRuns > 0, $"old {oldRuns}, new {newRuns}");
        }

        private static int CountOperations(byte[] v1, byte[] v2)
        {
            using var temp = new TempFolder();
            File.WriteAllBytes(Path.Combine(temp.Path, "slotA.img"), v1);
            var counting = new FaultInjectingStorage(new FileFlashStorage(temp.Path), 0);
            RunUpdate(counting, v2);
            return counting.Operations;
        }

        /// <summary>What the device does for one update, from wherever it stands: boot, download (resuming), activate, reboot, confirm.</summary>
        internal static void RunUpdate(IFlashStorage storage, byte[] image, int chunk = 4096)
        {
            var store = new SlotStore(storage);
            var decision = new BootGuard(store).Boot();
            if (decision.State == SlotState.Testing)
            {
                store.Confirm();
                return;
            }

            if (decision.Version == "2.0.0")
            {
                return;
            }

            store.AcknowledgeRollback();
            using (var writer = store.OpenWriter("2.0.0/sha", image.Length))
            {
                for (long p = writer.Offset; p < image.Length; p += chunk)
                {
                    int count = (int)Math.Min(chunk, image.Length - p);
                    writer.Write(image, (int)p, count);
                    writer.Flush();
                }
            }

            OtaTestImages.ActivateAsVerified(store, "2.0.0", 3, new byte[1024]);
            var rebooted = new BootGuard(new SlotStore(storage)).Boot();
            Assert.Equal(SlotState.Testing, rebooted.State);
            new SlotStore(storage).Confirm();
        }

        private static void WriteWhole(SlotStore store, string tag, byte[] image)
        {
            using var writer = store.OpenWriter(tag, image.Length);
            writer.Write(image, 0, image.Length);
            writer.Flush();
        }

        private static (string, SlotState, int) Summary(BootDecision d) => (d.Version, d.State, d.BootAttempts);
    }
}
