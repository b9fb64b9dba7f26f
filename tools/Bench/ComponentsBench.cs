using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.HostPorts.Storage;
using AliyunIot.LogPost;
using AliyunIot.Ports;
using AliyunIot.RemoteConfig;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section "components": per-message allocation and time of the optional components on one thread (the budget
    /// rules of the board issue: a component's cost per message is measured). Log post: a line offered at the posted
    /// level (scrub + buffer), a line below the level, one thing.log.post of 8 lines. Remote config: thing.config.get,
    /// a push for the config already applied (parse + push_reply), a push refused for its size (parse + push_reply).
    /// Allocations with GC.GetAllocatedBytesForCurrentThread around the loop, divided by the iterations.
    /// </summary>
    public static class ComponentsBench
    {
        private const string Pk = "a1BenchProd";
        private const string Dn = "bench-dev";

        /// <summary>Runs the section.</summary>
        public static void Run(Results results, bool quick)
        {
            int iterations = quick ? 5_000 : 50_000;
            Console.WriteLine($"[components] log post and remote config: {iterations} iterations after warm-up");
            LogPost(results, iterations);
            RemoteConfig(results, iterations);
        }

        private static void LogPost(Results results, int iterations)
        {
            var clock = new BenchClock();
            var publisher = new RecordingPublisher();
            var poster = new LogPoster(new DeviceTopics(Pk, Dn), publisher, new AlinkIds(), clock, new NullLog(), new LogPostSettings { IntervalMs = 1000, MaxLines = 8, BufferBytes = 8192 });
            poster.Scrubber.AddSecret("Xk9sSecretValue123");
            poster.Apply(true, (int)LogLevel.Warning);
            var log = new CloudLog(new NullLog()) { Poster = poster };
            const string Line = "download interrupted at 40960 bytes (connection reset); retry in 2000 ms";

            void Cycle()
            {
                for (int i = 0; i < 8; i++)
                {
                    log.Write(LogLevel.Warning, "ota", Line);
                }

                clock.Advance(1000);
                poster.Tick();
            }

            WarmUp(Cycle);
            long captureBytes = 0, postBytes = 0, captureTicks = 0, postTicks = 0;
            int lines = 0, posts = 0;
            while (lines < iterations)
            {
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < 8; i++)
                {
                    log.Write(LogLevel.Warning, "ota", Line);
                }

                captureTicks += Stopwatch.GetTimestamp() - t0;
                captureBytes += GC.GetAllocatedBytesForCurrentThread() - a0;
                lines += 8;
                clock.Advance(1000);
                a0 = GC.GetAllocatedBytesForCurrentThread();
                t0 = Stopwatch.GetTimestamp();
                if (poster.Tick() != 8)
                {
                    throw new InvalidOperationException("the poster did not post the 8 lines");
                }

                postTicks += Stopwatch.GetTimestamp() - t0;
                postBytes += GC.GetAllocatedBytesForCurrentThread() - a0;
                posts++;
            }

            results.Add("components", "log line at the posted level (scrub + buffer): allocated", (double)captureBytes / lines, "B/line", $"{Line.Length}-char line");
            results.Add("components", "log line at the posted level: time", Us(captureTicks, lines), "us/line", $"{lines} lines");
            results.Add("components", "thing.log.post of 8 lines: allocated", (double)postBytes / posts, "B/post", $"payload {publisher.Last.Length} B");
            results.Add("components", "thing.log.post of 8 lines: time", Us(postTicks, posts), "us/post", $"{posts} posts");

            long a1 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++)
            {
                log.Write(LogLevel.Debug, "dispatch", Line);
            }

            results.Add("components", "log line below the level: allocated", (double)(GC.GetAllocatedBytesForCurrentThread() - a1) / iterations, "B/line", "filtered before scrubbing");
        }

        private static void RemoteConfig(Results results, int iterations)
        {
            string folder = Path.Combine(Path.GetTempPath(), "aliyun-bench-rconfig-" + Environment.ProcessId);
            Directory.CreateDirectory(folder);
            try
            {
                var publisher = new RecordingPublisher();
                var flash = new FileFlashStorage(folder);
                byte[] content = Encoding.UTF8.GetBytes("{\"TargetTemperature\":23.5}");
                string sign = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

                // The stored config the pushes below repeat (so they are answered without a download).
                var store = new RemoteConfigStore(flash);
                using (var file = store.CreateCandidate())
                {
                    file.Write(content, 0, content.Length);
                    file.Flush();
                }

                store.Commit(new RemoteConfigOffer { ConfigId = "c0ffee01", Size = content.Length, Sign = sign, Url = "https://x/y" });
                var agent = new RemoteConfigAgent(new DeviceTopics(Pk, Dn), publisher, new NoDownloads(), flash, new AcceptAll(), new BenchClock(), new NullLog(), new RemoteConfigSettings { MaxBytes = 1024 }, null, new AlinkIds());
                string topic = "/sys/" + Pk + "/" + Dn + "/thing/config/push";
                byte[] same = Encoding.UTF8.GetBytes("{\"id\":\"123456\",\"version\":\"1.0\",\"params\":{\"configId\":\"c0ffee01\",\"configSize\":26,\"getType\":\"file\",\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\",\"url\":\"https://iotx-config.oss-cn-shanghai.aliyuncs.com/c0ffee01.json?Expires=1502955804&OSSAccessKeyId=XXXXXXXXXXXX&Signature=XfgJu7P6DWWejstKJgXJEH0qAKU%3D\"},\"method\":\"thing.config.push\"}");
                byte[] oversize = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(same).Replace("\"configSize\":26", "\"configSize\":70000", StringComparison.Ordinal).Replace("c0ffee01", "c0ffee02", StringComparison.Ordinal));

                Measure(results, "thing.config.get request", iterations / 10, () => agent.RequestConfig(), publisher);
                Measure(results, "config push already applied (parse + push_reply)", iterations / 10, () => agent.Handle(topic, same), publisher);
                Measure(results, "config push refused for its size (parse + push_reply)", iterations / 10, () => agent.Handle(topic, oversize), publisher);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        private static void Measure(Results results, string name, int iterations, Action action, RecordingPublisher publisher)
        {
            WarmUp(action);
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                action();
            }

            long ticks = Stopwatch.GetTimestamp() - t0;
            long bytes = GC.GetAllocatedBytesForCurrentThread() - a0;
            results.Add("components", name + ": allocated", (double)bytes / iterations, "B/op", $"out {publisher.Last.Length} B");
            results.Add("components", name + ": time", Us(ticks, iterations), "us/op", $"{iterations} messages");
        }

        private static void WarmUp(Action action)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < 2000 || watch.ElapsedMilliseconds < 1000; i++)
            {
                action();
            }
        }

        private static double Us(long ticks, int count) => ticks * 1_000_000.0 / Stopwatch.Frequency / count;

        private sealed class NoDownloads : IHttpDownloader
        {
            public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink) =>
                throw new InvalidOperationException("the bench never downloads");
        }

        private sealed class AcceptAll : IRemoteConfigHandler
        {
            public string Apply(RemoteConfigFile file) => null;
        }
    }
}
