using AliyunIot.Simulator.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>Runs alone, after every parallel test: a thousand devices occupy the machine's cores.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ThousandDeviceFleetCollection
    {
        /// <summary>The collection's name.</summary>
        public const string Name = "fleet of 1,000 (alone)";
    }

    /// <summary>
    /// Issue 7's acceptance: a fleet of 1,000 simulated devices in one process, each with its own identity and TLS
    /// session, all connect to the local cloud, and after a broker restart all reconnect; the histograms are printed.
    /// </summary>
    [Collection(ThousandDeviceFleetCollection.Name)]
    public sealed class ThousandDeviceFleetTests : IDisposable
    {
        private const int Devices = 1000;

        private readonly string _work = Path.Combine(FleetRunner.DefaultWorkRoot(), "sim-fleet-1000-" + Guid.NewGuid().ToString("N"));
        private readonly ITestOutputHelper _output;

        public ThousandDeviceFleetTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose()
        {
            if (Directory.Exists(_work))
            {
                Directory.Delete(_work, true);
            }
        }

        [FleetCapacityFact(Devices)]
        public void A_thousand_devices_all_connect_and_all_reconnect_after_a_broker_restart()
        {
            var output = new StringWriter();
            var fleet = new FleetRunner(_work, Devices, output, null);

            int exit = fleet.Run(restartBroker: true, TimeSpan.FromSeconds(300));
            _output.WriteLine(output.ToString());

            Assert.True(exit == 0, output.ToString());
            Assert.Equal(Devices, fleet.ConnectTimesMs.Count);
            Assert.Equal(Devices, fleet.ReconnectTimesMs.Count);
            Assert.True(fleet.ReconnectAttemptTimesMs.Count >= Devices, "every device attempted to reconnect at least once");
            Assert.Contains("reconnect times (from the broker going down): n=1000", output.ToString());
        }
    }
}
