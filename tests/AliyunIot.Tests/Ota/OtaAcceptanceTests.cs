using System.Text.Json.Nodes;
using OtaPartition;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// The acceptance list, end to end: real mosquitto broker with the platform's authentication, the
    /// real HTTPS server with the test CA serving Range requests, real files as the device's flash.
    /// </summary>
    public sealed class OtaAcceptanceTests : IDisposable
    {
        private static readonly byte[] V1 = OtaTestImages.Build("1.0.0", 100, 20_000, 9_000);
        private static readonly byte[] V2 = OtaTestImages.Build("2.0.0", 200, 40_000, 21_000);
        private readonly ITestOutputHelper _output;
        private readonly OtaRig _rig;

        public OtaAcceptanceTests(ITestOutputHelper output)
        {
            _output = output;
            _rig = new OtaRig(s => s.ConfirmWithinBoots = 3);
            _rig.Provision(V1);
        }

        public void Dispose() => _rig.Dispose();

        [Fact]
        public void Happy_path_push_download_verify_switch_reboot_report_confirm()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            string url = _rig.Server.AddFile("/ota/app-2.0.0.img", V2, "?Expires=1700000000&OSSAccessKeyId=x&Signature=sig");

            _rig.Push(OtaRig.Job("2.0.0", url, V2, "SHA256"));
            var steps = _rig.ProgressUntilFinal();
            Assert.Equal(new[] { "0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100" }, steps.Select(s => s.Step));
            Assert.True(_rig.Restart.Wait(10000));
            Assert.Equal(SlotState.Pending, _rig.Manifest.State);
            Assert.Equal(V2, _rig.SlotBytes(1));
            Assert.Equal("1.0.0", _rig.Decision.Version);

            _rig.Reboot();
            Assert.Equal(("2.0.0", 1), (_rig.Decision.Version, _rig.Decision.Slot));
            Assert.Equal("2.0.0", _rig.NextInform());
            Assert.Equal(SlotState.Confirmed, _rig.Manifest.State);
            Assert.Equal("1.0.0", _rig.Manifest.FallbackVersion);
            Assert.False(_rig.Log.Contains("Signature=sig"));
        }

        [Fact]
        public void Corrupt_image_is_reported_as_verify_failure_and_the_old_version_keeps_running()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            byte[] corrupt = (byte[])V2.Clone();
            corrupt[30_000] ^= 0x40;
            string url = _rig.Server.AddFile("/ota/bad.img", corrupt);

            _rig.Push(OtaRig.Job("2.0.0", url, V2, "SHA256"));
            var final = _rig.ProgressUntilFinal().Last();
            Assert.Equal("-3", final.Step);
            Assert.Contains("SHA-256 mismatch", final.Desc);
            Assert.False(_rig.Restart.Wait(200));
            Assert.False(_rig.Storage.Exists("slotB.img"));
            Assert.Equal(("1.0.0", SlotState.Confirmed), (_rig.Manifest.ActiveVersion, _rig.Manifest.State));

            _rig.Reboot();
            Assert.Equal("1.0.0", _rig.Decision.Version);
            Assert.Equal("1.0.0", _rig.NextInform());
        }

        [Fact]
        public void Image_whose_digest_matches_but_is_no_ota_image_is_refused_with_verify_failure()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            byte[] notAnImage = new byte[5000];
            new Random(1).NextBytes(notAnImage);
            string url = _rig.Server.AddFile("/ota/raw.bin", notAnImage);
            _rig.Push(OtaRig.Job("2.0.0", url, notAnImage));
            var final = _rig.ProgressUntilFinal().Last();
            Assert.Equal("-3", final.Step);
            Assert.Contains("not a valid OTA image", final.Desc);
            Assert.Equal("1.0.0", _rig.Manifest.ActiveVersion);
        }

        [Fact]
        public void Oversize_job_is_refused_before_any_download()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            string url = _rig.Server.AddFile("/ota/big.img", V2);
            var job = OtaRig.Job("2.0.0", url, V2);
            job["size"] = _rig.Settings.SlotCapacity + 1;
            _rig.Push(job);
            var final = _rig.NextProgress();
            Assert.Equal("-1", final.Step);
            Assert.Contains("exceeds the slot capacity of 98304 bytes", final.Desc);
            Assert.Empty(_rig.Server.Requests);
            Assert.False(_rig.Storage.Exists("slotB.img"));
        }

        [Fact]
        public void Http_url_is_refused_with_download_failed()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            _rig.Push(OtaRig.Job("2.0.0", "http://localhost:" + _rig.Server.Port + "/ota/app.img", V2));
            var final = _rig.NextProgress();
            Assert.Equal(("-2", "refused: only https:// downloads are allowed"), final);
            Assert.Empty(_rig.Server.Requests);
        }

        [Fact]
        public void Expired_url_is_refreshed_through_firmware_get_and_the_download_resumes()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            Assert.True(SpinWait.SpinUntil(() => _rig.FirmwareGetCount == 1, 10000), "firmware.get at boot");

            // The first request breaks off at 25 000 bytes; by the time the device retries, the URL has expired.
            string url = _rig.Server.AddFile("/ota/old.img", V2, "?Expires=1");
            _rig.Server.DropConnectionAt("/ota/old.img", 25_000);
            _rig.Server.Expire("/ota/old.img", afterRequests: 1);
            string fresh = _rig.Server.AddFile("/ota/fresh.img", V2, "?Expires=2");
            _rig.FirmwareGetAnswer = () => OtaRig.Job("2.0.0", fresh, V2, "sha256");
            _rig.Push(OtaRig.Job("2.0.0", url, V2, "sha256"));

            var final = _rig.ProgressUntilFinal().Last();
            Assert.Equal("100", final.Step);
            Assert.Equal(2, _rig.FirmwareGetCount);
            var requests = _rig.Server.Requests;
            _output.WriteLine(string.Join("\n", requests.Select(r => $"{r.Method} {r.Path} {r.Range} -> {r.StatusCode}")));
            Assert.Equal(new[] { 200, 403 }, requests.Where(r => r.Path == "/ota/old.img").Select(r => r.StatusCode));
            var resumed = requests.Single(r => r.Path == "/ota/fresh.img");
            Assert.Equal(206, resumed.StatusCode);
            Assert.Matches("^bytes=[1-9][0-9]*-$", resumed.Range);
            Assert.Equal(V2, _rig.SlotBytes(1));
        }

        [Fact]
        public void Connection_dropped_at_20_random_offsets_resumes_each_time_and_the_image_is_bit_exact()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            string url = _rig.Server.AddFile("/ota/app.img", V2);
            var random = new Random(20);
            long[] offsets = Enumerable.Range(0, 20).Select(_ => (long)random.Next(1, V2.Length - 1)).Distinct().OrderBy(o => o).ToArray();
            while (offsets.Length < 20)
            {
                offsets = offsets.Append((long)random.Next(1, V2.Length - 1)).Distinct().OrderBy(o => o).ToArray();
            }

            _rig.Server.DropConnectionAt("/ota/app.img", offsets);
            _rig.Push(OtaRig.Job("2.0.0", url, V2, "SHA256"));
            var final = _rig.ProgressUntilFinal().Last();
            Assert.Equal(("100", "verified; restarting into version 2.0.0"), final);
            Assert.Equal(V2, _rig.SlotBytes(1));

            var gets = _rig.Server.Requests.Where(r => r.Path == "/ota/app.img").ToList();
            Assert.Equal(21, gets.Count);
            Assert.Null(gets[0].Range);
            Assert.All(gets.Skip(1), r => Assert.Equal(206, r.StatusCode));
            _output.WriteLine("drops at " + string.Join(", ", offsets) + "; ranges " + string.Join(", ", gets.Select(g => g.Range)));

            _rig.Reboot();
            Assert.Equal("2.0.0", _rig.NextInform());
        }

        [Fact]
        public void Interrupted_download_resumes_after_a_reboot_from_the_stored_bytes()
        {
            _rig.Settings.RetryBaseMs = 60_000;
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            string url = _rig.Server.AddFile("/ota/app.img", V2);
            _rig.Server.DropConnectionAt("/ota/app.img", 30_000);
            _rig.Push(OtaRig.Job("2.0.0", url, V2));

            // The connection drops at 30 000 bytes; while the device waits to retry, it loses power.
            Assert.True(SpinWait.SpinUntil(() => _rig.Log.Contains("download interrupted"), 20000));
            long stored = _rig.Storage.Length("slotB.img");
            Assert.InRange(stored, 1, 30_000);
            _rig.FirmwareGetAnswer = () => OtaRig.Job("2.0.0", url, V2);
            _rig.Reboot();

            // At boot the device asks firmware.get; the platform answers with the same job and the download resumes.
            var final = _rig.ProgressUntilFinal().Last();
            Assert.Equal("100", final.Step);
            Assert.Equal(V2, _rig.SlotBytes(1));
            Assert.Equal("bytes=" + stored + "-", _rig.Server.Requests.Last(r => r.Path == "/ota/app.img").Range);
            Assert.True(_rig.Log.Contains("re-hashing"));
        }

        [Fact]
        public void Push_for_the_running_version_is_acknowledged_without_downloading()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            _rig.Push(OtaRig.Job("1.0.0", _rig.Server.AddFile("/ota/same.img", V1), V1));
            Assert.Equal("1.0.0", _rig.NextInform());
            Assert.Empty(_rig.Server.Requests);
            Assert.Null(_rig.Cloud.TryWaitForMessage(_rig.Topics.OtaProgress, TimeSpan.FromMilliseconds(300)));
        }

        [Fact]
        public void New_image_that_never_confirms_is_rolled_back_after_N_boots_and_the_platform_is_told()
        {
            _rig.Boot();
            Assert.Equal("1.0.0", _rig.NextInform());
            _rig.Push(OtaRig.Job("2.0.0", _rig.Server.AddFile("/ota/app.img", V2), V2));
            Assert.Equal("100", _rig.ProgressUntilFinal().Last().Step);
            Assert.True(_rig.Restart.Wait(10000));

            // The new image crashes before it ever reaches the platform: three boots, never confirmed.
            for (int boot = 1; boot <= 3; boot++)
            {
                _rig.Reboot(connect: false);
                Assert.Equal(("2.0.0", SlotState.Testing, boot), (_rig.Decision.Version, _rig.Decision.State, _rig.Decision.BootAttempts));
            }

            _rig.Reboot();
            Assert.Equal(("1.0.0", SlotState.RolledBack), (_rig.Decision.Version, _rig.Decision.State));
            var told = _rig.NextProgress();
            Assert.Equal("-1", told.Step);
            Assert.Contains("rolled back: version 2.0.0 not confirmed within 3 boots; running 1.0.0", told.Desc);
            Assert.Equal("1.0.0", _rig.NextInform());
            Assert.Equal(SlotState.Confirmed, _rig.Manifest.State);
        }
    }
}
