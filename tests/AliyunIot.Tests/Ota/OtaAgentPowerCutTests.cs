using System.Text;
using AliyunIot.Alink;
using AliyunIot.HostPorts.Json;
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

        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;
        private readonly byte[] _v1 = OtaTestImages.Build("1.0.0", 21, 3000, 2000);
        private readonly byte[] _v2 = OtaTestImages.OfSize("2.0.0", 22, 40 * 1024);

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
                    OtaAgent agent = Agent(faulty, "1.0.0", new RecordingRestart(), log);
                    Offer(agent);
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

                FinishUpdate(storage, version, cut);
                BootDecision final = new BootGuard(new SlotStore(storage)).Boot();
                Assert.Equal(("2.0.0", SlotState.Confirmed), (final.Version, final.State));
                Assert.Equal(v2Assemblies, OtaImageReader.ReadAssemblies(storage, final.FileName, out _));
            }

            _output.WriteLine($"{clean} flash operations; after a cut {oldRuns} boots ran 1.0.0 and {newRuns} ran 2.0.0 (testing)");

            // Both outcomes occur: cuts before the activation keep 1.0.0, cuts after it run 2.0.0 (in test).
            Assert.True(oldRuns > 0 && newRuns > 0, $"old {oldRuns}, new {newRuns}");
        }

        private int CountOperationsOfACleanUpdate()
        {
            string folder = FactoryDevice("clean");
            var counting = new FaultInjectingStorage(new FileFlashStorage(folder), 0);
            var restart = new RecordingRestart();
            using var log = new CapturingLog();
            OtaAgent agent = Agent(counting, "1.0.0", restart, log);
            Offer(agent);
            Assert.True(agent.WaitIdle(30000));
            Assert.True(agent.LastOutcome.Succeeded, agent.LastOutcome.Desc);
            Assert.True(restart.Wait(5000), "the agent asks for the reboot into 2.0.0");
            agent.Stop();
            return counting.Operations;
        }

        /// <summary>What the device does next, from wherever the cut left it: run the job again if 1.0.0 still runs, reboot, confirm.</summary>
        private void FinishUpdate(FileFlashStorage storage, string running, int cut)
        {
            using var log = new CapturingLog();
            if (running == "1.0.0")
            {
                var restart = new RecordingRestart();
                OtaAgent again = Agent(storage, "1.0.0", restart, log);
                again.OnConnected();
                Offer(again);
                Assert.True(again.WaitIdle(30000));
                Assert.True(again.LastOutcome.Succeeded, "cut " + cut + ": the repeated job: " + again.LastOutcome.Desc);
                Assert.True(restart.Wait(5000), "cut " + cut + ": reboot requested");
                again.Stop();
                BootDecision rebooted = new BootGuard(new SlotStore(storage)).Boot();
                Assert.Equal(("2.0.0", SlotState.Testing), (rebooted.Version, rebooted.State));
            }

            // The new image reached the platform: the agent confirms it on the first connect.
            OtaAgent confirming = Agent(storage, "2.0.0", new RecordingRestart(), log);
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

        private OtaAgent Agent(IFlashStorage storage, string running, RecordingRestart restart, CapturingLog log)
        {
            var settings = new OtaSettings { SlotCapacity = 1 << 20, ChunkSize = 4096, RetryBaseMs = 1, RetryCapMs = 5 };
            return new OtaAgent(new DeviceTopics("pk", "dn"), new DiscardingPublisher(), new SystemTextJsonParser(), new InMemoryImageDownloader(_v2),
                new SlotStore(storage), restart, new SystemClock(), log, settings, OtaTestCa.Shared.CertificatePem, running);
        }

        private void Offer(OtaAgent agent)
        {
            string job = OtaRig.Job("2.0.0", Url, _v2, "SHA256").ToJsonString();
            agent.Handle(UpgradeTopic, Encoding.UTF8.GetBytes("{\"code\":\"1000\",\"data\":" + job + "}"));
        }
    }
}
