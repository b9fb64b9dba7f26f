using System.Collections;
using System.Diagnostics;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.DeviceInfo;
using AliyunIot.Shadow;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section shadow: per-message allocation and time of the optional shadow and tag components on one thread
    /// (GC.GetAllocatedBytesForCurrentThread around the measured loop, divided by the iterations): a reported-state
    /// update written through the component's reused JsonWriter, a control push parsed (JsonTree), applied and
    /// acknowledged (two updates out), a success reply parsed, and a tag update with its reply. Inbound payloads are
    /// built before the measured loop (the transport hands the device bytes).
    /// </summary>
    public static class ShadowBench
    {
        /// <summary>Runs the section.</summary>
        public static void Run(Results results, bool quick)
        {
            int iterations = quick ? 20_000 : 100_000;
            Console.WriteLine($"[shadow] shadow and tags: {iterations} iterations after warm-up");
            var topics = new DeviceTopics("a1BenchProd", "bench-dev");
            var publisher = new RecordingPublisher();
            var shadow = new DeviceShadow(topics, publisher, new NullLog(), 16384, 0);
            var reported = new Hashtable { ["mode"] = "eco", ["temp"] = 21.5, ["fan"] = 3 };

            Measure(results, "shadow update (3 reported attributes)", iterations, () => shadow.UpdateReported(reported), () => publisher.Last.Length + " B out");

            var applied = new Hashtable { ["mode"] = "eco" };
            shadow.DesiredReceived = (desired, version) => applied;
            var controls = new byte[iterations][];
            int next = 0;
            Measure(results, "shadow control in, applied, acknowledged (2 updates out)", iterations,
                () => shadow.Handle(topics.ShadowGet, controls[next++ % iterations]),
                () => controls[0].Length + " B in",
                prepare: () =>
                {
                    // Each control newer than the versions the previous one's acknowledgement used.
                    long first = shadow.Version + 10;
                    for (int i = 0; i < iterations; i++)
                    {
                        controls[i] = Encoding.UTF8.GetBytes("{\"method\":\"control\",\"payload\":{\"status\":\"success\",\"state\":{\"reported\":{\"mode\":\"off\"},\"desired\":{\"mode\":\"eco\"}},\"metadata\":{\"desired\":{\"mode\":{\"timestamp\":1469564576}}}},\"version\":" + (first + (3L * i)) + ",\"timestamp\":1469564576}");
                    }

                    next = 0;
                });

            byte[] reply = Encoding.UTF8.GetBytes("{\"method\":\"reply\",\"payload\":{\"status\":\"success\",\"version\":5},\"timestamp\":1469564576}");
            Measure(results, "shadow reply parsed", iterations, () => shadow.Handle(topics.ShadowGet, reply), () => reply.Length + " B in");

            DeviceTags tags = null;
            string[] keys = { "model", "fw_version" };
            string[] values = { "ESP32-C3", "1.0.0" };
            var tagReplies = new byte[iterations + 1][];
            for (int i = 1; i <= iterations; i++)
            {
                tagReplies[i] = Encoding.UTF8.GetBytes("{\"code\":200,\"data\":{},\"id\":\"" + i + "\",\"message\":\"success\"}");
            }

            int id = 0;
            Measure(results, "tag update (2 tags) + its reply", iterations, () =>
            {
                tags.Update(keys, values);
                id = id == iterations ? 1 : id + 1;
                tags.Handle(topics.DeviceInfoUpdateReply, tagReplies[id]);
            }, () => publisher.Last.Length + " B out", prepare: () =>
            {
                // A fresh component per run: its ids start at 1 again, matching the pre-built replies.
                tags = new DeviceTags(topics, publisher, new AlinkIds(), new BenchClock(), new NullLog(), 16384, 10000);
                id = 0;
            });
        }

        private static void Measure(Results results, string name, int iterations, Action action, Func<string> note, Action prepare = null)
        {
            prepare?.Invoke();
            var warm = Stopwatch.StartNew();
            for (int i = 0; i < Math.Min(2000, iterations) && warm.ElapsedMilliseconds < 1000; i++)
            {
                action();
            }

            prepare?.Invoke();
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                action();
            }

            long ticks = Stopwatch.GetTimestamp() - t0;
            double perOp = (double)(GC.GetAllocatedBytesForCurrentThread() - a0) / iterations;
            double us = ticks * 1_000_000.0 / Stopwatch.Frequency / iterations;
            results.Add("shadow", name + ": allocated", Math.Round(perOp), "B/op", note());
            results.Add("shadow", name + ": time", us, "us/op", iterations + " ops");
            Console.WriteLine($"[shadow] {name}: {perOp:0} B/op, {us:0.00} us/op");
        }
    }
}
