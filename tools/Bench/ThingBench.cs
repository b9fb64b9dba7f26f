using System.Collections;
using System.Diagnostics;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Thing;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section a: per-message cost of the thing model on one thread. Allocations are counted with
    /// GC.GetAllocatedBytesForCurrentThread around the measured loop, divided by the iterations.
    /// JSON is parsed by the core's own reader (AliyunIot.Json.JsonReader), the code the device runs.
    /// </summary>
    public static class ThingBench
    {
        private const string Pk = "a1BenchProd";
        private const string Dn = "bench-dev";

        /// <summary>Runs the section.</summary>
        public static void Run(Results results, bool quick)
        {
            int iterations = quick ? 20_000 : 200_000;
            Console.WriteLine($"[post] thing model: {iterations} iterations after warm-up (JSON parser: the core's JsonReader, as on the device)");

            var clock = new BenchClock();
            var topics = new DeviceTopics(Pk, Dn);
            var publisher = new RecordingPublisher();
            var log = new NullLog();
            var model = new ThingModel();
            model.AddProperty(PropertyDefinition.Float("Temperature", -40, 120, 1, PropertyAccess.ReadOnly));
            model.AddProperty(PropertyDefinition.Double("Humidity", 0, 100, 1, PropertyAccess.ReadOnly));
            model.AddProperty(PropertyDefinition.Int("Co2", 0, 10000, PropertyAccess.ReadOnly));
            int setCalls = 0;
            model.AddProperty(PropertyDefinition.Double("Target", 0, 100, 2, PropertyAccess.ReadWrite), (p, v) => { setCalls++; return null; });
            model.AddProperty(PropertyDefinition.Int("FanSpeed", 0, 5, PropertyAccess.ReadWrite), (p, v) => { setCalls++; return null; });
            model.SetValue("Temperature", 23.4);
            model.SetValue("Humidity", 56.7);
            model.SetValue("Co2", 612);
            model.SetValue("Target", 21.5);
            model.SetValue("FanSpeed", 3);
            var reporter = new ThingReporter(model, topics, publisher, new AlinkIds(), clock, log, 16384, 10000, 8);
            var dispatcher = new ThingDispatcher(model, reporter, topics, publisher, log, 16384);
            string[] ids = { "Temperature", "Humidity", "Co2", "Target", "FanSpeed" };

            // --- property post of 5 numeric properties ---
            // PendingRequests tracks 32 posts; measure in batches of 25 and expire them (unmeasured) in between so
            // the measurement is the steady state of a device whose replies arrive, not the eviction path.
            const int Batch = 25;
            void PostBatch()
            {
                for (int i = 0; i < Batch; i++)
                {
                    reporter.PostProperties(ids);
                }
            }

            void Expire()
            {
                clock.Advance(20_000);
                reporter.Pending.ExpireDue();
            }

            // Warm-up: at least 2,000 calls AND one second, so tiered JIT has promoted the hot paths (matters on a loaded machine).
            WarmUp(() =>
            {
                PostBatch();
                Expire();
            });

            string samplePost = Encoding.UTF8.GetString(publisher.Last);
            long bytes = 0;
            long ticks = 0;
            int posts = 0;
            while (posts < iterations)
            {
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                PostBatch();
                ticks += Stopwatch.GetTimestamp() - t0;
                bytes += GC.GetAllocatedBytesForCurrentThread() - a0;
                posts += Batch;
                Expire();
            }

            double postBytes = (double)bytes / posts;
            results.AddTarget("post", "property post, 5 numeric properties: allocated", postBytes, "B/op", "<= 512 B", postBytes <= 512, $"payload {publisher.Last.Length} B");
            results.Add("post", "property post, 5 numeric properties: time", Us(ticks, posts), "us/op", $"{posts} posts");
            Console.WriteLine("    sample post: " + samplePost);

            // --- property set round trip: parse, validate, dispatch, reply encode ---
            byte[] setPayload = Encoding.UTF8.GetBytes("{\"id\":\"123456\",\"version\":\"1.0\",\"params\":{\"Target\":22.75,\"FanSpeed\":4},\"method\":\"thing.service.property.set\"}");
            string setTopic = topics.PropertySet;
            WarmUp(() => dispatcher.Handle(setTopic, setPayload));

            if (publisher.LastTopic != topics.PropertySetReply)
            {
                throw new InvalidOperationException("property set did not produce a set_reply but " + publisher.LastTopic);
            }

            string sampleReply = Encoding.UTF8.GetString(publisher.Last);
            long a1 = GC.GetAllocatedBytesForCurrentThread();
            long t1 = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                dispatcher.Handle(setTopic, setPayload);
            }

            long setTicks = Stopwatch.GetTimestamp() - t1;
            double setBytes = (double)(GC.GetAllocatedBytesForCurrentThread() - a1) / iterations;
            results.AddTarget("post", "property set round trip (2 props): allocated", setBytes, "B/op", "<= 2048 B", setBytes <= 2048, $"set {setPayload.Length} B -> reply {publisher.Last.Length} B");
            results.Add("post", "property set round trip (2 props): time", Us(setTicks, iterations), "us/op", $"{iterations} sets");
            Console.WriteLine("    sample set_reply: " + sampleReply);

            // --- reply parse (what the device does with each post_reply) ---
            byte[] replyPayload = Encoding.UTF8.GetBytes("{\"code\":200,\"data\":{},\"id\":\"123456\",\"message\":\"success\",\"method\":\"thing.event.property.post\",\"version\":\"1.0\"}");
            int codeSum = 0;
            WarmUp(() => codeSum += ParseReply(replyPayload).Code);

            long a2 = GC.GetAllocatedBytesForCurrentThread();
            long t2 = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                codeSum += ParseReply(replyPayload).Code;
            }

            long replyTicks = Stopwatch.GetTimestamp() - t2;
            double replyBytes = (double)(GC.GetAllocatedBytesForCurrentThread() - a2) / iterations;
            results.Add("post", "reply parse (bytes -> JsonReader -> AlinkReply): allocated", replyBytes, "B/op", $"reply {replyPayload.Length} B");
            results.Add("post", "reply parse: time", Us(replyTicks, iterations), "us/op", $"{iterations} replies");
            GC.KeepAlive(codeSum + setCalls);
        }

        private static void WarmUp(Action action)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 2000 || sw.ElapsedMilliseconds < 1000; i++)
            {
                action();
            }
        }

        private static AlinkReply ParseReply(byte[] payload)
        {
            return AlinkReply.Read(payload, out _);
        }

        private static double Us(long ticks, int count) => ticks * 1_000_000.0 / Stopwatch.Frequency / count;
    }
}
