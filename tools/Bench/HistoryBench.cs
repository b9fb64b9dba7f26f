using System.Diagnostics;
using AliyunIot.Alink;
using AliyunIot.Thing;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section history: what readings taken offline cost on one thread — keeping a reading in the reporter's buffer
    /// while offline, and writing the history posts (<c>thing.event.property.history.post</c>) that deliver them
    /// when the device is online again. Allocations by GC.GetAllocatedBytesForCurrentThread around the measured
    /// loop; numbers are printed, nothing is asserted.
    /// </summary>
    public static class HistoryBench
    {
        private const int SamplesPerOutage = 39; // 5 properties each: 195 readings, one history post (limit 199)

        /// <summary>Runs the section.</summary>
        public static void Run(Results results, bool quick)
        {
            int outages = quick ? 200 : 2000;
            Console.WriteLine($"[history] {outages} outages of {SamplesPerOutage} samples × 5 properties after warm-up");
            var clock = new BenchClock();
            var publisher = new RecordingPublisher();
            var model = new ThingModel();
            string[] ids = { "Temperature", "Humidity", "Co2", "Target", "FanSpeed" };
            model.AddProperty(PropertyDefinition.Float("Temperature", -40, 120, 1, PropertyAccess.ReadOnly));
            model.AddProperty(PropertyDefinition.Double("Humidity", 0, 100, 1, PropertyAccess.ReadOnly));
            model.AddProperty(PropertyDefinition.Int("Co2", 0, 10000, PropertyAccess.ReadOnly));
            model.AddProperty(PropertyDefinition.Double("Target", 0, 100, 2, PropertyAccess.ReadWrite));
            model.AddProperty(PropertyDefinition.Int("FanSpeed", 0, 5, PropertyAccess.ReadWrite));
            model.SetValue("Temperature", 23.4);
            model.SetValue("Humidity", 56.7);
            model.SetValue("Co2", 612);
            model.SetValue("Target", 21.5);
            model.SetValue("FanSpeed", 3);

            // maxPayloadBytes 16 KB and a buffer of 200 readings: the device.json defaults of a PSRAM board's limits.
            var reporter = new ThingReporter(model, new DeviceTopics("a1BenchProd", "bench-dev"), publisher, new AlinkIds(), clock, new NullLog(), 16384, 10000, 200);
            long keepBytes = 0, drainBytes = 0, keepTicks = 0, drainTicks = 0, readings = 0, posts = 0;
            for (int round = -outages / 10; round < outages; round++)
            {
                bool measured = round >= 0; // the first tenth warms up
                reporter.Online = false;
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                for (int s = 0; s < SamplesPerOutage; s++)
                {
                    reporter.PostProperties(ids);
                    clock.Advance(1000);
                }

                long t1 = Stopwatch.GetTimestamp();
                long a1 = GC.GetAllocatedBytesForCurrentThread();
                long before = publisher.Count;
                reporter.Online = true;
                long t2 = Stopwatch.GetTimestamp();
                long a2 = GC.GetAllocatedBytesForCurrentThread();
                clock.Advance(20_000);
                reporter.Pending.ExpireDue();
                if (reporter.BufferedReadings != 0 || reporter.DroppedReadings != 0)
                {
                    throw new InvalidOperationException($"history posts left {reporter.BufferedReadings} readings, dropped {reporter.DroppedReadings}");
                }

                if (measured)
                {
                    keepBytes += a1 - a0;
                    keepTicks += t1 - t0;
                    drainBytes += a2 - a1;
                    drainTicks += t2 - t1;
                    readings += SamplesPerOutage * ids.Length;
                    posts += publisher.Count - before;
                }
            }

            results.Add("history", "reading kept offline (buffered with its time): allocated", (double)keepBytes / readings, "B/reading", $"{readings} readings");
            results.Add("history", "history post written and handed to the outbox: allocated", (double)drainBytes / posts, "B/post", $"{posts} posts, last {publisher.Last.Length} B");
            results.Add("history", "history post: allocated per reading delivered", (double)drainBytes / readings, "B/reading", $"{(double)readings / posts:0.0} readings/post");
            results.Add("history", "history post: time", drainTicks * 1_000_000.0 / Stopwatch.Frequency / posts, "us/post", $"keeping: {keepTicks * 1_000_000.0 / Stopwatch.Frequency / readings:0.00} us/reading");
        }
    }
}
