using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// The simulated device runs device.json's <c>sensors</c> section as the ESP32 does (same parser, same poller),
    /// over simulated pins: an ADC reading and a digital input reach the cloud, a cloud property set drives a
    /// digital output, and a sensor the ESP32 would refuse is refused here too.
    /// </summary>
    public sealed class SimulatorSensorTests : IDisposable
    {
        private const string ProductKey = "a1SensorBox";

        // The example product and sensors the docs use (tools/Simulator/Examples), so they stay valid.
        private static readonly string Examples = Path.Combine(AliyunIot.Tests.Guard.GuardHarness.RepositoryRoot, "tools", "Simulator", "Examples");
        private static readonly string Tsl = File.ReadAllText(Path.Combine(Examples, "sensor-box.tsl.json"));
        private static readonly string Sensors = File.ReadAllText(Path.Combine(Examples, "sensor-box.sensors.json"));

        private readonly TempFolder _temp = new TempFolder("sim-sensors");
        private readonly CapturingLog _log = new CapturingLog();

        public void Dispose()
        {
            _log.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void Sensors_from_device_json_post_to_the_cloud_and_a_cloud_set_drives_the_output_pin()
        {
            using LocalCloud cloud = CloudHosting.Start(Path.Combine(_temp.Path, "cloud"), _log);
            cloud.Registry.AddProduct(ProductKey, ThingModelDefinition.Parse(Tsl));
            RegisteredDevice device = cloud.Register(ProductKey, "box-01", extraSections: new JsonObject { ["sensors"] = JsonNode.Parse(Sensors) });
            _log.Secret(device.DeviceSecret);
            DeviceState state = cloud.State(ProductKey, "box-01");

            var output = new StringWriter();
            using var simulated = new SimulatedDevice(
                new SimulatorOptions { FlashDirectory = Path.Combine(_temp.Path, "flash"), ConfigFile = device.ConfigPath, SamplePeriodMs = 0, SensorTickMs = 20, LogWriter = output },
                cloud.Registry.ModelOf(ProductKey));
            simulated.Pins.SetAnalog(6, 1650);
            simulated.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => simulated.Status == ConnectionStatus.Connected, TimeSpan.FromSeconds(20)), output.ToString());

            // First readings: 1650 raw × 0.001 = 1.65 V; the door input rests high (pull-up), inverted: closed.
            Assert.True(cloud.WaitUntil(() => Volts(state) == 1.65, TimeSpan.FromSeconds(10)), "Voltage: " + state.Property("Voltage") + "\n" + output);
            Assert.True(cloud.WaitUntil(() => state.Property("DoorOpen")?.ToJsonString() == "0", TimeSpan.FromSeconds(10)), "DoorOpen: " + state.Property("DoorOpen"));

            // The contact opens (input pulled low): property and event reach the cloud.
            simulated.Pins.SetInput(4, false);
            Assert.True(cloud.WaitUntil(() => state.Property("DoorOpen")?.ToJsonString() == "1", TimeSpan.FromSeconds(10)), "DoorOpen: " + state.Property("DoorOpen"));
            Assert.True(cloud.WaitUntil(() => state.EventCount("DoorChanged") == 1, TimeSpan.FromSeconds(10)));

            // A new ADC reading is posted on the next period, with the three decimals of the TSL's step.
            simulated.Pins.SetAnalog(6, 1234);
            Assert.True(cloud.WaitUntil(() => Volts(state) == 1.234, TimeSpan.FromSeconds(10)), "Voltage: " + state.Property("Voltage"));

            // The cloud switches the relay: the output pin follows and the reply is 200.
            Assert.False(simulated.Pins.GetOutput(2));
            CommandResult set = cloud.SetProperties(ProductKey, "box-01", new JsonObject { ["PowerSwitch"] = 1 });
            Assert.True(set.Succeeded, set.Code + " " + set.Message);
            Assert.True(simulated.Pins.GetOutput(2));
            Assert.Equal(0, state.PostsRefused);
            SecretAssert.NotIn(device.DeviceSecret, output.ToString(), "the simulator output");
        }

        private static double Volts(DeviceState state) => state.Property("Voltage") is JsonNode v ? v.GetValue<double>() : double.NaN;

        [Fact]
        public void An_adc2_channel_is_refused_as_on_the_esp32_because_wifi_is_in_use()
        {
            using LocalCloud cloud = CloudHosting.Start(Path.Combine(_temp.Path, "cloud"), _log);
            cloud.Registry.AddProduct(ProductKey, ThingModelDefinition.Parse(Tsl));
            var adc2 = JsonNode.Parse("""[ { "type": "adc", "property": "Voltage", "channel": 12 } ]""");
            RegisteredDevice device = cloud.Register(ProductKey, "box-02", extraSections: new JsonObject { ["sensors"] = adc2 });
            _log.Secret(device.DeviceSecret);

            using var simulated = new SimulatedDevice(
                new SimulatorOptions { FlashDirectory = Path.Combine(_temp.Path, "flash2"), ConfigFile = device.ConfigPath, SamplePeriodMs = 0, LogWriter = new StringWriter() },
                cloud.Registry.ModelOf(ProductKey));
            var refused = Assert.Throws<ConfigException>(() => simulated.PowerOn());
            Assert.Contains("sensors", refused.Message);
            SecretAssert.NotIn(device.DeviceSecret, refused.Message, "the error message");
        }
    }
}
