using AliyunIot.Simulator.Fleet;
using AliyunIot.Simulator.Tour;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>The numbers fleet mode prints: percentiles and the reconnect histogram.</summary>
    public class FleetStatisticsTests
    {
        [Fact]
        public void Percentiles_use_the_nearest_rank()
        {
            var d = new Distribution(Enumerable.Range(1, 100).Select(i => (double)i));
            Assert.Equal(1, d.Min);
            Assert.Equal(50, d.Percentile(50));
            Assert.Equal(90, d.Percentile(90));
            Assert.Equal(99, d.Percentile(99));
            Assert.Equal(100, d.Max);
            Assert.Equal("n=100 min=1 p50=50 p90=90 p99=99 max=100 ms", d.ToString());
        }

        [Fact]
        public void Listen_overflows_are_read_from_netstats_paired_lines()
        {
            string[] netstat =
            {
                "TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops",
                "TcpExt: 0 0 618 620",
                "IpExt: InNoRoutes ListenOverflows",
                "IpExt: 0 7",
            };

            Assert.Equal(618, ListenQueueCounters.Parse(netstat, "TcpExt:", "ListenOverflows"));
            Assert.Equal(620, ListenQueueCounters.Parse(netstat, "TcpExt:", "ListenDrops"));
            Assert.Equal(-1, ListenQueueCounters.Parse(netstat, "TcpExt:", "NoSuchCounter"));
            Assert.Equal(-1, ListenQueueCounters.Parse(new[] { "TcpExt: ListenOverflows" }, "TcpExt:", "ListenOverflows"));
        }

        [Fact]
        public void Histogram_shows_a_storm_as_one_bucket_and_a_spread_as_many()
        {
            var storm = new Histogram(Enumerable.Repeat(300.0, 50), 1000);
            Assert.Equal(1.0, storm.LargestBucketShare);
            Assert.Equal(1, storm.OccupiedBuckets);

            var spread = new Histogram(Enumerable.Range(0, 50).Select(i => i * 100.0), 1000);
            Assert.Equal(new[] { 10, 10, 10, 10, 10 }, spread.Counts);
            Assert.Equal(
                "   0.0-  1.0 s |██████████ 10" + Environment.NewLine +
                "   1.0-  2.0 s |██████████ 10" + Environment.NewLine,
                string.Concat(spread.Render(10).Split(Environment.NewLine).Take(2).Select(l => l + Environment.NewLine)));
        }

        [Fact]
        public void Progress_bar_is_clamped_and_proportional()
        {
            Assert.Equal("[█████░░░░░]  50 %", ProgressBar.Render(50, 10));
            Assert.Equal("[██████████] 100 %", ProgressBar.Render(140, 10));
            Assert.Equal("[░░░░░░░░░░]   0 %", ProgressBar.Render(-3, 10));
        }

        [Fact]
        public void Timeline_names_the_first_failing_step_and_skips_the_rest()
        {
            var output = new StringWriter();
            var timeline = new Timeline(output);
            Assert.True(timeline.Step("connect", () => "connected"));
            Assert.False(timeline.Step("rrpc", () => throw new InvalidOperationException("no answer within 8 s")));
            Assert.False(timeline.Step("ota", () => "never runs"));
            Assert.Equal("rrpc", timeline.FailedStep);
            Assert.Equal("no answer within 8 s", timeline.FailureReason);
            Assert.Equal(1, timeline.Passed);
            Assert.Contains("✗ rrpc", output.ToString());
            Assert.Contains("· ota", output.ToString());
            Assert.DoesNotContain("never runs", output.ToString());
        }
    }
}
