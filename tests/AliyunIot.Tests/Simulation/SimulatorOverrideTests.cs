using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Connection;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>The simulated device takes its broker and CA from the command line, so it can be pointed anywhere.</summary>
    public class SimulatorOverrideTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder("sim-override");
        private readonly CapturingLog _log = new CapturingLog();

        public void Dispose()
        {
            _log.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void A_config_pointing_elsewhere_connects_with_host_port_and_ca_overrides()
        {
            using LocalCloud cloud = CloudHosting.Start(Path.Combine(_temp.Path, "cloud"), _log);
            RegisteredDevice device = cloud.Register(null, "override-01");
            _log.Secret(device.DeviceSecret);

            // The same identity, but the file names an endpoint and a CA that do not exist here.
            JsonNode config = JsonNode.Parse(File.ReadAllText(device.ConfigPath));
            config["endpoint"] = new JsonObject { ["host"] = "iot-nowhere.invalid", ["port"] = 8883 };
            config["caCertificatesFile"] = Path.Combine(_temp.Path, "missing-ca.pem");
            string foreign = Path.Combine(_temp.Path, "foreign.json");
            File.WriteAllText(foreign, config.ToJsonString());

            var output = new StringWriter();
            using var simulated = new SimulatedDevice(
                new SimulatorOptions
                {
                    FlashDirectory = Path.Combine(_temp.Path, "flash"),
                    ConfigFile = foreign,
                    Host = cloud.Broker.Host,
                    Port = cloud.Broker.TlsPort,
                    CaFile = cloud.CaCertificatePath,
                    SamplePeriodMs = 0,
                    LogWriter = output,
                },
                cloud.Registry.ModelOf(device.ProductKey));
            simulated.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => simulated.Status == ConnectionStatus.Connected, TimeSpan.FromSeconds(20)), output.ToString());
            Assert.Equal(cloud.Broker.Host, simulated.Config.Host);
            Assert.Equal(cloud.Broker.TlsPort, simulated.Config.Port);
            Assert.True(simulated.Config.UseTls);
            Assert.True(cloud.WaitUntil(() => cloud.State(device.ProductKey, device.DeviceName).FirmwareVersion == "1.0.0", TimeSpan.FromSeconds(10)));
            SecretAssert.NotIn(device.DeviceSecret, output.ToString(), "the simulator output");
        }

        [Fact]
        public void A_wrong_ca_is_refused_by_tls()
        {
            using LocalCloud cloud = CloudHosting.Start(Path.Combine(_temp.Path, "cloud"), _log);
            RegisteredDevice device = cloud.Register(null, "override-02");
            _log.Secret(device.DeviceSecret);
            using var otherCa = new AliyunIot.TestBroker.TestCa("Some other CA");
            string wrongCa = Path.Combine(_temp.Path, "wrong-ca.pem");
            File.WriteAllText(wrongCa, otherCa.CertificatePem);
            var output = new StringWriter();
            using var simulated = new SimulatedDevice(
                new SimulatorOptions { FlashDirectory = Path.Combine(_temp.Path, "flash2"), ConfigFile = device.ConfigPath, CaFile = wrongCa, SamplePeriodMs = 0, LogWriter = output },
                cloud.Registry.ModelOf(device.ProductKey));
            simulated.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => simulated.Status == ConnectionStatus.TlsFailed, TimeSpan.FromSeconds(20)), $"status {simulated.Status}: {output}");
        }
    }
}
