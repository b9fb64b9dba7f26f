using System.Collections;
using AliyunIot.Config;
using AliyunIot.Tests.Support;
using AliyunIot.Ota;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    public sealed class OtaJobParserTests
    {
        private const string Md5Hex = "5d41402abc4b2a76b9719d911017c592";
        private const string Sha256Hex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

        private static Hashtable Data(string json) => (Hashtable)CoreJson.Parse(json);

        // The legacy-format cases below run with the MD5 opt-in; the strict default has its own tests.
        private static OtaJob Parse(string json) => OtaJobParser.Parse(Data(json), 98304, allowMd5Only: true);

        private static (int, string) StrictRefusal(string json)
        {
            var ex = Assert.Throws<OtaJobRefusedException>(() => OtaJobParser.Parse(Data(json), 98304));
            return (ex.Step, ex.Message);
        }

        [Fact]
        public void A_job_naming_sha256_never_falls_back_to_the_md5_field()
        {
            // sign missing: the md5 field must not be used, opt-in or not.
            string json = "{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\",\"signMethod\":\"SHA256\",\"md5\":\"" + Md5Hex + "\"}";
            Assert.Equal((-1, "refused: signMethod SHA256 without a SHA-256 sign"), StrictRefusal(json));
            var ex = Assert.Throws<OtaJobRefusedException>(() => Parse(json));
            Assert.Equal("refused: signMethod SHA256 without a SHA-256 sign", ex.Message);
        }

        [Theory]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\",\"md5\":\"" + Md5Hex + "\"}")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\",\"sign\":\"" + Md5Hex + "\",\"signMethod\":\"Md5\"}")]
        public void An_md5_only_job_is_refused_without_the_opt_in(string json)
        {
            Assert.Equal((-1, "refused: the job carries only an MD5 digest; upload the package with sign method SHA256 (or set ota.allowMd5Only for legacy jobs)"), StrictRefusal(json));
            Assert.Equal(OtaDigestKind.Md5, Parse(json).DigestKind);
        }

        [Theory]
        [InlineData("1.0.0", "1.0.0", 0)]
        [InlineData("0.9.0", "1.1.0", -1)]
        [InlineData("1.10.0", "1.9.9", 1)]
        [InlineData("1.2", "1.2.1", -1)]
        [InlineData("2.0.0-rc1", "2.0.0-rc2", -1)]
        [InlineData("1.02", "1.2", 0)]
        [InlineData("10", "9", 1)]
        public void Versions_are_ordered_numerically_part_by_part(string a, string b, int expected)
        {
            Assert.Equal(expected, Math.Sign(OtaVersion.Compare(a, b)));
            Assert.Equal(-expected, Math.Sign(OtaVersion.Compare(b, a)));
        }

        [Fact]
        public void Trust_settings_default_to_strict_and_parse()
        {
            var defaults = OtaSettings.Parse(null);
            Assert.Equal((false, false, "", 0L), (defaults.AllowMd5Only, defaults.AllowDowngrade, defaults.BoardProfile, defaults.ImageHeapBudget));
            var parsed = OtaSettings.Parse(Data("{\"allowMd5Only\":true,\"allowDowngrade\":true,\"boardProfile\":\"esp32-wrover\",\"imageHeapBudget\":40000}"));
            Assert.Equal((true, true, "esp32-wrover", 40000L), (parsed.AllowMd5Only, parsed.AllowDowngrade, parsed.BoardProfile, parsed.ImageHeapBudget));
            Assert.Equal("ota.allowDowngrade", Assert.Throws<ConfigException>(() => OtaSettings.Parse(Data("{\"allowDowngrade\":\"yes\"}"))).Field);
            Assert.Equal("ota.boardProfile", Assert.Throws<ConfigException>(() => OtaSettings.Parse(Data("{\"boardProfile\":\"a,b\"}"))).Field);
        }

        private static (int, string) Refusal(string json)
        {
            var ex = Assert.Throws<OtaJobRefusedException>(() => Parse(json));
            return (ex.Step, ex.Message);
        }

        [Theory]
        [InlineData("MD5", OtaDigestKind.Md5, Md5Hex)]
        [InlineData("Md5", OtaDigestKind.Md5, Md5Hex)]
        [InlineData("md5", OtaDigestKind.Md5, Md5Hex)]
        [InlineData("SHA256", OtaDigestKind.Sha256, Sha256Hex)]
        [InlineData("Sha256", OtaDigestKind.Sha256, Sha256Hex)]
        public void Sign_method_is_compared_case_insensitively(string method, OtaDigestKind kind, string digest)
        {
            var job = Parse("{\"size\":5,\"version\":\"2.0.0\",\"url\":\"https://h/x?Signature=s\",\"sign\":\"" + digest.ToUpperInvariant() + "\",\"signMethod\":\"" + method + "\"}");
            Assert.Equal(kind, job.DigestKind);
            Assert.Equal(digest, job.Digest);
            Assert.Equal("https://h/x", job.UrlForLog);
            Assert.Equal("default", job.Module);
            Assert.Equal("2.0.0|" + (kind == OtaDigestKind.Md5 ? "md5" : "sha256") + "|" + digest, job.Tag);
        }

        [Fact]
        public void Legacy_md5_field_is_used_without_sign()
        {
            var job = Parse("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\",\"md5\":\"" + Md5Hex + "\"}");
            Assert.Equal((OtaDigestKind.Md5, Md5Hex), (job.DigestKind, job.Digest));
        }

        [Fact]
        public void Single_entry_files_array_is_supported()
        {
            var job = Parse("{\"version\":\"2\",\"signMethod\":\"SHA256\",\"module\":\"MCU\",\"files\":[{\"fileName\":\"app.img\",\"fileSize\":5,\"fileSign\":\"" + Sha256Hex + "\",\"fileUrl\":\"https://h/f\"}]}");
            Assert.Equal(("https://h/f", 5L, "MCU", OtaDigestKind.Sha256), (job.Url, job.Size, job.Module, job.DigestKind));
        }

        [Theory]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"http://h/x\",\"md5\":\"" + Md5Hex + "\"}", -2, "refused: only https:// downloads are allowed")]
        [InlineData("{\"size\":98305,\"version\":\"2\",\"url\":\"https://h/x\",\"md5\":\"" + Md5Hex + "\"}", -1, "refused: image of 98305 bytes exceeds the slot capacity of 98304 bytes")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\",\"sign\":\"abc\",\"signMethod\":\"Md5\"}", -1, "refused: sign is not a 32-digit hex digest")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\",\"sign\":\"" + Md5Hex + "\",\"signMethod\":\"SHA256\"}", -1, "refused: sign is not a 64-digit hex digest")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\",\"sign\":\"" + Md5Hex + "\",\"signMethod\":\"SM3\"}", -1, "refused: unsupported signMethod (MD5 and SHA256 are supported)")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\"}", -1, "refused: no digest (sign or md5) to verify the image")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\",\"md5\":\"" + Md5Hex + "\",\"isDiff\":1}", -1, "refused: differential packages are not supported")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"dProtocol\":\"mqtt\",\"streamId\":1,\"md5\":\"" + Md5Hex + "\"}", -1, "refused: MQTT block download is not supported, use HTTPS")]
        [InlineData("{\"version\":\"2\",\"signMethod\":\"Md5\",\"files\":[{\"fileUrl\":\"https://h/a\",\"fileSize\":1,\"fileSign\":\"" + Md5Hex + "\"},{\"fileUrl\":\"https://h/b\",\"fileSize\":1,\"fileSign\":\"" + Md5Hex + "\"}]}", -1, "refused: multi-file packages are not supported; pack all assemblies into one OTA image")]
        [InlineData("{\"size\":5,\"url\":\"https://h/x\",\"md5\":\"" + Md5Hex + "\"}", -1, "refused: version missing or longer than 64 characters")]
        [InlineData("{\"size\":5,\"version\":\"2\\n[ota] forged line\",\"url\":\"https://h/x\",\"md5\":\"" + Md5Hex + "\"}", -1, "refused: version contains control characters")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"https://h/x\\r\\n\",\"md5\":\"" + Md5Hex + "\"}", -2, "refused: download URL contains control characters")]
        [InlineData("{\"size\":5,\"version\":\"2\",\"url\":\"\\u0000https://h/x\",\"md5\":\"" + Md5Hex + "\"}", -2, "refused: only https:// downloads are allowed")]
        [InlineData("{\"size\":\"5\",\"version\":\"2\",\"url\":\"https://h/x\",\"md5\":\"" + Md5Hex + "\"}", -1, "refused: field size expected number")]
        public void Unsupported_or_unsafe_jobs_are_refused_with_a_step_and_reason(string json, int step, string desc)
        {
            Assert.Equal((step, desc), Refusal(json));
        }

        [Fact]
        public void Settings_have_defaults_and_parse_every_field()
        {
            var defaults = OtaSettings.Parse(null);
            Assert.Equal(("default", 3, 4096, 98304L, false), (defaults.Module, defaults.ConfirmWithinBoots, defaults.ChunkSize, defaults.SlotCapacity, defaults.CloseMqttDuringDownload));
            var parsed = OtaSettings.Parse(Data("{\"module\":\"MCU\",\"confirmWithinBoots\":5,\"closeMqttDuringDownload\":true,\"chunkSize\":2048,\"maxRetries\":7,\"retryBaseMs\":100,\"retryCapMs\":1000,\"slotCapacity\":200000}"));
            Assert.Equal(("MCU", 5, true, 2048, 7, 100, 1000, 200000L), (parsed.Module, parsed.ConfirmWithinBoots, parsed.CloseMqttDuringDownload, parsed.ChunkSize, parsed.MaxRetries, parsed.RetryBaseMs, parsed.RetryCapMs, parsed.SlotCapacity));
            Assert.False(parsed.IsDefaultModule);
        }

        [Theory]
        [InlineData("{\"confirmWithinBoots\":0}", "ota.confirmWithinBoots")]
        [InlineData("{\"chunkSize\":100}", "ota.chunkSize")]
        [InlineData("{\"closeMqttDuringDownload\":\"yes\"}", "ota.closeMqttDuringDownload")]
        [InlineData("{\"module\":\"\"}", "ota.module")]
        [InlineData("{\"retryBaseMs\":5000,\"retryCapMs\":1000}", "ota.retryCapMs")]
        public void Bad_settings_name_the_field(string json, string field)
        {
            var ex = Assert.Throws<ConfigException>(() => OtaSettings.Parse(Data(json)));
            Assert.Equal(field, ex.Field);
        }
    }
}
