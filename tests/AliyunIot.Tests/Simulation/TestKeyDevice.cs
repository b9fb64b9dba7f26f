using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Support;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>A simulated device of the demo product, at 1.0.0, trusting OTA images signed with the test key.</summary>
    internal static class TestKeyDevice
    {
        /// <summary>Registers <paramref name="deviceName"/> (unless it is) and powers on a simulated device with its config.</summary>
        public static SimulatedDevice PowerOn(LocalCloud cloud, CapturingLog log, string flashDirectory, string deviceName, out RegisteredDevice registered)
        {
            registered = cloud.Registry.Find(DeviceRegistry.DemoProductKey, deviceName) ?? cloud.Register(null, deviceName);
            log.Secret(registered.DeviceSecret);
            var device = new SimulatedDevice(
                new SimulatorOptions
                {
                    FlashDirectory = flashDirectory,
                    ConfigFile = registered.ConfigPath,
                    FactoryVersion = "1.0.0",
                    SamplePeriodMs = 0,
                    LogWriter = TextWriter.Null,
                    OtaPublicKeyFile = Path.Combine(AliyunIot.Tests.Ota.OtaTestKey.Folder, "test-only.pem"),
                },
                cloud.Registry.ModelOf(DeviceRegistry.DemoProductKey));
            device.PowerOn();
            return device;
        }
    }
}
