using System.Text;
using AliyunIot.Alink;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ota;
using AliyunIot.Tests.Support;
using OtaPartition;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// Never bricks, at the level of the component that does the work: the OtaAgent's own update (download into the
    /// inactive slot in 4 KiB chunks with a flush each, resume bookkeeping, hash check, activation) is cut by a power
    /// failure at EVERY flash operation it performs. After each cut the device boots like the loader does: it must run
    /// a complete image, old or new, never a mix. Then the device carries on with fresh components (the cloud offers
    /// the job again) and must end with the new image confirmed.
    /// </summary>
    public sealed class OtaAgentPowerCutTests : IDisposable
    {
        private const string UpgradeTopic = "/ota/device/upgrade/pk/dn";
        private const string Url = "https://generated/app.img";
        private const int ChunkSize = 4096;

        // The littlefs sweep is quadratic in the operations: larger chunks keep it short (still several per commit).
        private const int LargeChunkSize = 16384;

        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;
        private readonly byte[] _v1 = OtaTestImages.Build("1.0.0", 21, 3000, 2000);
        private readonly byte[] _v2 = OtaTestImages.OfSize("2.0.0", 22, 40 * 1024);

        // Spans several commit intervals of the slot writer, so a cut can fall after some commits and before others.
        private readonly byte[] _v2Large = OtaTestImages.OfSize("2.0.0", 23, (2 * SlotWriter.CommitInterval) + 12000);

        public OtaAgentPowerCutTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void Power_cut_at_every_flash_operation_of_the_agents_update_always_boots_a_complete_image_and_the_update_completes()
        {
            byte[][] v1Assemblies = OtaTestImages.Assemblies(_v1);
            byte[][] v2Assemblies = OtaTestImages.Assemblies(_v2);
            int clean = CountOperationsOfACleanUpdate();
            Assert.True(clean > 20, "the agent's update takes " + clean + " flash operations");

            int oldRuns = 0, newRuns = 0;
            for (int cut = 1; cut <= clean; cut++)
            {
                string folder = FactoryDevice("cut" + cut);
                var faulty = new FaultInjectingStorage(new FileFlashStorage(folder), cut);
                using (var log = new CapturingLog())
                {
                    OtaAgent agent = Agent(faulty, "1.0.0", new RecordingRestart(), log, _v2);
                    Offer(agent, _v2);
                    Assert.True(agent.WaitIdle(30000), "cut " + cut + ": the job ended");
                    agent.Stop();
                }

                Assert.True(faulty.PoweredOff, "cut " + cut + " happened");

                // Power back: the loader's boot guard and image check.
                var storage = new FileFlashStorage(folder);
                string version = LoaderBootCheck.RunsACompleteImage(storage, "1.0.0", v1Assemblies, v2Assemblies, "cut " + cut);
                if (version == "1.0.0")
                {
                    oldRuns++;
                }
                else
                {
                    newRuns++;
                }

                FinishUpdate(storage, version, cut, _v2);
                BootDecision final = new BootGuard(new SlotStore(storage)).Boot();
                Assert.Equal(("2.0.0", SlotState.Confirmed), (final.Version, final.State));
                Assert.Equal(v2Assemblies, OtaImageReader.ReadAssemblies(storage, final.FileName, out _));
            }

            _output.WriteLine($"{clean} flash operations; after a cut {oldRuns} boots ran 1.0.0 and {newRuns} ran 2.0.0 (testing)");

            // Both outcomes occur: cuts before the activation keep 1.0.0, cuts after it run 2.0.0 (in test).
            Assert.True(oldRuns > 0 && newRuns > 0, $"old {oldRuns}, new {newRuns}");
        }

        /// <summary>
        /// The same update on the littlefs model (<see cref="LittleFsFlash"/>: data committed on close only, create
        /// truncates at once, replace = delete + move): a cut at every flash operation of the agent's update, and for
        /// each of them a SECOND cut at every flash operation of the recovery that follows (the boot guard and the
        /// repeated job). After every cut the device boots a complete image; a committed manifest never disappears
        /// or goes back; a cut during the download loses at most one commit interval of downloaded bytes; and the
        /// update still completes. Removing a commit step (the slot writer's close/reopen, the record or config
        /// repair before a rewrite) makes this fail.
        /// </summary>
        [Fact]
        public void On_littlefs_a_cut_at_every_operation_and_a_second_cut_during_the_recovery_always_boot_a_complete_image()
        {
            byte[][] v1Assemblies = OtaTestImages.Assemblies(_v1);
            byte[][] v2Assemblies = OtaTestImages.Assemblies(_v2Large);
            int clean = CountLittleFsOperations();
            int runs = 0;
            for (int cut = 1; cut <= clean; cut++)
            {
                LittleFsFlash flash = LittleFsFactory();
                flash.PowerOn(cut);
                using (var log = new CapturingLog())
                {
                    OtaAgent agent = Agent(flash, "1.0.0", new RecordingRestart(), log, _v2Large);
                    Offer(agent, _v2Large);
                    Assert.True(agent.WaitIdle(30000), "cut " + cut + ": the job ended");
                    agent.Stop();
                }

                Assert.True(flash.PoweredOff, "cut " + cut + " happened");
                long lost = flash.LostAtCut.TryGetValue("slotB.img", out long l) ? l : 0;
                Assert.True(lost < SlotWriter.CommitInterval + LargeChunkSize, "cut " + cut + ": " + lost + " downloaded bytes were never committed (the slot writer commits every " + SlotWriter.CommitInterval + ")");

                LittleFsFlash afterFirst = flash.Clone();
                long manifestBefore = LittleFsFlashTests.ManifestSequence(afterFirst);
                for (int second = 1; ; second++)
                {
                    LittleFsFlash device = afterFirst.Clone();
                    device.PowerOn(second);
                    string context = "cut " + cut + ", second cut " + second;
                    Recover(device, context);
                    runs++;
                    if (!device.PoweredOff)
                    {
                        // The recovery finished before the second cut: every point of it was tried.
                        break;
                    }

                    device.PowerOn(0);
                    Assert.True(LittleFsFlashTests.ManifestSequence(device) >= manifestBefore, context + ": the committed manifest disappeared or went back");
                    string version = LoaderBootCheck.RunsACompleteImage(device, "1.0.0", v1Assemblies, v2Assemblies, context);
                    FinishUpdate(device, version, cut, _v2Large);
                    BootDecision final = new BootGuard(new SlotStore(device)).Boot();
                    Assert.Equal(("2.0.0", SlotState.Confirmed), (final.Version, final.State));
                    Assert.Equal(v2Assemblies, OtaImageReader.ReadAssemblies(device, final.FileName, out _));
                }
            }

            _output.WriteLine($"{clean} flash operations in the update; {runs} recoveries with a second cut");
        }

        /// <summary>The device after a cut: boot like the loader, then carry on (repeat the job or confirm); stops at the second cut.</summary>
        private void Recover(LittleFsFlash device, string context)
        {
            try
            {
                string version = LoaderBootCheck.RunsACompleteImage(device, "1.0.0", OtaTestImages.Assemblies(_v1), OtaTestImages.Assemblies(_v2Large), context);
                using var log = new CapturingLog();
                if (version == "1.0.0")
                {
                    OtaAgent again = Agent(device, "1.0.0", new RecordingRestart(), log, _v2Large);
                    again.OnConnected();
                    Offer(again, _v2Large);
                    Assert.True(again.WaitIdle(30000), context + ": the repeated job ended");
                    again.Stop();
                    if (device.PoweredOff)
                    {
                        return;
                    }

                    Assert.True(again.LastOutcome.Succeeded, context + ": the repeated job: " + again.LastOutcome.Desc);
                    new BootGuard(new SlotStore(device)).Boot();
                }

                OtaAgent confirming = Agent(device, "2.0.0", new RecordingRestart(), log, _v2Large);
                confirming.OnConnected();
                confirming.Stop();
            }
            catch (PowerCutException)
            {
                // The second cut: what it left is checked by the caller.
            }
        }

        private LittleFsFlash LittleFsFactory()
        {
            var flash = new LittleFsFlash();
            flash.Provision("slotA.img", _v1);
            flash.Provision(OtaPartition.StablePlatform.SigningKeyFile, System.Text.Encoding.ASCII.GetBytes(OtaTestKey.PublicPem));
            return flash;
        }

        private int CountLittleFsOperations()
        {
            LittleFsFlash flash = LittleFsFactory();
            var restart = new RecordingRestart();
            using var log = new CapturingLog();
            OtaAgent agent = Agent(flash, "1.0.0", restart, log, _v2Large);
            Offer(agent, _v2Large);
            Assert.True(agent.WaitIdle(30000));
            Assert.True(agent.LastOutcome.Succeeded, agent.LastOutcome.Desc);
            agent.Stop();
            Assert.Equal(_v2Large, flash.Committed("slotB.img"));
            return flash.Operations;
        }

        private int CountOperationsOfACleanUpdate()
        {
            string folder = FactoryDevice("clean");
            var counting = new FaultInjectingStorage(new FileFlashStorage(folder), 0);
            var restart = new RecordingRestart();
            using var log = new CapturingLog();
            OtaAgent agent = Agent(counting, "1.0.0", restart, log, _v2);
            Offer(agent, _v2);
            Assert.True(agent.WaitIdle(30000));
            Assert.True(agent.LastOutcome.Succeeded, agent.LastOutcome.Desc);
            Assert.True(restart.Wait(5000), "the agent asks for the reboot into 2.0.0");
            agent.Stop();
            return counting.Operations;
        }

        /// <summary>What the device does next, from wherever the cut left it: run the job again if 1.0.0 still runs, reboot, confirm.</summary>
        private void FinishUpdate(IFlashStorage storage, string running, int cut, byte[] image)
        {
            using var log = new CapturingLog();
            if (running == "1.0.0")
            {
                var restart = new RecordingRestart();
                OtaAgent again = Agent(storage, "1.0.0", restart, log, image);
                again.OnConnected();
                Offer(again, image);
                Assert.True(again.WaitIdle(30000));
                Assert.True(again.LastOutcome.Succeeded, "cut " + cut + ": the repeated job: " + again.LastOutcome.Desc);
                Assert.True(restart.Wait(5000), "cut " + cut + ": reboot requested");
                again.Stop();
                BootDecision rebooted = new BootGuard(new SlotStore(storage)).Boot();
                Assert.Equal(("2.0.0", SlotState.Testing), (rebooted.Version, rebooted.State));
            }

            // The new image reached the platform: the agent confirms it on the first connect.
            OtaAgent confirming = Agent(storage, "2.0.0", new RecordingRestart(), log, image);
            confirming.OnConnected();
            confirming.Stop();
        }

        private string FactoryDevice(string name)
        {
            string folder = _temp.Sub(name);
            File.WriteAllBytes(Path.Combine(folder, "slotA.img"), _v1);
            OtaTestKey.Deploy(folder);
            Assert.Equal("1.0.0", new BootGuard(new SlotStore(new FileFlashStorage(folder))).Boot().Version);
            return folder;
        }

        private static OtaAgent Agent(IFlashStorage storage, string running, RecordingRestart restart, CapturingLog log, byte[] image)
        {
            var settings = new OtaSettings { SlotCapacity = 1 << 20, ChunkSize = image.Length > 64 * 1024 ? LargeChunkSize : ChunkSize, RetryBaseMs = 1, RetryCapMs = 5 };
            return new OtaAgent(new DeviceTopics("pk", "dn"), new DiscardingPublisher(), new InMemoryImageDownloader(image),
                new SlotStore(storage), restart, new SystemClock(), log, settings, OtaTestCa.Shared.CertificatePem, running);
        }

        private static void Offer(OtaAgent agent, byte[] image)
        {
            string job = OtaRig.Job("2.0.0", Url, image, "SHA256").ToJsonString();
            agent.Handle(UpgradeTopic, Encoding.UTF8.GetBytes("{\"code\":\"1000\",\"data\":" + job + "}"));
        }
    }
}
