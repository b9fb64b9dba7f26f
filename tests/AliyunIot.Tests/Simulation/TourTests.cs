using AliyunIot.Simulator.Tour;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>The scripted tour (what tools/demo.sh plays) runs green in-process; the corrupt tour ends in −3.</summary>
    public class TourTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder("sim-tour");

        public void Dispose()
        {
            _temp.Dispose();
        }

        [Fact]
        public void The_tour_passes_every_step_and_ends_on_the_new_version()
        {
            var output = new StringWriter();
            var tour = new TourRunner(_temp.Path, corrupt: false, output, null);
            int exit = tour.Run();
            Assert.True(exit == 0, output.ToString());
            Assert.Null(tour.Timeline.FailedStep);
            Assert.Equal(TourRunner.NewVersion, tour.FinalVersion);
            Assert.Equal(100, tour.FinalOtaStep);
            string text = output.ToString();
            foreach (string step in new[] { "connect", "property post", "event post", "property set", "async service", "RRPC (sys)", "RRPC (ext)", "shadow report", "shadow desired", "stale desired", "tags", "device log on", "remote config push", "device log post", "history after outage", "register without pre-registration", "OTA download", "reboot", "confirm", "shadow after reboot", "shutdown" })
            {
                Assert.Contains("✓ " + step, text);
            }

            Assert.Contains("] 100 %", text);
        }

        [Fact]
        public void The_corrupt_tour_ends_in_minus_3_with_the_old_version_still_running()
        {
            var output = new StringWriter();
            var tour = new TourRunner(_temp.Path, corrupt: true, output, null);
            int exit = tour.Run();
            Assert.True(exit == 0, output.ToString());
            Assert.Equal(-3, tour.FinalOtaStep);
            Assert.Equal(TourRunner.OldVersion, tour.FinalVersion);
            Assert.Contains("✓ old version kept", output.ToString());
        }
    }
}
