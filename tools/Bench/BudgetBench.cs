using System.Text;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Thing;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section budget: what the firmware costs against the board profiles (docs/board.md). Per portable assembly (the
    /// core and each component) the net10.0 Release DLL size and the .pe estimate, and per profile the free heap the
    /// two update tiers leave at the application's entry (<see cref="TierBudget"/>);
    /// allocation per downlink parse (post_reply envelope, property set end to end) and per property post with the
    /// core's JSON reader and writer; and each profile's buffer budget with its defaults. Host allocations are the
    /// firmware's own objects; the interpreter's object headers differ, so these are proxies, not device numbers.
    /// </summary>
    public static class BudgetBench
    {
        /// <summary>Runs the section.</summary>
        public static void Run(Results results)
        {
            Console.WriteLine("[budget] component sizes, allocation per message, profile budgets");
            TierBudget.Run(results);

            double reply = PerCall(ReplyParse(), 2000, 20000);
            results.AddTarget("budget", "downlink parse: post_reply envelope (id, code, message, method, version)", reply, "B/msg", "<= 512 B", reply <= 512, "JsonReader over the received bytes");

            (Action set, Action post) = ThingActions();
            double setBytes = PerCall(set, 2000, 20000);
            results.AddTarget("budget", "property set end to end (guard, parse, dispatch, 2 setters, reply)", setBytes, "B/msg", "<= 1024 B (issue 12)", setBytes <= 1024, "device before: 10,392 B (8,832 B in nanoFramework.Json)");
            double postBytes = PerCall(post, 500, 5000);
            results.Add("budget", "property post, 2 properties (with expiring the unanswered posts)", postBytes, "B/msg", "JsonWriter straight to UTF-8; section post measures the post alone");

            foreach (string name in new[] { BoardProfile.Esp32Wroom, BoardProfile.Esp32C3, BoardProfile.Esp32Wrover, BoardProfile.Esp32S3Psram })
            {
                BoardProfile p = BoardProfile.Find(name);
                long used = (2L * p.DefaultQueueBytes) + p.DefaultMaxPayloadBytes + p.DefaultOtaChunkBytes;
                results.AddTarget("budget", name + ": default buffers (queues + maxPayload + OTA chunk)", used, "B", "<= " + p.BufferBudgetBytes.ToString("N0") + " B", used <= p.BufferBudgetBytes,
                    $"heap ~{p.ManagedHeapBytes / 1024} KB, {p.TlsSessions} TLS session(s), a set costs {setBytes / p.ManagedHeapBytes * 100:0.00} % of the heap");
            }
        }

        private static double PerCall(Action action, int warmUp, int runs)
        {
            for (int i = 0; i < warmUp; i++)
            {
                action();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < runs; i++)
            {
                action();
            }

            return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / runs;
        }

        private static Action ReplyParse()
        {
            byte[] payload = Encoding.UTF8.GetBytes("{\"code\":200,\"data\":{},\"id\":\"123456\",\"message\":\"success\",\"method\":\"thing.event.property.post\",\"version\":\"1.0\"}");
            var envelope = new AlinkEnvelope();
            return () =>
            {
                if (envelope.Read(payload, payload.Length, 8) != null)
                {
                    throw new InvalidOperationException("the reply did not parse");
                }
            };
        }

        private static (Action Set, Action Post) ThingActions()
        {
            var topics = new DeviceTopics("a1BenchProd", "bench-dev");
            var publisher = new RecordingPublisher();
            var clock = new BenchClock();
            var model = new ThingModel();
            model.AddProperty(PropertyDefinition.Double("Target", 0, 100, 2, PropertyAccess.ReadWrite), (p, v) => null);
            model.AddProperty(PropertyDefinition.Int("FanSpeed", 0, 5, PropertyAccess.ReadWrite), (p, v) => null);
            model.SetValue("Target", 22.75);
            model.SetValue("FanSpeed", 4);
            var reporter = new ThingReporter(model, topics, publisher, new AlinkIds(), clock, new NullLog(), 4096, 10000, 8);
            var dispatcher = new ThingDispatcher(model, reporter, topics, publisher, new NullLog(), 4096);
            byte[] set = Encoding.UTF8.GetBytes("{\"id\":\"123456\",\"version\":\"1.0\",\"params\":{\"Target\":22.75,\"FanSpeed\":4},\"method\":\"thing.service.property.set\"}");
            string[] ids = { "Target", "FanSpeed" };
            int posts = 0;
            return (
                () => dispatcher.Handle(topics.PropertySet, set),
                () =>
                {
                    reporter.PostProperties(ids);

                    // Replies never come here: expire the pending posts now and then (PendingRequests holds 8).
                    if (++posts % 4 == 0)
                    {
                        clock.Advance(20_000);
                        reporter.Pending.ExpireDue();
                    }
                });
        }
    }
}
