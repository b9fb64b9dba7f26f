using AliyunIot.Simulator.Fleet;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>A small fleet (each device its own identity) connects, and reconnects after a broker restart.</summary>
    public class FleetTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder("sim-fleet");

        public void Dispose()
        {
            _temp.Dispose();
        }

        [Fact]
        public void Twenty_devices_connect_and_all_reconnect_after_a_broker_restart()
        {
            var output = new StringWriter();
            var fleet = new FleetRunner(_temp.Path, 20, output, null);
            int exit = fleet.Run(restartBroker: true, TimeSpan.FromSeconds(120));
            Assert.True(exit == 0, output.ToString());
            Assert.Equal(20, fleet.ConnectTimesMs.Count);
            Assert.Equal(20, fleet.ReconnectTimesMs.Count);
            Assert.Contains("reconnect times (from the broker going down): n=20", output.ToString());
            Assert.True(fleet.ReconnectAttemptTimesMs.Count >= 20, "every device made at least one attempt: " + output);
            Assert.Contains("reconnect attempt times (from the broker going down", output.ToString());
        }

        [Fact]
        public void A_second_run_in_the_same_work_directory_starts_from_fresh_devices_and_connects()
        {
            // The first run's flash folders hold a device.json naming that run's broker port, which is gone now.
            Assert.Equal(0, new FleetRunner(_temp.Path, 3, new StringWriter(), null).Run(restartBroker: false, TimeSpan.FromSeconds(60)));

            var output = new StringWriter();
            var again = new FleetRunner(_temp.Path, 3, output, null);
            Assert.True(again.Run(restartBroker: false, TimeSpan.FromSeconds(60)) == 0, output.ToString());
            Assert.Equal(3, again.ConnectTimesMs.Count);
        }
    }
}
