using System.Collections;
using AliyunIot.Config;
using AliyunIot.Ports;
using AliyunIot.Sensors;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The sensors section on the nanoCLR: every sensor type with its defaults, and the board's rules (flash pins,
    /// input-only pins, ADC2 while WiFi is on, a pin used twice) refused with the field's path.
    /// </summary>
    [TestClass]
    public class SensorConfigTests
    {
        [TestMethod]
        public void Every_sensor_type_is_read_with_its_defaults()
        {
            SensorDefinition[] sensors = Parse("[{\"type\":\"digitalInput\",\"property\":\"B\",\"pin\":5},{\"type\":\"adc\",\"property\":\"A\",\"channel\":0},{\"type\":\"digitalOutput\",\"property\":\"R\",\"pin\":2,\"initial\":true}]", true);
            Assert.AreEqual(3, sensors.Length, "three");
            Assert.IsTrue(sensors[0].Kind == SensorKind.DigitalInput, "input");
            Assert.IsTrue(sensors[0].Pull == PinPull.None, "no pull");
            Assert.AreEqual(50, sensors[0].DebounceMs, "debounce");
            Assert.IsNull(sensors[0].EventId, "no event");
            Assert.IsTrue(sensors[1].Kind == SensorKind.Adc, "adc");
            Assert.IsTrue(sensors[1].Scale == 1.0, "scale");
            Assert.AreEqual(1000, sensors[1].PeriodMs, "period");
            Assert.AreEqual(2, sensors[1].Decimals, "decimals");
            Assert.IsTrue(sensors[2].Initial, "initial level");
            Assert.AreEqual(0, SensorConfigParser.Parse(null, true).Length, "no section, no sensors");
        }

        [TestMethod]
        public void Board_rules_are_refused_with_the_field_path()
        {
            Expect("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":12}]", "sensors[0].channel: ADC2 channels (10-19) cannot be read while WiFi is on; use an ADC1 channel (0 = GPIO 36, 1 = GPIO 37, 2 = GPIO 38, 3 = GPIO 39, 4 = GPIO 32, 5 = GPIO 33, 6 = GPIO 34, 7 = GPIO 35)");
            Expect("[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":7}]", "sensors[0].pin: GPIO 6-11 belong to the flash chip");
            Expect("[{\"type\":\"digitalOutput\",\"property\":\"A\",\"pin\":35}]", "sensors[0].pin: GPIO 34-39 are input-only");
            Expect("[{\"type\":\"digitalInput\",\"property\":\"A\",\"pin\":4},{\"type\":\"digitalOutput\",\"property\":\"B\",\"pin\":4}]", "sensors[1].pin: GPIO 4 is used by another sensor");
        }

        [TestMethod]
        public void Bad_fields_are_refused_with_the_field_path()
        {
            Expect("[{\"type\":\"thermometer\",\"property\":\"A\"}]", "sensors[0].type: must be one of digitalInput, digitalOutput, adc");
            Expect("[42]", "sensors[0]: expected an object");
            Expect("[{\"type\":\"digitalInput\",\"property\":\"a b\",\"pin\":4}]", "sensors[0].property: must be a property identifier: letters, digits, '_' or ':' (up to 64)");
            Expect("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":0,\"periodMs\":10}]", "sensors[0].periodMs: must be 100..3600000");
            Expect("[{\"type\":\"digitalOutput\",\"property\":\"A\",\"pin\":\"2\"}]", "sensors[0].pin: expected an integer");
        }

        [TestMethod]
        public void Adc2_is_allowed_without_wifi()
        {
            Assert.AreEqual(12, Parse("[{\"type\":\"adc\",\"property\":\"A\",\"channel\":12}]", false)[0].Channel, "channel 12");
        }

        private static SensorDefinition[] Parse(string json, bool wifi)
        {
            return SensorConfigParser.Parse((ArrayList)new TinyJsonParser().Parse(json), wifi);
        }

        private static void Expect(string json, string message)
        {
            string actual = "(accepted)";
            try
            {
                Parse(json, true);
            }
            catch (ConfigException e)
            {
                actual = e.Message;
            }

            Assert.AreEqual(message, actual, json);
        }
    }
}
