using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AliyunIot.OtaPack;
using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// Issue 17's acceptance list at the agent level, end to end like <see cref="OtaAcceptanceTests"/> (real broker
    /// with the platform's auth, real HTTPS server, real files as I:\ holding the TEST-ONLY public key): a forged
    /// image (valid digest, no / wrong / foreign signature), a downgrade of the version or the security counter, an
    /// MD5-only job, a header whose version differs from the job, an image for another board — each refused before
    /// activation with the platform's step and a reason, the slot discarded and the old image still running.
    /// </summary>
    public sealed class OtaTrustTests : IDisposable
    {
        private static readonly byte[] V1 = OtaTestImages.Build("1.1.0", 100, OtaTestImages.Signed(counter: 5), 20_000, 9_000);
        private readonly OtaRig _rig;

        public OtaTrustTests()
        {
            _rig = new OtaRig();
            _rig.Provision(V1);
        }

        public void Dispose() => _rig.Dispose();

        [Fact]
        public void Unsigned_image_with_a_valid_digest_is_refused()
        {
            byte[] forged = OtaTestImages.Build("2.0.0", 7, new OtaPackOptions(), 30_000);
            AssertRefused("2.0.0", forged, "-3", "the image is not signed");
        }

        [Fact]
        public void Image_signed_with_another_key_is_refused()
        {
            using RSA attacker = RSA.Create(2048);
            byte[] forged = OtaTestImages.Build("2.0.0", 7, new OtaPackOptions { SigningKey = attacker, SecurityCounter = 9 }, 30_000);
            AssertRefused("2.0.0", forged, "-3", "the image is signed with key " + Convert.ToHexStringLower(SigningKeys.KeyId(attacker)));
        }

        [Fact]
        public void Image_whose_content_does_not_match_its_signature_is_refused()
        {
            // Content of one build, signature of another, both by the trusted key: structure, CRCs and key id are all
            // right, only the RSA check can tell.
            byte[] genuine = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 6), 30_000);
            byte[] other = OtaTestImages.Build("2.0.0", 8, OtaTestImages.Signed(counter: 6), 30_000);
            int signed = (int)OtaImageHeader.Decode(genuine, OtaImageHeader.PeekLength(genuine)).SignedLength;
            byte[] forged = other.AsSpan(0, signed).ToArray().Concat(genuine.AsSpan(signed).ToArray()).ToArray();
            AssertRefused("2.0.0", forged, "-3", "signature check failed");
        }

        [Fact]
        public void Version_downgrade_is_refused_before_the_download()
        {
            byte[] old = OtaTestImages.Build("0.9.0", 7, OtaTestImages.Signed(counter: 5), 30_000);
            AssertRefused("0.9.0", old, "-1", "refused: version 0.9.0 is older than the running 1.1.0 (downgrades need ota.allowDowngrade)");
            Assert.DoesNotContain(_rig.Server.Requests, r => r.Path == "/ota/0.9.0.img");
        }

        [Fact]
        public void Stale_security_counter_is_refused()
        {
            byte[] stale = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 4), 30_000);
            AssertRefused("2.0.0", stale, "-3", "security counter 4 is below the running 5 (anti-rollback)");
        }

        [Fact]
        public void Md5_only_job_is_refused_without_the_opt_in()
        {
            byte[] image = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5), 30_000);
            AssertRefused("2.0.0", image, "-1", "refused: the job carries only an MD5 digest", signMethod: "Md5");
        }

        [Fact]
        public void Header_version_different_from_the_job_is_refused()
        {
            byte[] image = OtaTestImages.Build("3.0.0", 7, OtaTestImages.Signed(counter: 5), 30_000);
            AssertRefused("2.0.0", image, "-3", "the image header says version 3.0.0, the job 2.0.0");
        }

        [Fact]
        public void Image_for_another_platform_or_board_is_refused_on_its_header()
        {
            byte[] otherPlatform = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5, platform: "999"), 30_000);
            AssertRefused("2.0.0", otherPlatform, "-1", "refused: the image was built for platform 999, this board runs platform " + StablePlatform.Version);
        }

        [Fact]
        public void Image_too_large_for_the_boards_heap_is_refused_before_the_download_when_the_push_says_so()
        {
            _rig.Settings.ImageHeapBudget = 20_000;
            byte[] image = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5), 30_000);
            _rig.Boot();
            Assert.Equal("1.1.0", _rig.NextInform());
            var job = OtaRig.Job("2.0.0", _rig.Server.AddFile("/ota/big.img", image), image);
            job["extData"] = new JsonObject { ["otaPlatform"] = StablePlatform.Version, ["otaHeap"] = "32500" };
            _rig.Push(job);

            var final = _rig.ProgressUntilFinal().Last();
            Assert.Equal(("-1", "refused before download: the image needs about 32500 bytes of heap once loaded, this board has 20000"), final);
            Assert.DoesNotContain(_rig.Server.Requests, r => r.Path == "/ota/big.img");
        }

        [Theory]
        [InlineData("esp32-wroom")]
        [InlineData("esp32c3")]
        public void A_board_whose_profile_has_no_code_OTA_refuses_every_image_before_the_download(string profile)
        {
            _rig.Settings.BoardProfile = profile;
            byte[] image = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5), 2_000);
            _rig.Boot();
            Assert.Equal("1.1.0", _rig.NextInform());
            _rig.Push(OtaRig.Job("2.0.0", _rig.Server.AddFile("/ota/small.img", image), image));

            var final = _rig.ProgressUntilFinal().Last();
            Assert.Equal(("-1", "refused before download: the " + profile + " profile takes no code update over the air (its heap cannot hold an application tier);"
                + " code changes need flash.ps1, behaviour changes come through remote config"), final);
            Assert.DoesNotContain(_rig.Server.Requests, r => r.Path == "/ota/small.img");
            Assert.False(_rig.Storage.Exists("slotB.img"));
        }

        [Fact]
        public void A_board_whose_profile_has_code_OTA_installs_the_same_image()
        {
            _rig.Settings.BoardProfile = "esp32-wrover";
            byte[] image = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5), 2_000);
            _rig.Boot();
            Assert.Equal("1.1.0", _rig.NextInform());
            _rig.Push(OtaRig.Job("2.0.0", _rig.Server.AddFile("/ota/small.img", image), image));

            Assert.Equal("100", _rig.ProgressUntilFinal().Last().Step);
            Assert.Contains(_rig.Server.Requests, r => r.Path == "/ota/small.img");
        }

        [Fact]
        public void Image_too_large_for_the_boards_heap_is_refused_on_its_header_without_push_info()
        {
            _rig.Settings.ImageHeapBudget = 20_000;
            byte[] image = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5), 30_000);
            AssertRefused("2.0.0", image, "-1", "refused: the image needs about 32500 bytes of heap once loaded, this board has 20000");
        }

        [Fact]
        public void Image_for_another_platform_named_in_the_push_is_refused_before_the_download()
        {
            byte[] image = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5, platform: "999"), 30_000);
            _rig.Boot();
            Assert.Equal("1.1.0", _rig.NextInform());
            var job = OtaRig.Job("2.0.0", _rig.Server.AddFile("/ota/p.img", image), image);
            job["extData"] = new JsonObject { ["otaPlatform"] = "999" };
            _rig.Push(job);

            Assert.Equal("-1", _rig.ProgressUntilFinal().Last().Step);
            Assert.DoesNotContain(_rig.Server.Requests, r => r.Path == "/ota/p.img");
            Assert.False(_rig.Storage.Exists("slotB.img"));
        }

        [Fact]
        public void Missing_public_key_refuses_every_image()
        {
            File.Delete(Path.Combine(_rig.Flash.Path, StablePlatform.SigningKeyFile));
            byte[] image = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5), 30_000);
            AssertRefused("2.0.0", image, "-3", "no OTA signing key on the device: ota-signing.pem is missing");
        }

        [Fact]
        public void Signed_image_with_a_higher_counter_installs_and_raises_the_floor_once_confirmed()
        {
            byte[] v2 = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 6), 30_000);
            _rig.Boot();
            Assert.Equal("1.1.0", _rig.NextInform());
            _rig.Push(OtaRig.Job("2.0.0", _rig.Server.AddFile("/ota/2.0.0.img", v2), v2));
            Assert.Equal("100", _rig.ProgressUntilFinal().Last().Step);
            Assert.Equal((SlotState.Pending, 6L), (_rig.Manifest.State, _rig.Manifest.ActiveCounter));
            Assert.NotEqual(string.Empty, _rig.Manifest.ActiveSignature);

            _rig.Reboot();
            Assert.Equal("2.0.0", _rig.NextInform());
            Assert.Equal((SlotState.Confirmed, 6L), (_rig.Manifest.State, _rig.Manifest.CounterFloor));
        }

        [Fact]
        public void Downgrade_installs_when_the_user_allows_it()
        {
            _rig.Settings.AllowDowngrade = true;
            byte[] old = OtaTestImages.Build("0.9.0", 7, OtaTestImages.Signed(counter: 1), 30_000);
            _rig.Boot();
            Assert.Equal("1.1.0", _rig.NextInform());
            _rig.Push(OtaRig.Job("0.9.0", _rig.Server.AddFile("/ota/0.9.0.img", old), old));
            Assert.Equal("100", _rig.ProgressUntilFinal().Last().Step);
            _rig.Reboot();
            Assert.Equal("0.9.0", _rig.NextInform());
        }

        [Fact]
        public void Md5_only_job_installs_a_signed_image_with_the_opt_in()
        {
            _rig.Settings.AllowMd5Only = true;
            byte[] v2 = OtaTestImages.Build("2.0.0", 7, OtaTestImages.Signed(counter: 5), 30_000);
            _rig.Boot();
            Assert.Equal("1.1.0", _rig.NextInform());
            _rig.Push(OtaRig.Job("2.0.0", _rig.Server.AddFile("/ota/2.0.0.img", v2), v2, "Md5"));
            Assert.Equal("100", _rig.ProgressUntilFinal().Last().Step);
        }

        private void AssertRefused(string jobVersion, byte[] image, string step, string descStart, string signMethod = "SHA256")
        {
            _rig.Boot();
            Assert.Equal("1.1.0", _rig.NextInform());
            string url = _rig.Server.AddFile("/ota/" + jobVersion + ".img", image);

            // The push's digest is that of the served bytes: only the signature and the rules can refuse it.
            _rig.Push(OtaRig.Job(jobVersion, url, image, signMethod));
            var final = _rig.ProgressUntilFinal().Last();
            Assert.Equal(step, final.Step);
            Assert.StartsWith(descStart, final.Desc);
            Assert.False(_rig.Restart.Wait(200), "no restart");
            Assert.False(_rig.Storage.Exists("slotB.img"), "the download was discarded");
            Assert.Equal(("1.1.0", SlotState.Confirmed, 0), (_rig.Manifest.ActiveVersion, _rig.Manifest.State, _rig.Manifest.ActiveSlot));

            _rig.Reboot();
            Assert.Equal("1.1.0", _rig.Decision.Version);
            Assert.Equal("1.1.0", _rig.NextInform());
        }
    }
}
