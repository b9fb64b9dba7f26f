using System.Collections;
using AliyunIot.Config;
using AliyunIot.Tests.Support;
using AliyunIot.HostPorts.Sensors;
using AliyunIot.Ports;
using AliyunIot.Sensors;
using Xunit;

namespace AliyunIot.Tests.Thing
{
    public class SensorTests
    {
        private static ArrayList Sensors(string json) => (ArrayList)CoreJson.Parse(json);

        private const string Board = "[" +
            "{\"type\":\"digitalInput\",\"property\":\"Door\",\"pin\":4,\"pull\":\"up\",\"debounceMs\":50,\"invert\":true,\"event\":\"DoorChanged\"}," +
            "{\"type\":\"digitalOutput\",\"property\":\"Relay\",\"pin\":2,\"initial\":false}," +
            "{\"type\":\"adc\",\"property\":\"Temp\",\"channel\":6,\"scale\":0.1,\"offset\":-50,\"periodMs\":1000,\"deadband\":0.5,\"decimals\":1}]";

        [Fact]
        public void Parser_reads_every_sensor_type_with_defaults()
        {
            var sensors = SensorConfigParser.Parse(Sensors(Board + ""), wifiInUse: true);
            Assert.Equal(3, sensors.Length);
            Assert.Equal(SensorKind.DigitalInput, sensors[0].Kind);
            Assert.Equal(4, sensors[0].Pin);
            Assert.Equal(PinPull.Up, sensors[0].Pull);
            Assert.Equal(50, sensors[0].DebounceMs);
            Assert.True(sensors[0].Invert);
            Assert.Equal("DoorChanged", sensors[0].EventId);
            Assert.Equal(SensorKind.DigitalOutput, sensors[1].Kind);
            Assert.False(sensors[1].Initial);
            Assert.Equal(SensorKind.Adc, sensors[2].Kind);
            Assert.Equal(6, sensors[2].Channel);
            Assert.Equal(0.1, sensors[2].Scale);
            Assert.Equal(-50, sensors[2].Offset);
            Assert.Equal(1, sensors[2].Decimals);

            var defaults = SensorConfigParser.Parse(Sensors("[{\"type\":\"digitalInput\",\"property\":\"B\",\"pin\":5},{\"type\":\"adc\",\"property\":\"A\",\"channel\":0}]"), true);
            Assert.Equal(PinPull.None, defaults[0].Pull);
            Assert.Equal(50, defaults[0].DebounceMs);
            Assert.Null(defaults[0].EventId);
            Assert.Equal(1.0, defaults[1].Scale);
            Assert.Equal(1000, defaults[1].PeriodMs);
            Assert.Equal(2, defaults[1].Decimals);
            Assert.Empty(SensorConfigParser.Parse(null, true));
        }

        [Theory]
        [InlineData("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":12}]", "sensors[0].channel", "ADC2 channels (10-19) cannot be read while WiFi is on; use an ADC1 channel (0 = GPIO 36, 1 = GPIO 37, 2 = GPIO 38, 3 = GPIO 39, 4 = GPIO 32, 5 = GPIO 33, 6 = GPIO 34, 7 = GPIO 35)")]
        [InlineData("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":9}]", "sensors[0].channel", "channel 9 cannot be read on the ESP32 with this firmware (ESP-IDF 5); use an ADC1 channel (0 = GPIO 36, 1 = GPIO 37, 2 = GPIO 38, 3 = GPIO 39, 4 = GPIO 32, 5 = GPIO 33, 6 = GPIO 34, 7 = GPIO 35)")]
        [InlineData("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":20}]", "sensors[0].channel", "must be 0..19")]
        [InlineData("[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":7}]", "sensors[0].pin", "GPIO 6-11 belong to the flash chip")]
        [InlineData("[{\"type\":\"digitalOutput\",\"property\":\"A\",\"pin\":35}]", "sensors[0].pin", "GPIO 34-39 are input-only")]
        [InlineData("[{\"type\":\"digitalOutput\",\"property\":\"A\",\"pin\":24}]", "sensors[0].pin", "GPIO 24 does not exist on the ESP32")]
        [InlineData("[{\"type\":\"digitalOutput\",\"property\":\"A\"}]", "sensors[0].pin", "missing")]
        [InlineData("[{\"type\":\"digitalOutput\",\"property\":\"A\",\"pin\":\"2\"}]", "sensors[0].pin", "expected an integer")]
        [InlineData("[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":4},{\"type\":\"digitalOutput\",\"property\":\"B\",\"pin\":4}]", "sensors[1].pin", "GPIO 4 is used by another sensor")]
        [InlineData("[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":34},{\"type\":\"adc\",\"property\":\"B\",\"channel\":6}]", "sensors[1].channel", "GPIO 34 is used by another sensor")]
        [InlineData("[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":4},{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":5}]", "sensors[1].property", "used by another sensor")]
        [InlineData("[{\"type\":\"digitalInput\",\"property\":\"a b\",\"pin\":4}]", "sensors[0].property", "must be a property identifier: letters, digits, '_' or ':' (up to 64)")]
        [InlineData("[{\"type\":\"digitalInput\",\"pin\":4}]", "sensors[0].property", "must be a property identifier: letters, digits, '_' or ':' (up to 64)")]
        [InlineData("[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":4,\"pull\":\"sideways\"}]", "sensors[0].pull", "must be up, down or none")]
        [InlineData("[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":4,\"event\":\"x/y\"}]", "sensors[0].event", "must be an event identifier: letters, digits, '_' or ':' (up to 64)")]
        [InlineData("[{\"type\":\"thermometer\",\"property\":\"A\"}]", "sensors[0].type", "must be one of digitalInput, digitalOutput, adc")]
        [InlineData("[{\"property\":\"A\"}]", "sensors[0].type", "missing; one of digitalInput, digitalOutput, adc")]
        [InlineData("[42]", "sensors[0]", "expected an object")]
        [InlineData("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":0,\"periodMs\":10}]", "sensors[0].periodMs", "must be 100..3600000")]
        [InlineData("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":0,\"deadband\":-1}]", "sensors[0].deadband", "must be 0..1000000")]
        [InlineData("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":0,\"scale\":\"x\"}]", "sensors[0].scale", "expected a number")]
        public void Parser_names_the_bad_field(string json, string field, string message)
        {
            var e = Assert.Throws<ConfigException>(() => SensorConfigParser.Parse(Sensors(json), wifiInUse: true));
            Assert.Equal(field, e.Field);
            Assert.Equal(field + ": " + message, e.Message);
        }

        [Theory]
        [InlineData("ESP32_S3_QUAD", "[{\"type\":\"adc\",\"property\":\"A\",\"channel\":12}]", "sensors[0].channel", "ADC2 channels (10-19) cannot be read while WiFi is on; use an ADC1 channel (0 = GPIO 1, 1 = GPIO 2, 2 = GPIO 3, 3 = GPIO 4, 4 = GPIO 5, 5 = GPIO 6, 6 = GPIO 7, 7 = GPIO 8)")]
        [InlineData("ESP32_S3_OCTAL", "[{\"type\":\"adc\",\"property\":\"A\",\"channel\":8}]", "sensors[0].channel", "channel 8 cannot be read on the ESP32-S3 with this firmware (ESP-IDF 5); use an ADC1 channel (0 = GPIO 1, 1 = GPIO 2, 2 = GPIO 3, 3 = GPIO 4, 4 = GPIO 5, 5 = GPIO 6, 6 = GPIO 7, 7 = GPIO 8)")]
        [InlineData("ESP32_S3_QUAD", "[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":4},{\"type\":\"adc\",\"property\":\"B\",\"channel\":3}]", "sensors[1].channel", "GPIO 4 is used by another sensor")]
        [InlineData("ESP32_S3_QUAD", "[{\"type\":\"digitalOutput\",\"property\":\"A\",\"pin\":27}]", "sensors[0].pin", "GPIO 26-32 belong to the flash and PSRAM chips")]
        [InlineData("ESP32_S3_QUAD", "[{\"type\":\"digitalOutput\",\"property\":\"A\",\"pin\":49}]", "sensors[0].pin", "must be 0..48")]
        [InlineData("ESP32_C3", "[{\"type\":\"adc\",\"property\":\"A\",\"channel\":6}]", "sensors[0].channel", "must be 0..5")]
        [InlineData("ESP32_C3", "[{\"type\":\"adc\",\"property\":\"A\",\"channel\":5}]", "sensors[0].channel", "ADC2 channels (5) cannot be read while WiFi is on; use an ADC1 channel (0 = GPIO 0, 1 = GPIO 1, 2 = GPIO 2, 3 = GPIO 3, 4 = GPIO 4)")]
        [InlineData("ESP32_C3", "[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":14}]", "sensors[0].pin", "GPIO 12-17 belong to the flash chip")]
        [InlineData("ESP32_C3", "[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":22}]", "sensors[0].pin", "must be 0..21")]
        public void The_rules_are_the_chips_the_firmware_target_names(string target, string json, string field, string message)
        {
            var e = Assert.Throws<ConfigException>(() => SensorConfigParser.Parse(Sensors(json), true, EspChip.FromTargetName(target)));
            Assert.Equal(field + ": " + message, e.Message);
        }

        [Fact]
        public void What_one_chip_refuses_another_accepts()
        {
            // GPIO 35 is input-only on the ESP32 and an ordinary pin on the S3; channel 0 is GPIO 36 / GPIO 1 / GPIO 0.
            string json = "[{\"type\":\"digitalOutput\",\"property\":\"A\",\"pin\":35},{\"type\":\"adc\",\"property\":\"B\",\"channel\":0}]";
            Assert.Equal(35, SensorConfigParser.Parse(Sensors(json), true, EspChip.FromTargetName("ESP32_S3_QUAD"))[0].Pin);
            Assert.Throws<ConfigException>(() => SensorConfigParser.Parse(Sensors(json), true, EspChip.FromTargetName("ESP32_REV3")));
            Assert.Equal((36, 1, 0), (EspChip.Esp32.AdcGpio(0), EspChip.Esp32S3.AdcGpio(0), EspChip.Esp32C3.AdcGpio(0)));
            Assert.Equal("ESP32", EspChip.FromTargetName("ESP32_PSRAM_REV0").Name);
            Assert.Equal("ESP32-C3", EspChip.FromTargetName("ESP32_C3").Name);
        }

        [Fact]
        public void Adc2_is_allowed_without_wifi()
        {
            var sensors = SensorConfigParser.Parse(Sensors("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":12}]"), wifiInUse: false);
            Assert.Equal(12, sensors[0].Channel);
        }

        private sealed class Board_
        {
            public Board_()
            {
                F = new ThingFixture();
                Pins = new SimulatedPins();
                Pins.SetAnalog(6, 700); // 0.1 * 700 - 50 = 20.0
                Poller = new SensorPoller(SensorConfigParser.Parse(Sensors(Board.Replace("\"Temp\"", "\"Temp2\"")), true), F.Model, F.Reporter, Pins, F.Clock, F.Log);
            }

            public ThingFixture F { get; }
            public SimulatedPins Pins { get; }
            public SensorPoller Poller { get; }

            public string[] Posts() => F.Publisher.Messages.Select(m => m.Topic.Substring(m.Topic.IndexOf("/thing/") + 7) + " " + m.Text.Substring(m.Text.IndexOf("\"params\":") + 9).Replace(",\"time\":" + F.Clock.UtcNow.Subtract(DateTime.UnixEpoch).Ticks / 10000, "")).ToArray();
        }

        [Fact]
        public void First_tick_posts_every_sensor_once()
        {
            var b = new Board_();
            Assert.Equal(PinPull.Up, b.Pins.PullOf(4));
            b.Poller.Tick();
            Assert.Equal(new[]
            {
                "event/property/post {\"Door\":{\"value\":0}},\"method\":\"thing.event.property.post\"}",
                "event/property/post {\"Relay\":{\"value\":0}},\"method\":\"thing.event.property.post\"}",
                "event/property/post {\"Temp2\":{\"value\":20.0}},\"method\":\"thing.event.property.post\"}",
            }, b.Posts());
            b.F.Publisher.Clear();
            b.F.Clock.Advance(5000);
            b.Poller.Tick();
            Assert.Empty(b.F.Publisher.Messages);
        }

        [Fact]
        public void Digital_input_posts_on_a_debounced_change_with_its_event()
        {
            var b = new Board_();
            b.Poller.Tick();
            b.F.Publisher.Clear();

            // Pull-up input inverted: pin low = pressed = true. A 30 ms glitch is ignored.
            b.Pins.SetInput(4, false);
            b.Poller.Tick();
            b.F.Clock.Advance(30);
            b.Pins.SetInput(4, true);
            b.Poller.Tick();
            b.F.Clock.Advance(100);
            b.Poller.Tick();
            Assert.Empty(b.F.Publisher.Messages);

            b.Pins.SetInput(4, false);
            b.Poller.Tick();
            b.F.Clock.Advance(49);
            b.Poller.Tick();
            Assert.Empty(b.F.Publisher.Messages);
            b.F.Clock.Advance(1);
            b.Poller.Tick();
            Assert.Equal(new[]
            {
                "event/property/post {\"Door\":{\"value\":1}},\"method\":\"thing.event.property.post\"}",
                "event/DoorChanged/post {\"value\":{\"Door\":1}},\"method\":\"thing.event.DoorChanged.post\"}",
            }, b.Posts());
        }

        [Fact]
        public void Adc_posts_on_change_and_respects_the_deadband_and_period()
        {
            var b = new Board_();
            b.Poller.Tick();
            b.F.Publisher.Clear();

            b.Pins.SetAnalog(6, 704); // 20.4: inside the 0.5 deadband
            b.F.Clock.Advance(1000);
            b.Poller.Tick();
            Assert.Empty(b.F.Publisher.Messages);

            b.Pins.SetAnalog(6, 705); // 20.5: moved by the deadband, but the period has not elapsed
            b.F.Clock.Advance(500);
            b.Poller.Tick();
            Assert.Empty(b.F.Publisher.Messages);
            b.F.Clock.Advance(500);
            b.Poller.Tick();
            Assert.Equal(new[] { "event/property/post {\"Temp2\":{\"value\":20.5}},\"method\":\"thing.event.property.post\"}" }, b.Posts());

            // Unchanged values are never posted again; the deadband is measured from the last posted value.
            b.F.Publisher.Clear();
            b.F.Clock.Advance(1000);
            b.Poller.Tick();
            b.Pins.SetAnalog(6, 701); // 20.1: 0.4 below 20.5
            b.F.Clock.Advance(1000);
            b.Poller.Tick();
            Assert.Empty(b.F.Publisher.Messages);
            b.Pins.SetAnalog(6, 600); // 10.0
            b.F.Clock.Advance(1000);
            b.Poller.Tick();
            Assert.Equal(new[] { "event/property/post {\"Temp2\":{\"value\":10.0}},\"method\":\"thing.event.property.post\"}" }, b.Posts());
        }

        [Fact]
        public void Output_property_drives_the_pin_and_reports_back()
        {
            var b = new Board_();
            b.Poller.Tick();
            b.F.Publisher.Clear();
            Assert.False(b.Pins.GetOutput(2));

            b.F.Send(b.F.Sys("thing/service/property/set"), "{\"id\":\"41\",\"params\":{\"Relay\":1}}");
            Assert.True(b.Pins.GetOutput(2));
            var m = b.F.Publisher.Messages;
            Assert.Equal("{\"id\":\"41\",\"code\":200,\"data\":{}}", m[0].Text);
            Assert.Equal("event/property/post {\"Relay\":{\"value\":1}},\"method\":\"thing.event.property.post\"}", b.Posts()[1]);

            // A relay that does not follow: 400, value unchanged, nothing posted.
            b.F.Publisher.Clear();
            b.Pins.SetStuck(2, true);
            b.F.Send(b.F.Sys("thing/service/property/set"), "{\"id\":\"42\",\"params\":{\"Relay\":0}}");
            Assert.Equal("{\"id\":\"42\",\"code\":400,\"data\":{},\"message\":\"property Relay: pin did not take the level\"}", Assert.Single(b.F.Publisher.Messages).Text);
            Assert.Equal(true, b.F.Model.GetValue("Relay"));

            // Inputs and ADC values cannot be set by the cloud.
            b.F.Publisher.Clear();
            b.F.Send(b.F.Sys("thing/service/property/set"), "{\"id\":\"43\",\"params\":{\"Door\":1}}");
            Assert.Equal("{\"id\":\"43\",\"code\":460,\"data\":{},\"message\":\"property Door: read-only\"}", Assert.Single(b.F.Publisher.Messages).Text);
        }

        [Fact]
        public void Poller_thread_runs_and_stops()
        {
            var f = new ThingFixture();
            var pins = new SimulatedPins();
            var poller = new SensorPoller(SensorConfigParser.Parse(Sensors("[{\"type\":\"digitalInput\",\"property\":\"B\",\"pin\":5,\"debounceMs\":0}]"), true), f.Model, f.Reporter, pins, new AliyunIot.HostPorts.Platform.SystemClock(), f.Log);
            poller.Start(5);
            try
            {
                SpinWait.SpinUntil(() => f.Publisher.Messages.Length >= 1, 5000);
                pins.SetInput(5, true);
                Assert.True(SpinWait.SpinUntil(() => f.Publisher.Messages.Length >= 2, 5000));
            }
            finally
            {
                poller.Stop();
            }

            Assert.Contains("\"B\":{\"value\":1", f.Publisher.Messages[1].Text);
        }
    }
}
