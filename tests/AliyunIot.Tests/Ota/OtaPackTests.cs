using System.Security.Cryptography;
using AliyunIot.HostPorts.Storage;
using AliyunIot.OtaPack;
using AliyunIot.Tests.Support;
using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    public sealed class OtaPackTests
    {
        [Fact]
        public void Packed_image_is_what_the_loader_accepts_and_its_digests_are_those_of_the_file()
        {
            var core = new byte[7000];
            var app = new byte[3000];
            new Random(3).NextBytes(core);
            new Random(4).NextBytes(app);
            var packed = OtaImagePacker.Pack("1.2.0", new[] { ("AliyunIot.pe", core), ("Esp32App.pe", app) });

            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(packed.Image)), packed.Md5Hex);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(packed.Image)), packed.Sha256Hex);
            using var temp = new TempFolder();
            File.WriteAllBytes(Path.Combine(temp.Path, "slotA.img"), packed.Image);
            var assemblies = OtaImageReader.ReadAssemblies(new FileFlashStorage(temp.Path), "slotA.img", out var header);
            Assert.Equal("1.2.0", header.Version);
            Assert.Equal(new[] { "AliyunIot.pe", "Esp32App.pe" }, header.Entries.Select(e => e.Name));
            Assert.Equal(core, assemblies[0]);
            Assert.Equal(app, assemblies[1]);
            Assert.Equal(packed.Image.Length, header.TotalLength);
        }

        [Fact]
        public void An_application_tier_image_refuses_the_core_and_the_components_a_full_tier_image_takes_them()
        {
            Assert.Null(OtaImagePacker.CheckTier(OtaImageHeader.TierApplication, new[] { "Esp32App.pe", "Product.pe" }));
            Assert.Equal(
                "AliyunIot.pe, AliyunIot.Thing.pe belong to the platform tier (deployed by flash.ps1): leave them out of an application-tier image, or pack --tier full for a PSRAM board",
                OtaImagePacker.CheckTier(OtaImageHeader.TierApplication, new[] { "AliyunIot.pe", "AliyunIot.Thing.pe", "Esp32App.pe" }));
            Assert.Null(OtaImagePacker.CheckTier(OtaImageHeader.TierFull, new[] { "AliyunIot.pe", "AliyunIot.Thing.pe", "Esp32App.pe" }));
        }
    }
}
