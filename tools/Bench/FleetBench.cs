using System.Diagnostics;
using AliyunIot.Simulator.Fleet;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section e: the Simulator's fleet mode (FleetRunner: local cloud, one identity per device, every device a full
    /// SimulatedDevice over TLS) — time for the fleet to connect, and the reconnect spread after a broker restart.
    /// </summary>
    public static class FleetBench
    {
        /// <summary>Runs the section with <paramref name="count"/> devices, powered on at <paramref name="rate"/> per second (0: all at once).</summary>
        public static void Run(Results results, int count, int rate)
        {
            Console.WriteLine($"[fleet] {count} simulated devices (tools/Simulator FleetRunner), " + (rate > 0 ? $"powered on at {rate}/s" : "all powered on at once"));
            string work = Path.Combine(FleetRunner.DefaultWorkRoot(), "aliyuniot-bench-fleet-" + Guid.NewGuid().ToString("N"));
            try
            {
                var output = new StringWriter();
                var fleet = new FleetRunner(work, count, output, null) { PowerOnPerSecond = rate };
                var sw = Stopwatch.StartNew();
                int exit = fleet.Run(restartBroker: true, TimeSpan.FromSeconds(Math.Max(120, count * 0.6)));
                double total = sw.Elapsed.TotalSeconds;
                Console.Write(Indent(output.ToString()));
                string ok = exit == 0 ? "all connected and reconnected" : "NOT all devices made it (see output)";
                Report(results, "connect (from power-on)", fleet.ConnectTimesMs, $"{fleet.ConnectTimesMs.Count} of {count} devices");
                Report(results, "reconnect attempts after broker restart (from broker going down)", fleet.ReconnectAttemptTimesMs, $"{fleet.ReconnectAttemptTimesMs.Count} attempts by {count} devices");
                Report(results, "reconnect after broker restart (from broker going down)", fleet.ReconnectTimesMs, $"{fleet.ReconnectTimesMs.Count} of {count} devices");
                results.Add("fleet", "whole fleet run (register, connect, restart, reconnect, power off)", total, "s", ok);
            }
            finally
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, true);
                }
            }
        }

        private static void Report(Results results, string what, IReadOnlyList<double> times, string n)
        {
            var distribution = new Distribution(times);
            results.Add("fleet", what + ": all done (max)", distribution.Max / 1000.0, "s", n);
            results.Add("fleet", what + ": p50", distribution.Percentile(50) / 1000.0, "s");
            results.Add("fleet", what + ": p99", distribution.Percentile(99) / 1000.0, "s");
            results.Add("fleet", what + ": spread (max - min)", (distribution.Max - distribution.Min) / 1000.0, "s");
        }

        private static string Indent(string text) =>
            string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => "    " + l.TrimEnd('\r') + "\n"));
    }
}
