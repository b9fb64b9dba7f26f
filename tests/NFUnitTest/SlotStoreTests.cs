using System;
using nanoFramework.TestFramework;
using OtaPartition;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The slot store's refusals on the nanoCLR, over in-memory flash: an invalid image is never activated, nothing is
    /// activated or discarded while the running image is on trial (the other slot is its fallback), and the manifest
    /// reads back exactly as written.
    /// </summary>
    [TestClass]
    public class SlotStoreTests
    {
        [TestMethod]
        public void A_slot_without_a_valid_image_is_never_activated()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            storage.Put("slotA.img", OtaSlotTests.Image("1.0.0", 3, 100));
            SlotStore store = new SlotStore(storage);
            SlotWriter writer = store.OpenWriter("job", 600);
            writer.Write(new byte[600], 0, 600);
            writer.Flush();
            writer.Dispose();

            bool refused = false;
            try
            {
                store.ActivateInactive("2.0.0", 3, new byte[256], 0);
            }
            catch (OtaImageException)
            {
                refused = true;
            }

            Assert.IsTrue(refused, "zeros are no OTA image");
            SlotManifest manifest = store.ReadManifest();
            Assert.AreEqual(0, manifest.ActiveSlot, "slot A still active");
            Assert.IsTrue(manifest.State == SlotState.Confirmed, "still confirmed");
            Assert.AreEqual("1.0.0", new BootGuard(store).Boot().Version, "the old image boots");
        }

        [TestMethod]
        public void Nothing_is_activated_while_the_running_image_is_on_trial()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            SlotStore store = OnTrial(storage);

            Assert.ThrowsException(typeof(InvalidOperationException), delegate { store.ActivateInactive("3.0.0", 3, new byte[256], 0); }, "activation refused while testing");
            Assert.IsTrue(store.ReadManifest().State == SlotState.Testing, "still testing");
        }

        [TestMethod]
        public void Discarding_a_download_keeps_the_fallback_of_an_image_on_trial()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            SlotStore store = OnTrial(storage);

            store.DiscardDownload();
            Assert.IsTrue(storage.Exists("slotA.img"), "the fallback image is kept");
        }

        // Slot A holds 1.0.0; 2.0.0 was written to slot B, activated and booted once: it runs on trial.
        private static SlotStore OnTrial(InMemoryFlashStorage storage)
        {
            storage.Put("slotA.img", OtaSlotTests.Image("1.0.0", 3, 100));
            SlotStore store = new SlotStore(storage);
            byte[] image = OtaSlotTests.Image("2.0.0", 4, 500);
            SlotWriter writer = store.OpenWriter("job", image.Length);
            writer.Write(image, 0, image.Length);
            writer.Flush();
            writer.Dispose();
            store.ActivateInactive("2.0.0", 3, new byte[256], 0);
            new BootGuard(store).Boot();
            return store;
        }

        [TestMethod]
        public void The_manifest_reads_back_as_written()
        {
            InMemoryFlashStorage storage = new InMemoryFlashStorage();
            SlotStore store = new SlotStore(storage);
            SlotManifest written = new SlotManifest();
            written.ActiveSlot = 1;
            written.State = SlotState.RolledBack;
            written.ActiveVersion = "1.2.3";
            written.BootAttempts = 2;
            written.ConfirmWithinBoots = 5;
            written.FallbackSlot = 0;
            written.FallbackVersion = "1.2.2";
            written.RolledBackVersion = "1.3.0";
            written.RolledBackReason = "image damaged";
            store.WriteManifest(written);

            SlotManifest read = new SlotStore(storage).ReadManifest();
            Assert.AreEqual(1, read.ActiveSlot, "active slot");
            Assert.IsTrue(read.State == SlotState.RolledBack, "state");
            Assert.AreEqual("1.2.3", read.ActiveVersion, "version");
            Assert.AreEqual(2, read.BootAttempts, "attempts");
            Assert.AreEqual(5, read.ConfirmWithinBoots, "confirm within");
            Assert.AreEqual(0, read.FallbackSlot, "fallback slot");
            Assert.AreEqual("1.2.2", read.FallbackVersion, "fallback version");
            Assert.AreEqual("1.3.0", read.RolledBackVersion, "rolled back version");
            Assert.AreEqual("image damaged", read.RolledBackReason, "reason");
            Assert.IsTrue(new SlotStore(storage).AcknowledgeRollback(), "rollback acknowledged");
            Assert.IsFalse(new SlotStore(storage).AcknowledgeRollback(), "only once");
        }
    }
}
