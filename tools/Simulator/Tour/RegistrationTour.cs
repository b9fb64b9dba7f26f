using AliyunIot.Cloud.Platform;
using AliyunIot.Connection;
using AliyunIot.Simulator.Device;

namespace AliyunIot.Simulator.Tour
{
    /// <summary>
    /// The tour's dynamic registration without pre-registration: the product's switch goes on, a second simulated
    /// device gets a device.json holding only the ProductSecret, registers with regnwl (clientId + deviceToken
    /// persisted in its flash), logs in with connwl and shows up in the cloud's registry.
    /// </summary>
    internal static class RegistrationTour
    {
        /// <summary>Name of the device that registers itself.</summary>
        public const string DeviceName = "tour-nwl-01";

        /// <summary>Plays the registration; returns the step's summary or throws with what went wrong.</summary>
        public static string Play(LocalCloud cloud, string productKey, string work, TextWriter log, TimeSpan timeout)
        {
            cloud.AllowRegistrationWithoutPreRegistration(productKey, true);
            string config = cloud.WriteRegistrationConfig(productKey, DeviceName, "mqtt-nwl");
            using var device = new SimulatedDevice(
                new SimulatorOptions { FlashDirectory = Path.Combine(work, "flash-nwl"), ConfigFile = config, SamplePeriodMs = 0, LogWriter = log, LogPrefix = "nwl-device" },
                cloud.Registry.ModelOf(productKey));
            device.PowerOn();
            TourRunner.Expect(SimulatedDevice.WaitUntil(() => device.Status == ConnectionStatus.Connected, timeout), $"device status {device.Status}: {device.Session?.StatusReason}");
            TourRunner.Expect(cloud.WaitUntil(() => cloud.Registry.Find(productKey, DeviceName)?.DeviceToken == device.Config.DeviceToken, timeout), "the cloud did not record the registered device");
            return $"{productKey}/{DeviceName}: regnwl → clientId {device.Config.ClientId} + deviceToken (not shown) persisted, connwl login accepted";
        }
    }
}
