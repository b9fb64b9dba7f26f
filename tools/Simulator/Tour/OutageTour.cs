using AliyunIot.Cloud.Platform;
using AliyunIot.Connection;
using AliyunIot.Simulator.Device;

namespace AliyunIot.Simulator.Tour
{
    /// <summary>
    /// The tour's outage: the device loses its network (the broker and the cloud stay up), keeps sampling (readings
    /// buffered with their times), gets its network back and the readings arrive as a
    /// <c>thing.event.property.history.post</c> answered 200.
    /// </summary>
    internal static class OutageTour
    {
        /// <summary>Samples taken while the broker is down.</summary>
        public const int Samples = 3;

        /// <summary>Plays the outage; returns the step's summary or throws with what went wrong.</summary>
        public static string Play(LocalCloud cloud, SimulatedDevice device, string productKey, string deviceName, TimeSpan timeout)
        {
            DeviceState state = cloud.State(productKey, deviceName);
            long before = state.HistoryReadings;
            device.Network.Up = false;
            TourRunner.Expect(SimulatedDevice.WaitUntil(() => !device.Reporter.Online, timeout), $"the device did not notice the outage ({device.Status})");
            for (int i = 0; i < Samples; i++)
            {
                TourRunner.Expect(device.SampleNow() == null, "the reporter refused a sample during the outage");
                Thread.Sleep(300);
            }

            int buffered = device.Reporter.BufferedReadings;
            TourRunner.Expect(buffered >= Samples, $"only {buffered} readings buffered during the outage");
            device.Network.Up = true;
            TourRunner.Expect(SimulatedDevice.WaitUntil(() => device.Status == ConnectionStatus.Connected, timeout), $"device status {device.Status} after the outage");
            TourRunner.Expect(cloud.WaitUntil(() => state.HistoryReadings - before >= buffered, timeout), $"the cloud got {state.HistoryReadings - before} of {buffered} buffered readings");
            TourRunner.Expect(SimulatedDevice.WaitUntil(() => device.Reporter.BufferedReadings == 0 && device.Reporter.LastReplyCode == 200, timeout), $"history post_reply {device.Reporter.LastReplyCode}");
            var history = state.History();
            var first = history[history.Count - buffered];
            var last = history[history.Count - 1];
            return $"network down, {buffered} readings buffered → history post after reconnect, post_reply 200, "
                + $"times kept ({DateTimeOffset.FromUnixTimeMilliseconds(first.TimeMs):HH:mm:ss.fff}…{DateTimeOffset.FromUnixTimeMilliseconds(last.TimeMs):HH:mm:ss.fff}), "
                + $"{device.Reporter.DroppedReadings} dropped";
        }
    }
}
