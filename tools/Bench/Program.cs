using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AliyunIot.Bench
{
    /// <summary>
    /// bench [all|post|shadow|budget|hash|sign|ota|components|latency|fleet] [--quick] [--fleet N] [--rate N] [--out DIR]: runs the sections, prints a table,
    /// writes DIR/results.md and DIR/results.json (default out/bench).
    /// </summary>
    public static class Program
    {
        /// <summary>Entry point.</summary>
        public static int Main(string[] args)
        {
            string section = "all";
            bool quick = false;
            int fleet = -1;
            int rate = 0;
            string outDir = Path.Combine("out", "bench");
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick": quick = true; break;
                    case "--fleet": fleet = int.Parse(args[++i]); break;
                    case "--rate": rate = int.Parse(args[++i]); break;
                    case "--out": outDir = args[++i]; break;
                    case "all": case "post": case "shadow": case "history": case "budget": case "hash": case "sign": case "ota": case "components": case "latency": case "fleet": section = args[i]; break;
                    default:
                        Console.Error.WriteLine("usage: bench [all|post|shadow|history|budget|hash|sign|ota|components|latency|fleet] [--quick] [--fleet N] [--rate N] [--out DIR]");
                        return 2;
                }
            }

            if (fleet < 0)
            {
                fleet = quick ? 100 : 1000;
            }

            string header = Describe(section, quick);
            Console.WriteLine(header);
            var results = new Results();
            bool Want(string s) => section == "all" || section == s;
            int failures = 0;
            void Section(string name, Action run)
            {
                if (!Want(name))
                {
                    return;
                }

                var sw = Stopwatch.StartNew();
                try
                {
                    run();
                }
                catch (Exception ex)
                {
                    failures++;
                    Console.Error.WriteLine($"[{name}] FAILED: {ex.GetType().Name}: {ex.Message}");
                    results.Add(name, "section failed: " + ex.GetType().Name, 0, "", ex.Message.Replace('|', '/'));
                }

                Console.WriteLine($"[{name}] {sw.Elapsed.TotalSeconds:0.0} s");
            }

            Section("post", () => ThingBench.Run(results, quick));
            Section("shadow", () => ShadowBench.Run(results, quick));
            Section("history", () => HistoryBench.Run(results, quick));
            Section("budget", () => BudgetBench.Run(results));
            Section("hash", () => HashBench.Run(results, quick));
            Section("sign", () => SignatureBench.Run(results, quick));
            Section("ota", () => OtaBench.Run(results, quick));
            Section("components", () => ComponentsBench.Run(results, quick));
            Section("latency", () => LatencyBench.Run(results, quick));
            Section("fleet", () => FleetBench.Run(results, fleet, rate));
            string path = results.Write(outDir, header);
            Console.WriteLine("results written to " + Path.GetFullPath(path) + " (and results.json)");
            return failures == 0 ? 0 : 1;
        }

        private static string Describe(string section, bool quick)
        {
            string cpu = "unknown";
            try
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            }
            catch (IOException)
            {
            }

            string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
            long ram = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            return $"date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; section {section}{(quick ? " (--quick)" : string.Empty)}; "
                + $"{Environment.ProcessorCount} cores, {cpu}, {ram / (1024 * 1024)} MiB available to .NET; "
                + $"{RuntimeInformation.OSDescription}; .NET {Environment.Version}; "
                + $"{(Debugger.IsAttached ? "DEBUGGER" : "no debugger")}; {BuildConfig()}; load average at start: {load}";
        }

        private static string BuildConfig()
        {
#if DEBUG
            return "DEBUG build (numbers not representative)";
#else
            return "Release build";
#endif
        }
    }
}
