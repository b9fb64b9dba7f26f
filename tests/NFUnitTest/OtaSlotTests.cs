using System;
using System.IO;
using System.Text;
using nanoFramework.TestFramework;
using OtaPartition;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The A/B slot state machine the loader runs at every boot, over in-memory flash with the device's replace
    /// semantics: first boot without a manifest, Pending → Testing → Confirmed, rollback of an image that never
    /// confirms, fallback from a damaged image, download resume, and a power cut inside a manifest replace.
    /// </summary>
    [TestClass]
    public class OtaSlotTests
    {
        [TestMethod]
        public void Crc32_matches_the_ieee_check_values()
        {
            byte[] digits = Encoding.UTF8.GetBytes("123456789");
            Assert.AreEqual(0xCBF43926u, Crc32.Compute(digits, 0, digits.Length), "check value");
            Crc32 crc = new Crc32();
            crc.Append(digits, 0, 4);
            crc.Append(digits, 4, 5);
            Assert.AreEqual(0xCBF43926u, crc.Value, "in two pieces");
            byte[] fox = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog");
            Assert.AreEqual(0x414FA339u, Crc32.Compute(fox, 0, fox.Length), "fox");
        }

        [TestMethod]
        public void Image_reader_returns_the_assemblies_and_rejects_any_flipped_byte()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            byte[] image = Image("1.2.0", 7, 40, 25);
            storage.Put("slotA.img", image);

            OtaImageHeader header;
            byte[][] assemblies = OtaImageReader.ReadAssemblies(storage, "slotA.img", out header);
            Assert.AreEqual("1.2.0", header.Version, "version");
            Assert.AreEqual(2, assemblies.Length, "assemblies");
            Assert.AreEqual(40, assemblies[0].Length, "first assembly");
            Assert.AreEqual(25, assemblies[1].Length, "second assembly");
            Assert.AreEqual("Part0.pe", header.Entries[0].Name, "names in load order");

            // Every byte matters: header, first and second assembly.
            int[] positions = new int[] { 0, 5, header.HeaderLength - 1, header.HeaderLength, image.Length - 1 };
            for (int i = 0; i < positions.Length; i++)
            {
                byte[] damaged = (byte[])image.Clone();
                damaged[positions[i]] ^= 0x01;
                storage.Put("slotA.img", damaged);
                Assert.IsTrue(Rejected(storage, "slotA.img"), "flipped byte at " + positions[i].ToString());
            }

            byte[] truncated = new byte[image.Length - 1];
            Array.Copy(image, truncated, truncated.Length);
            storage.Put("slotA.img", truncated);
            Assert.IsTrue(Rejected(storage, "slotA.img"), "truncated image");
        }

        [TestMethod]
        public void First_boot_without_manifest_runs_slot_a_confirmed_with_its_header_version()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            storage.Put("slotA.img", Image("1.0.0", 3, 100));
            BootDecision decision = new BootGuard(new SlotStore(storage)).Boot();
            Assert.IsTrue(decision.HasImage, "has image");
            Assert.AreEqual(0, decision.Slot, "slot A");
            Assert.AreEqual("slotA.img", decision.FileName, "file");
            Assert.AreEqual("1.0.0", decision.Version, "version");
            Assert.IsTrue(decision.State == SlotState.Confirmed, "confirmed");
        }

        [TestMethod]
        public void New_image_goes_pending_testing_confirmed()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            storage.Put("slotA.img", Image("1.0.0", 3, 100));
            SlotStore store = new SlotStore(storage);
            byte[] v2 = Image("2.0.0", 4, 3000);
            WriteWhole(store, "job", v2);
            store.ActivateInactive("2.0.0", 3, new byte[512], 0);
            Assert.IsTrue(store.ReadManifest().State == SlotState.Pending, "pending after activation");

            BootDecision decision = new BootGuard(new SlotStore(storage)).Boot();
            Assert.AreEqual(1, decision.Slot, "slot B runs");
            Assert.AreEqual("2.0.0", decision.Version, "new version");
            Assert.IsTrue(decision.State == SlotState.Testing, "testing");
            Assert.AreEqual(1, decision.BootAttempts, "first attempt");
            CollectionAssert.AreEqual(v2, storage.Bytes(decision.FileName), "slot B holds the image");

            Assert.IsTrue(WriterRefused(store), "the fallback slot is not writable before confirmation");
            Assert.IsTrue(store.Confirm(), "confirm");
            Assert.IsFalse(store.Confirm(), "confirm twice");
            BootDecision after = new BootGuard(new SlotStore(storage)).Boot();
            Assert.IsTrue(after.State == SlotState.Confirmed, "confirmed at the next boot");
            Assert.AreEqual(1, after.Slot, "still slot B");
        }

        [TestMethod]
        public void Image_that_never_confirms_is_rolled_back_after_its_boots()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            storage.Put("slotA.img", Image("1.0.0", 3, 100));
            SlotStore store = new SlotStore(storage);
            WriteWhole(store, "job", Image("2.0.0", 4, 3000));
            store.ActivateInactive("2.0.0", 2, new byte[512], 0);
            BootGuard guard = new BootGuard(store);

            BootDecision first = guard.Boot();
            Assert.AreEqual("2.0.0", first.Version, "boot 1 runs the new image");
            Assert.AreEqual(1, first.BootAttempts, "boot 1");
            Assert.AreEqual(2, guard.Boot().BootAttempts, "boot 2");
            BootDecision rolledBack = guard.Boot();
            Assert.AreEqual("1.0.0", rolledBack.Version, "boot 3 runs the old image");
            Assert.AreEqual(0, rolledBack.Slot, "slot A");
            Assert.IsTrue(rolledBack.State == SlotState.RolledBack, "rolled back");
            Assert.AreEqual("2.0.0", rolledBack.RolledBackVersion, "what was rolled back, to report");

            Assert.IsTrue(store.AcknowledgeRollback(), "reported");
            Assert.IsTrue(guard.Boot().State == SlotState.Confirmed, "confirmed again");
        }

        [TestMethod]
        public void Damaged_active_image_falls_back_to_the_other_slot()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            storage.Put("slotA.img", Image("1.0.0", 3, 100));
            SlotStore store = new SlotStore(storage);
            WriteWhole(store, "job", Image("2.0.0", 4, 3000));
            store.ActivateInactive("2.0.0", 3, new byte[512], 0);
            BootGuard guard = new BootGuard(store);
            BootDecision decision = guard.Boot();

            byte[] damaged = storage.Bytes(decision.FileName);
            damaged[damaged.Length - 1] ^= 1;
            storage.Put(decision.FileName, damaged);
            Assert.IsTrue(Rejected(storage, decision.FileName), "damage detected");

            BootDecision fallback = guard.ReportBadImage(decision, new byte[256]);
            Assert.IsTrue(fallback.HasImage, "fallback exists");
            Assert.AreEqual(0, fallback.Slot, "slot A");
            Assert.IsTrue(fallback.State == SlotState.RolledBack, "rolled back");

            storage.Delete("slotA.img");
            Assert.IsFalse(guard.ReportBadImage(fallback, new byte[256]).HasImage, "nothing left to run");
        }

        [TestMethod]
        public void Download_resumes_the_same_job_and_restarts_a_different_one()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            SlotStore store = new SlotStore(storage);
            byte[] data = Pattern(10000, 5);
            SlotWriter writer = store.OpenWriter("job-1", data.Length);
            writer.Write(data, 0, 4000);
            writer.Flush();
            writer.Dispose();
            Assert.AreEqual("job-1", store.PendingDownloadTag(), "recorded");

            writer = store.OpenWriter("job-1", data.Length);
            Assert.AreEqual(4000L, writer.Offset, "resumes after what is stored");
            writer.Write(data, 4000, 6000);
            Assert.IsTrue(writer.IsComplete, "complete");
            writer.Flush();
            writer.Dispose();
            CollectionAssert.AreEqual(data, storage.Bytes("slotB.img"), "bit-exact");

            writer = store.OpenWriter("job-2", data.Length);
            Assert.AreEqual(0L, writer.Offset, "another job starts over");
            writer.Dispose();
            store.DiscardDownload();
            Assert.IsNull(store.PendingDownloadTag(), "discarded");
        }

        [TestMethod]
        public void Power_cut_between_delete_and_move_of_the_manifest_keeps_a_valid_manifest()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            storage.Put("slotA.img", Image("1.0.0", 3, 100));
            SlotStore store = new SlotStore(storage);
            WriteWhole(store, "job", Image("2.0.0", 4, 3000));
            store.ActivateInactive("2.0.0", 3, new byte[512], 0);

            // The first boot of the new image rewrites the manifest (Pending -> Testing): cut the power inside that replace.
            storage.CutNextReplaceAfterDelete = true;
            bool cut = false;
            try
            {
                new BootGuard(new SlotStore(storage)).Boot();
            }
            catch (IOException)
            {
                cut = true;
            }

            Assert.IsTrue(cut, "the power cut hit the manifest replace");
            Assert.IsFalse(storage.Exists("manifest"), "only manifest.new is left, as on the device");

            BootDecision decision = new BootGuard(new SlotStore(storage)).Boot();
            Assert.IsTrue(decision.HasImage, "an image runs after the cut");
            Assert.AreEqual("2.0.0", decision.Version, "the new image");
            Assert.IsTrue(decision.State == SlotState.Testing, "still on trial");
        }

        // An OTA image with assemblies of the given sizes and deterministic content.
        internal static byte[] Image(string version, int seed, params int[] sizes)
        {
            OtaImageEntry[] entries = new OtaImageEntry[sizes.Length];
            byte[][] parts = new byte[sizes.Length][];
            int total = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                parts[i] = Pattern(sizes[i], seed + i);
                entries[i] = new OtaImageEntry("Part" + i.ToString() + ".pe", parts[i].Length, Crc32.Compute(parts[i], 0, parts[i].Length));
                total += parts[i].Length;
            }

            byte[] header = new OtaImageHeader(version, entries).Encode();
            byte[] image = new byte[header.Length + total];
            Array.Copy(header, image, header.Length);
            int position = header.Length;
            for (int i = 0; i < parts.Length; i++)
            {
                Array.Copy(parts[i], 0, image, position, parts[i].Length);
                position += parts[i].Length;
            }

            return image;
        }

        private static byte[] Pattern(int length, int seed)
        {
            byte[] data = new byte[length];
            int x = seed;
            for (int i = 0; i < length; i++)
            {
                x = (x * 1103515245) + 12345;
                data[i] = (byte)(x >> 16);
            }

            return data;
        }

        private static void WriteWhole(SlotStore store, string job, byte[] image)
        {
            SlotWriter writer = store.OpenWriter(job, image.Length);
            for (int offset = 0; offset < image.Length; offset += 1000)
            {
                int count = image.Length - offset < 1000 ? image.Length - offset : 1000;
                writer.Write(image, offset, count);
            }

            writer.Flush();
            writer.Dispose();
        }

        private static bool Rejected(IFlashStorage storage, string name)
        {
            try
            {
                OtaImageReader.Validate(storage, name, new byte[64]);
                return false;
            }
            catch (OtaImageException)
            {
                return true;
            }
        }

        private static bool WriterRefused(SlotStore store)
        {
            try
            {
                store.OpenWriter("next", 10).Dispose();
                return false;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }
}
