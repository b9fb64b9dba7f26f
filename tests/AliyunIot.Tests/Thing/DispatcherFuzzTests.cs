using System.Diagnostics;
using System.Text;
using AliyunIot.Alink;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Thing
{
    /// <summary>
    /// A generated corpus of hostile and malformed Alink inputs driven straight into the dispatcher: nothing may
    /// escape, nothing may be published outside the device's own topics, every input must complete, and time and
    /// allocation per input are measured (time reported, allocation asserted against a generous cap).
    /// </summary>
    public class DispatcherFuzzTests
    {
        private const int MaxPayload = 4096;
        private readonly ITestOutputHelper _output;

        public DispatcherFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Ten_thousand_hostile_inputs_never_crash_never_publish_foreign_and_stay_bounded()
        {
            var f = new ThingFixture(MaxPayload);
            f.Dispatcher.DownRawHandler = (t, p) => p.Length > 0 && p[0] == 0x42 ? throw new Exception("raw boom") : new byte[] { 1 };
            f.Dispatcher.UserRrpcHandler = (t, p) => p;
            f.Dispatcher.UserMessageHandler = (t, p) => { if (p.Length == 3) throw new Exception("user boom"); };
            var corpus = BuildCorpus(f, new Random(20260401));
            Assert.True(corpus.Count >= 10000, "corpus has " + corpus.Count);

            long maxAllocated = 0;
            long totalAllocated = 0;
            double maxMs = 0;
            double totalMs = 0;
            string worst = null;
            var watch = new Stopwatch();
            int handled = 0;
            foreach (var (topic, payload) in corpus)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                watch.Restart();
                try
                {
                    f.Dispatcher.Handle(topic, payload);
                }
                catch (Exception e)
                {
                    Assert.Fail("exception escaped for topic [" + topic + "]: " + e);
                }

                watch.Stop();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                handled++;
                totalAllocated += allocated;
                totalMs += watch.Elapsed.TotalMilliseconds;
                if (allocated > maxAllocated)
                {
                    maxAllocated = allocated;
                    worst = topic + " (" + payload.Length + " bytes)";
                }

                maxMs = Math.Max(maxMs, watch.Elapsed.TotalMilliseconds);
            }

            Assert.Equal(corpus.Count, handled);
            var published = f.Publisher.Messages;
            foreach (var m in published)
            {
                Assert.True(f.Topics.IsOwn(m.Topic), "published outside the device: " + m.Topic);
                Assert.DoesNotContain('+', m.Topic);
                Assert.DoesNotContain('#', m.Topic);
                Assert.True(m.Payload.Length <= MaxPayload);
            }

            _output.WriteLine($"inputs {corpus.Count}, published {published.Length}, refused {f.Dispatcher.RefusedCount}, handler failures {f.Dispatcher.HandlerFailureCount}");
            _output.WriteLine($"time per input: mean {totalMs / corpus.Count:F4} ms, max {maxMs:F3} ms");
            _output.WriteLine($"allocation per input: mean {totalAllocated / corpus.Count} B, max {maxAllocated} B ({worst})");

            // Generous: a 4 KB payload decoded, parsed and answered costs tens of KB on the host at most.
            Assert.True(maxAllocated < 1024 * 1024, "an input allocated " + maxAllocated + " bytes: " + worst);

            // After all that the device still serves.
            f.Publisher.Clear();
            f.Send(f.Sys("thing/service/property/set"), "{\"id\":\"424242\",\"params\":{\"Target\":42}}");
            Assert.Equal("{\"id\":\"424242\",\"code\":200,\"data\":{}}", f.Publisher.Messages[0].Text);
            f.Log.AssertNoSecrets();
        }

        private static List<(string Topic, byte[] Payload)> BuildCorpus(ThingFixture f, Random random)
        {
            string pk = ThingFixture.Pk;
            string dn = ThingFixture.Dn;
            string[] topics =
            {
                f.Sys("thing/service/property/set"), f.Sys("thing/service/property/get"), f.Sys("thing/service/Reset"),
                f.Sys("thing/service/Boom"), f.Sys("thing/service/Busy"), f.Sys("thing/service/BadOut"), f.Sys("thing/service/Ghost"),
                f.Sys("rrpc/request/12345"), "/ext/rrpc/777/sys/" + pk + "/" + dn + "/thing/service/Reset",
                f.Sys("thing/model/down_raw"), f.Sys("thing/model/up_raw_reply"), f.Sys("thing/event/property/post_reply"),
                f.Sys("thing/event/Alarm/post_reply"), f.Sys("thing/event/property/batch/post_reply"),
                "/" + pk + "/" + dn + "/user/get", "/broadcast/" + pk + "/news", f.Sys("broadcast/request/1"),
                "/ext/rrpc/9/" + pk + "/" + dn + "/user/cmd", "/ext/rrpc/8/sys/" + pk + "/" + dn + "/thing/model/down_raw",
            };
            string[] hostileTopics =
            {
                "/sys/" + pk + "/other/thing/service/property/set", "/sys/other/" + dn + "/thing/service/Reset",
                "/sys/" + pk + "/" + dn + "/rrpc/request/", "/sys/" + pk + "/" + dn + "/rrpc/request/a/b",
                "/sys/" + pk + "/" + dn + "/rrpc/request/+", "/sys/" + pk + "/" + dn + "/rrpc/request/#",
                "/sys/" + pk + "/" + dn + "/rrpc/request/" + new string('x', 65), "/ext/rrpc/+/sys/" + pk + "/" + dn + "/thing/service/Reset",
                "/ext/rrpc//sys/" + pk + "/" + dn + "/thing/service/Reset", "/ext/rrpc/1/sys/" + pk + "/x/thing/service/Reset",
                "/ext/rrpc/1", "/ext/rrpc/", "", "/", "#", "+", "/sys/" + pk + "/" + dn + "/thing/service/a b",
                "/sys/" + pk + "/" + dn + "\u0000/thing/service/Reset", "/sys/" + pk + "/" + dn + "/thing/service/\u00e9",
                "/sys/" + pk + "/" + dn + "/thing/event//post_reply", "/sys/" + pk + "/" + dn + "/thing/event/post_reply",
                "/sys/" + pk + "/" + dn + "/thing/service/" + new string('s', 300), "/broadcast/other/x", "/other/" + dn + "/user/get",
                "/sys/" + pk + "/" + dn + "/rrpc/request/a\u0001b", "/ext/rrpc/\u00ff/sys/" + pk + "/" + dn + "/thing/service/Reset",
            };
            string[] goodRequests =
            {
                "{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"Target\":12.5,\"Power\":1},\"method\":\"thing.service.property.set\"}",
                "{\"id\":\"2\",\"params\":[\"Temp\",\"Power\"],\"method\":\"thing.service.property.get\"}",
                "{\"id\":\"3\",\"params\":{\"Delay\":5},\"method\":\"thing.service.Reset\"}",
                "{\"code\":200,\"data\":{},\"id\":\"1\",\"message\":\"success\",\"version\":\"1.0\"}",
                "{\"id\":4,\"params\":{\"Label\":\"hello\",\"Mode\":1,\"Count\":3,\"Stamp\":\"1700000000000\"}}",
            };
            string[] values = { "1", "-1", "0", "1.5", "1e308", "-1e308", "1e999", "\"x\"", "\"\"", "null", "true", "false", "[]", "{}", "[1,2]", "{\"value\":1}", "99999999999999999999", "-9223372036854775809", "\"\\u0000\"", "\"\\ud800\"" };
            string[] keys = { "id", "params", "method", "version", "code", "data", "sys", "Target", "Power", "Temp", "Mode", "Label", "Count", "Stamp", "Delay", "", "\\u0000", "__proto__", "Ghost" };
            string[] methods = { "thing.service.property.set", "thing.service.property.get", "thing.service.Reset", "thing.service.Boom", "thing.service.", "thing.service.a/b", "thing.service.+", "thing.event.property.post", "", "x", "thing.service.property.setx" };

            var corpus = new List<(string, byte[])>();
            byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
            string AnyTopic() => random.Next(5) == 0 ? hostileTopics[random.Next(hostileTopics.Length)] : topics[random.Next(topics.Length)];

            // 1. Random bytes.
            for (int i = 0; i < 1500; i++)
            {
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                if (bytes.Length > 0 && random.Next(2) == 0)
                {
                    bytes[0] = (byte)'{';
                }

                corpus.Add((AnyTopic(), bytes));
            }

            // 2. Every truncation of the good requests, on every topic kind.
            foreach (string request in goodRequests)
            {
                for (int cut = 0; cut < request.Length; cut++)
                {
                    corpus.Add((topics[random.Next(topics.Length)], Utf8(request.Substring(0, cut))));
                }
            }

            // 3. Deep nesting, balanced and not, objects and arrays.
            for (int i = 0; i < 600; i++)
            {
                int depth = random.Next(1, 5000);
                string open = random.Next(2) == 0 ? "[" : "{\"a\":";
                string close = open == "[" ? "]" : "}";
                var sb = new StringBuilder("{\"id\":\"1\",\"params\":");
                for (int d = 0; d < depth && sb.Length < MaxPayload * 2; d++) sb.Append(open);
                sb.Append('1');
                if (random.Next(3) != 0) for (int d = 0; d < depth && sb.Length < MaxPayload * 4; d++) sb.Append(close);
                sb.Append('}');
                corpus.Add((AnyTopic(), Utf8(sb.ToString())));
            }

            // 4. Huge strings and payloads around and over the limit.
            for (int i = 0; i < 400; i++)
            {
                int size = random.Next(MaxPayload - 100, MaxPayload * 3);
                string key = keys[random.Next(keys.Length)];
                string json = "{\"id\":\"1\",\"params\":{\"" + key + "\":\"" + new string((char)('a' + random.Next(26)), size) + "\"}}";
                corpus.Add((AnyTopic(), Utf8(json)));
            }

            // 5. Wrong types for every field, wrong methods for the topic, random ids.
            for (int i = 0; i < 5000; i++)
            {
                var sb = new StringBuilder("{");
                int members = random.Next(0, 6);
                for (int k = 0; k < members; k++)
                {
                    if (k > 0) sb.Append(',');
                    string key = keys[random.Next(keys.Length)];
                    string value = key == "method" && random.Next(2) == 0
                        ? "\"" + methods[random.Next(methods.Length)] + "\""
                        : key == "params" && random.Next(2) == 0
                            ? "{\"" + keys[random.Next(keys.Length)] + "\":" + values[random.Next(values.Length)] + ",\"" + keys[random.Next(keys.Length)] + "\":" + values[random.Next(values.Length)] + "}"
                            : key == "id" && random.Next(2) == 0
                                ? "\"" + random.Next() + "\""
                                : values[random.Next(values.Length)];
                    sb.Append('"').Append(key).Append("\":").Append(value);
                }

                sb.Append('}');
                corpus.Add((AnyTopic(), Utf8(sb.ToString())));
            }

            // 6. Byte flips of good requests.
            for (int i = 0; i < 2000; i++)
            {
                byte[] bytes = Utf8(goodRequests[random.Next(goodRequests.Length)]);
                int flips = random.Next(1, 4);
                for (int k = 0; k < flips; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                corpus.Add((AnyTopic(), bytes));
            }

            // 7. Good requests on foreign or unsafe topics.
            for (int i = 0; i < 600; i++)
            {
                corpus.Add((hostileTopics[random.Next(hostileTopics.Length)], Utf8(goodRequests[random.Next(goodRequests.Length)])));
            }

            return corpus;
        }
    }
}
