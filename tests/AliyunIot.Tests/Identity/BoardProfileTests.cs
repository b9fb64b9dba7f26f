using System.Text.Json.Nodes;
using AliyunIot.Config;
using AliyunIot.Ota;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Identity
{
    /// <summary>
    /// device.json's <c>"profile"</c>: the board class flash.ps1 writes. Its defaults apply to what the file leaves
    /// out, and a config whose queues, buffers or concurrent TLS sessions do not fit the board is refused at boot
    /// with the field and the budget named.
    /// </summary>
    public class BoardProfileTests
    {
        private const string Secret = "Bd7SecretValue-ds-789";

        private static JsonObject Valid(string profile) => new JsonObject
        {
            ["productKey"] = "a1B2c3D4e5F",
            ["deviceName"] = "light-01",
            ["deviceSecret"] = Secret,
            ["endpoint"] = new JsonObject { ["instanceId"] = "iot-06z00abc" },
            ["profile"] = profile,
        };

        private static DeviceConfig Parse(JsonObject json) => new DeviceConfigParser(null).Parse(json.ToJsonString());

        private static string Refusal(JsonObject json)
        {
            var e = Assert.Throws<ConfigException>(() => Parse(json));
            SecretAssert.NotIn(Secret, e.Message, "the refusal");
            return e.Message;
        }

        [Theory]
        [InlineData("esp32-wroom", 4096, 8192, 8192, 4096, true)]
        [InlineData("esp32c3", 2048, 2048, 2048, 1024, true)]
        [InlineData("esp32-wrover", 16384, 65536, 65536, 16384, false)]
        [InlineData("esp32s3-psram", 16384, 65536, 65536, 16384, false)]
        public void Each_profile_brings_its_defaults(string profile, int maxPayload, int inbound, int offline, int chunk, bool closeMqtt)
        {
            DeviceConfig config = Parse(Valid(profile));
            Assert.Equal(profile, config.Profile.Name);
            Assert.Equal(maxPayload, config.Limits.MaxPayloadBytes);
            Assert.Equal(inbound, config.Limits.InboundQueueBytes);
            Assert.Equal(offline, config.Limits.OfflineQueueBytes);
            OtaSettings ota = OtaSettings.Parse(config.Ota);
            Assert.Equal(chunk, ota.ChunkSize);
            Assert.Equal(closeMqtt, ota.CloseMqttDuringDownload);
            Assert.Equal(profile, ota.BoardProfile);
        }

        [Theory]
        [InlineData("esp32-wroom", false)]
        [InlineData("esp32c3", false)]
        [InlineData("esp32-wrover", true)]
        [InlineData("esp32s3-psram", true)]
        public void Code_OTA_is_off_where_no_application_tier_fits_the_heap(string profile, bool codeOta)
        {
            Assert.Equal(codeOta, BoardProfile.Find(profile).CodeOta);
        }

        [Fact]
        public void Without_a_profile_the_old_defaults_hold_and_nothing_is_checked()
        {
            var json = Valid("x");
            json.Remove("profile");
            json["limits"] = new JsonObject { ["maxPayloadBytes"] = 262144 };
            DeviceConfig config = Parse(json);
            Assert.Null(config.Profile);
            Assert.Equal(262144, config.Limits.MaxPayloadBytes);
            Assert.Equal(262144, config.Limits.InboundQueueBytes);
            Assert.Equal(DeviceLimits.DefaultQueueBytes, config.Limits.OfflineQueueBytes);
            Assert.Null(config.Ota);
        }

        [Fact]
        public void An_unknown_profile_is_refused_with_the_choices()
        {
            Assert.Equal("profile: must be one of esp32-wroom, esp32-wrover, esp32s3-psram, esp32c3", Refusal(Valid("esp8266")));
        }

        [Fact]
        public void A_payload_larger_than_the_board_allows_is_refused()
        {
            var json = Valid("esp32-wroom");
            json["limits"] = new JsonObject { ["maxPayloadBytes"] = 65536 };
            Assert.Equal("limits.maxPayloadBytes: is 65536 B; the esp32-wroom profile allows at most 8192 B", Refusal(json));

            json = Valid("esp32-wrover");
            json["limits"] = new JsonObject { ["maxPayloadBytes"] = 65536 };
            Assert.Equal(65536, Parse(json).Limits.MaxPayloadBytes);
        }

        [Fact]
        public void Queues_and_buffers_beyond_the_budget_are_refused_with_the_sum_named()
        {
            var json = Valid("esp32-wroom");
            json["limits"] = new JsonObject { ["offlineQueueBytes"] = 65536 };
            Assert.Equal(
                "limits: inboundQueueBytes 8192 + offlineQueueBytes 65536 + maxPayloadBytes 4096 + ota.chunkSize 4096 = 81920 B exceeds the esp32-wroom profile's buffer budget of 24576 B",
                Refusal(json));

            json = Valid("esp32-wroom");
            json["ota"] = new JsonObject { ["chunkSize"] = 16384 };
            Assert.Contains("ota.chunkSize 16384", Refusal(json));
        }

        [Fact]
        public void An_inbound_queue_smaller_than_one_message_is_refused()
        {
            var json = Valid("esp32-wrover");
            json["limits"] = new JsonObject { ["maxPayloadBytes"] = 16384, ["inboundQueueBytes"] = 8192 };
            Assert.Equal("limits.inboundQueueBytes: is 8192 B, less than one message of limits.maxPayloadBytes (16384 B)", Refusal(json));
        }

        [Fact]
        public void Two_TLS_sessions_are_refused_where_only_one_fits()
        {
            var json = Valid("esp32-wroom");
            json["ota"] = new JsonObject { ["closeMqttDuringDownload"] = false };
            Assert.Equal("ota.closeMqttDuringDownload: false needs two TLS sessions at once (~33 KB native heap each); the esp32-wroom profile fits 1", Refusal(json));

            json = Valid("esp32s3-psram");
            json["ota"] = new JsonObject { ["closeMqttDuringDownload"] = false };
            Assert.False(OtaSettings.Parse(Parse(json).Ota).CloseMqttDuringDownload);
        }

        [Fact]
        public void A_close_mqtt_setting_that_is_not_a_boolean_is_refused_whatever_the_build()
        {
            // A build without the OTA component (esp32-wroom) reads this field too: "yes" must not quietly mean false.
            var json = Valid("esp32-wroom");
            json["ota"] = new JsonObject { ["closeMqttDuringDownload"] = "yes" };
            Assert.Equal("ota.closeMqttDuringDownload: must be true or false", Refusal(json));
        }

        [Fact]
        public void Profile_defaults_do_not_leak_into_the_document_written_back()
        {
            DeviceConfig config = Parse(Valid("esp32-wroom"));
            Assert.False(config.Raw.Contains("ota"));
            Assert.NotNull(config.Ota);
        }

        // Not inlined: no stack slot of the test method may keep the tree alive.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static WeakReference Track(DeviceConfig config) => new WeakReference(config.Raw);

        [Fact]
        public void The_parsed_tree_with_the_secrets_can_be_released_after_startup()
        {
            DeviceConfig config = Parse(Valid("esp32-wroom"));
            WeakReference tree = Track(config);
            config.ReleaseDocument();
            Assert.Null(config.Raw);
            Assert.Null(config.Ota);
            Assert.Null(config.Sensors);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.False(tree.IsAlive, "nothing else may hold the parsed document");
            Assert.Equal(Secret, config.DeviceSecret);
        }
    }
}
