using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// The littlefs model behaves as the ESP32's I: does (what the power-cut sweeps rely on), and the slot store's
    /// whole update survives a cut at every operation plus a second cut at every operation of the recovery on it.
    /// </summary>
    public sealed class LittleFsFlashTests
    {
        // Large chunks keep the quadratic sweep short; the commit interval still falls between chunks.
        private const int Chunk = 16384;

        [Fact]
        public void Flush_is_not_durable_close_commits_and_create_truncates_at_once()
        {
            var flash = new LittleFsFlash();
            flash.Provision("old", new byte[] { 1, 2, 3 });
            flash.PowerOn(4);
            IFlashFile file = flash.OpenAppend("f");   // op 1 (creates the empty file)
            file.Write(new byte[] { 9, 9 }, 0, 2);     // op 2
            file.Flush();                              // op 3
            Assert.Equal(0, flash.Length("f"));        // stat reads the committed size
            Assert.Equal(2, file.Length);
            Assert.Throws<PowerCutException>(() => file.Dispose()); // op 4: the close never happens
            Assert.Equal(2, flash.LostAtCut["f"]);
            flash.PowerOn(0);
            Assert.Equal(Array.Empty<byte>(), flash.Committed("f"));

            IFlashFile again = flash.OpenAppend("f");
            again.Write(new byte[] { 7 }, 0, 1);
            again.Dispose();
            Assert.Equal(new byte[] { 7 }, flash.Committed("f"));

            flash.OpenCreate("old").Dispose();
            Assert.Equal(Array.Empty<byte>(), flash.Committed("old"));
            Assert.Equal(-1, flash.Capacity);
        }

        [Fact]
        public void Move_refuses_an_existing_target_and_replace_is_a_delete_then_a_move()
        {
            var flash = new LittleFsFlash();
            flash.Provision("a", new byte[] { 1 });
            flash.Provision("b", new byte[] { 2 });
            Assert.Throws<IOException>(() => flash.Move("a", "b"));

            flash.PowerOn(2);
            Assert.Throws<PowerCutException>(() => flash.Replace("a", "b"));
            flash.PowerOn(0);
            Assert.Equal(new[] { "a" }, flash.Files());
        }

        [Fact]
        public void A_cut_during_the_download_loses_at_most_one_commit_interval()
        {
            byte[] v1 = OtaTestImages.Build("1.0.0", 30, 3000, 2000);
            byte[] v2 = OtaTestImages.OfSize("2.0.0", 31, (3 * SlotWriter.CommitInterval) + 5000);
            var flash = new LittleFsFlash();
            flash.Provision("slotA.img", v1);
            var store = new SlotStore(flash);
            SlotWriter writer = store.OpenWriter("2.0.0/sha", v2.Length);
            for (int p = 0; p < (2 * SlotWriter.CommitInterval) + 8192; p += 4096)
            {
                writer.Write(v2, p, 4096);
                writer.Flush();
            }

            // Power goes out without the writer being closed: the two committed intervals remain.
            flash.PowerOn(0);
            Assert.Equal(2 * SlotWriter.CommitInterval, flash.Length("slotB.img"));
            using SlotWriter resumed = new SlotStore(flash).OpenWriter("2.0.0/sha", v2.Length);
            Assert.Equal(2 * SlotWriter.CommitInterval, resumed.Offset);
        }

        /// <summary>
        /// <see cref="OtaPartitionTests.RunUpdate"/> (download in 16 KiB chunks, activate, boot, confirm) on the
        /// littlefs model: a cut at every operation, then a second cut at every operation of the update run again
        /// from what the first cut left. After every cut the device boots a complete image, the committed manifest
        /// never disappears or goes back, and the update completes.
        /// </summary>
        [Fact]
        public void Every_cut_and_every_second_cut_during_the_recovery_boot_a_complete_image()
        {
            byte[] v1 = OtaTestImages.Build("1.0.0", 10, 3000, 2000);
            byte[] v2 = OtaTestImages.OfSize("2.0.0", 11, SlotWriter.CommitInterval + 20000);
            byte[][] v1Assemblies = OtaTestImages.Assemblies(v1);
            byte[][] v2Assemblies = OtaTestImages.Assemblies(v2);
            var counting = Factory(v1);
            OtaPartitionTests.RunUpdate(counting, v2, Chunk);
            int clean = counting.Operations;
            int seconds = 0;
            for (int cut = 1; cut <= clean; cut++)
            {
                LittleFsFlash first = Factory(v1);
                first.PowerOn(cut);
                Assert.Throws<PowerCutException>(() => OtaPartitionTests.RunUpdate(first, v2, Chunk));
                long manifestBefore = ManifestSequence(first.Clone());
                for (int second = 1; ; second++)
                {
                    LittleFsFlash device = first.Clone();
                    device.PowerOn(second);
                    string context = "cut " + cut + ", second cut " + second;
                    try
                    {
                        OtaPartitionTests.RunUpdate(device, v2, Chunk);
                    }
                    catch (PowerCutException)
                    {
                    }

                    bool cutHappened = device.PoweredOff;
                    device.PowerOn(0);
                    Assert.True(ManifestSequence(device) >= manifestBefore, context + ": the committed manifest disappeared or went back");
                    LoaderBootCheck.RunsACompleteImage(device, "1.0.0", v1Assemblies, v2Assemblies, context);
                    OtaPartitionTests.RunUpdate(device, v2, Chunk);
                    BootDecision final = new BootGuard(new SlotStore(device)).Boot();
                    Assert.Equal(("2.0.0", SlotState.Confirmed), (final.Version, final.State));
                    Assert.Equal(v2Assemblies, OtaImageReader.ReadAssemblies(device, final.FileName, out _));
                    if (!cutHappened)
                    {
                        break;
                    }

                    seconds++;
                }
            }

            Assert.True(seconds > clean, "second cuts tried: " + seconds);
        }

        private static LittleFsFlash Factory(byte[] v1)
        {
            var flash = new LittleFsFlash();
            flash.Provision("slotA.img", v1);
            return flash;
        }

        internal static long ManifestSequence(IFlashStorage storage)
        {
            SlotManifest manifest = SlotManifestCodec.Decode(RecordFiles.Read(storage, SlotStore.ManifestName));
            return manifest == null ? -1 : manifest.Sequence;
        }
    }
}
