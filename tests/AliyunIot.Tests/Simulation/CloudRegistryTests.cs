using System.Text.Json.Nodes;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>The cloud's registry keeps triples across restarts and writes configs the device can read.</summary>
    public class CloudRegistryTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder("sim-registry");

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void Registration_is_idempotent_and_survives_a_restart()
        {
            var registry = new DeviceRegistry(_temp.Path);
            registry.AddProduct(DeviceRegistry.DemoProductKey, ThingModelDefinition.LoadDemo());
            RegisteredDevice first = registry.Register(DeviceRegistry.DemoProductKey, "lamp-001");
            Assert.Same(first, registry.Register(DeviceRegistry.DemoProductKey, "lamp-001"));
            Assert.Matches("^[0-9a-f]{32}$", first.DeviceSecret);

            var reopened = new DeviceRegistry(_temp.Path);
            Assert.Equal(first.DeviceSecret, reopened.Find(DeviceRegistry.DemoProductKey, "lamp-001").DeviceSecret);
            Assert.NotNull(reopened.ModelOf(DeviceRegistry.DemoProductKey).FindProperty("Temperature"));
            SecretAssert.NotIn(first.DeviceSecret, first.ToString(), "first.ToString()");
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("has/slash")]
        [InlineData("plus+")]
        [InlineData("hash#")]
        [InlineData("..")]
        [InlineData("0123456789012345678901234567890123")]
        public void Refuses_names_the_platform_refuses(string name)
        {
            var registry = new DeviceRegistry(_temp.Path);
            registry.AddProduct(DeviceRegistry.DemoProductKey, ThingModelDefinition.LoadDemo());
            Assert.Throws<ArgumentException>(() => registry.Register(DeviceRegistry.DemoProductKey, name));
        }

        [Fact]
        public void Written_config_points_at_the_broker_and_its_ca()
        {
            var device = new RegisteredDevice { ProductKey = "a1SimLamp01", DeviceName = "lamp-002", DeviceSecret = "00112233445566778899aabbccddeeff" };
            string path = DeviceConfigWriter.Write(_temp.Path, _temp.Path, device, "127.0.0.1", 18883, "/tmp/ca.pem", new JsonObject { ["ota"] = new JsonObject { ["confirmWithinBoots"] = 3 } });
            JsonNode config = JsonNode.Parse(File.ReadAllText(path));
            Assert.Equal("a1SimLamp01", (string)config["productKey"]);
            Assert.Equal("lamp-002", (string)config["deviceName"]);
            Assert.Equal("00112233445566778899aabbccddeeff", (string)config["deviceSecret"]);
            Assert.Equal("127.0.0.1", (string)config["endpoint"]["host"]);
            Assert.Equal(18883, (int)config["endpoint"]["port"]);
            Assert.Equal("tls", (string)config["secureMode"]);
            Assert.Equal("/tmp/ca.pem", (string)config["caCertificatesFile"]);
            Assert.Equal(3, (int)config["ota"]["confirmWithinBoots"]);
        }
    }
}
