using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Thing;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Thing
{
    /// <summary>
    /// A generated corpus of hostile and malformed Alink inputs driven straight into the dispatcher, each input
    /// checked on its own: nothing escapes; at most one reply per request, and exactly one with the pinned code for
    /// the known requests mixed in (so a fault that eats a third of the requests cannot hide behind the dispatcher's
    /// last fence); invalid input is never answered 200 and never reaches a setter or service; nothing is published
    /// outside the device's own topics; every application-handler failure is accounted for (the dispatcher's count
    /// must equal the throws the test injected, and an exception caught by the last fence fails the test); and
    /// allocation stays within the device budget: each known request within the per-message budget of
    /// docs/benchmarks.md (2,048 B: parse, dispatch, reply and the post after a set), any other input within
    /// 6,144 B plus 8 B per payload byte (the UTF-16 copy, the parsed strings and an exception; a 4 KB payload at
    /// most ~38 KB, well under half of a WROOM's ~90 KB heap).
    /// </summary>
    public class DispatcherFuzzTests
    {
        private const int MaxPayload = 4096;
        private const int MessageBudgetBytes = 2048;
        private const int HostileBudgetBytes = 6144;
        private const int HostileBudgetBytesPerPayloadByte = 8;
        private readonly ITestOutputHelper _output;

        public DispatcherFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>What an input must lead to.</summary>
        private enum Expect
        {
            /// <summary>Exactly one reply, with the case's code and id.</summary>
            Reply,
            /// <summary>No reply at all (the raw handler throws, or the topic is not the device's).</summary>
            Silence,
            /// <summary>Invalid: at most one reply, never 200; no setter and no service runs.</summary>
            Refused,
            /// <summary>Unknown outcome: at most one reply; a setter runs only when the reply is 200.</summary>
            AtMostOne,
        }

        private sealed record Case(string Topic, byte[] Payload, Expect Expect, int Code = 0, string Id = null);

        [Fact]
        public void Ten_thousand_hostile_inputs_each_get_the_answer_they_must()
        {
            // Publisher, log, setters and the service handler here record without allocating, so what is measured is
            // the dispatcher's own allocation.
            var publisher = new FuzzReplyRecorder();
            var log = new FuzzInputLog();
            var f = new ThingFixture(MaxPayload, publisher, log);
            int injectedThrows = 0;
            int setterCalls = 0;
            int serviceCalls = 0;
            f.Model.FindProperty("Power").Setter = (p, v) => { setterCalls++; return null; };
            f.Model.FindProperty("Target").Setter = (p, v) => { setterCalls++; return null; };
            f.Model.FindService("Reset").Handler = (s, i, o) =>
            {
                serviceCalls++;
                o["Done"] = true;
            };
            f.Dispatcher.DownRawHandler = (t, p) =>
            {
                if (p.Length > 0 && p[0] == 0x42)
                {
                    injectedThrows++;
                    throw new InvalidOperationException("raw boom");
                }

                return new byte[] { 1 };
            };
            f.Dispatcher.UserRrpcHandler = (t, p) => new byte[] { 0x6F, 0x6B };
            f.Dispatcher.UserMessageHandler = (t, p) =>
            {
                if (p.Length == 3)
                {
                    injectedThrows++;
                    throw new InvalidOperationException("user boom");
                }
            };
            foreach (string failing in new[] { "Boom", "Busy", "BadOut" })
            {
                ServiceDefinition service = f.Model.FindService(failing);
                ServiceHandler inner = service.Handler;
                service.Handler = (s, i, o) =>
                {
                    injectedThrows++; // each of these fails: throws, refuses (100123) or writes an undeclared output
                    inner(s, i, o);
                };
            }

            var corpus = BuildCorpus(f, new Random(20260401));
            Assert.True(corpus.Count >= 10000, "corpus has " + corpus.Count);
            int probes = corpus.Count(c => c.Expect == Expect.Reply);
            Assert.True(probes >= 1000, "probes: " + probes);

            // Warm-up, unmeasured: the first message of each kind also pays one-time costs (static tables, first-use
            // caches) that a device pays once at start, not per message.
            for (int kind = 0; kind < 10; kind++)
            {
                Case warm = Probe(f, kind, (800000 + kind).ToString());
                f.Dispatcher.Handle(warm.Topic, warm.Payload);
            }

            long maxAllocated = 0;
            long totalAllocated = 0;
            double maxMs = 0;
            double totalMs = 0;
            string worst = null;
            var watch = new Stopwatch();
            for (int n = 0; n < corpus.Count; n++)
            {
                Case c = corpus[n];
                string what = "input " + n + " (" + c.Expect + ", topic [" + c.Topic + "], " + c.Payload.Length + " bytes)";
                int setsBefore = setterCalls;
                int servicesBefore = serviceCalls;
                publisher.Clear();
                log.Clear();
                long before = GC.GetAllocatedBytesForCurrentThread();
                watch.Restart();
                try
                {
                    f.Dispatcher.Handle(c.Topic, c.Payload);
                }
                catch (Exception e)
                {
                    Assert.Fail("exception escaped for " + what + ": " + e);
                }

                watch.Stop();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                long budget = c.Expect == Expect.Reply ? MessageBudgetBytes : HostileBudgetBytes + ((long)HostileBudgetBytesPerPayloadByte * c.Payload.Length);
                Assert.True(allocated <= budget, what + " allocated " + allocated + " B, over the budget of " + budget + " B");
                totalAllocated += allocated;
                totalMs += watch.Elapsed.TotalMilliseconds;
                if (allocated > maxAllocated)
                {
                    maxAllocated = allocated;
                    worst = what;
                }

                maxMs = Math.Max(maxMs, watch.Elapsed.TotalMilliseconds);

                bool setterRan = setterCalls != setsBefore;
                bool serviceRan = serviceCalls != servicesBefore;
                Assert.False(log.Contains("message on "), what + ": the dispatcher's last fence caught an exception: " + log.Find("message on "));
                int replies = publisher.Replies;
                int? code = replies == 1 ? publisher.ReplyCode(0) : null;
                foreach (var (topic, payload) in publisher.All())
                {
                    Assert.True(f.Topics.IsOwn(topic), "published outside the device for " + what + ": " + topic);
                    Assert.DoesNotContain('+', topic);
                    Assert.DoesNotContain('#', topic);
                    Assert.True(payload.Length <= MaxPayload, what + ": a " + payload.Length + "-byte message");
                }

                Assert.True(replies <= 1, what + ": " + replies + " replies to one request");
                Assert.True(!setterRan || code == 200, what + ": a setter ran but the reply was " + (code?.ToString() ?? "none"));
                switch (c.Expect)
                {
                    case Expect.Reply:
                        Assert.True(replies == 1, what + ": expected exactly one reply, got " + replies);
                        Assert.True(code == c.Code, what + ": expected code " + c.Code + ", got " + (code?.ToString() ?? "none") + " in " + publisher.ReplyText(0));
                        Assert.Equal(c.Id, publisher.ReplyId(0));
                        break;
                    case Expect.Silence:
                        Assert.True(replies == 0, what + ": expected no reply, got " + publisher.ReplyText(0));
                        Assert.False(setterRan || serviceRan, what + ": a setter or service ran");
                        break;
                    case Expect.Refused:
                        Assert.True(code != 200, what + ": invalid input answered 200: " + publisher.ReplyText(0));
                        Assert.False(setterRan || serviceRan, what + ": a setter or service ran on invalid input");
                        break;
                }
            }

            // Every handler failure was one the test injected: an exception the dispatcher's last fence had to catch
            // (a bug) would add one more.
            Assert.Equal(injectedThrows, f.Dispatcher.HandlerFailureCount);

            _output.WriteLine($"inputs {corpus.Count} ({probes} known requests), refused {f.Dispatcher.RefusedCount}, handler failures {f.Dispatcher.HandlerFailureCount}");
            _output.WriteLine($"time per input: mean {totalMs / corpus.Count:F4} ms, max {maxMs:F3} ms");
            _output.WriteLine($"allocation per input: mean {totalAllocated / corpus.Count} B, max {maxAllocated} B ({worst})");
        }


        private static List<Case> BuildCorpus(ThingFixture f, Random random)
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

            var corpus = new List<Case>();
            var hostile = new HashSet<string>(hostileTopics);
            byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
            string AnyTopic() => random.Next(5) == 0 ? hostileTopics[random.Next(hostileTopics.Length)] : topics[random.Next(topics.Length)];

            // Foreign or unsafe topics are never answered, whatever the payload.
            void Add(string topic, byte[] payload, Expect expect) => corpus.Add(new Case(topic, payload, hostile.Contains(topic) ? Expect.Silence : expect));

            // 1. Random bytes.
            for (int i = 0; i < 1500; i++)
            {
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                if (bytes.Length > 0 && random.Next(2) == 0)
                {
                    bytes[0] = (byte)'{';
                }

                Add(AnyTopic(), bytes, Expect.Refused);
            }

            // 2. Every truncation of the good requests, on every topic kind.
            foreach (string request in goodRequests)
            {
                for (int cut = 0; cut < request.Length; cut++)
                {
                    Add(topics[random.Next(topics.Length)], Utf8(request.Substring(0, cut)), Expect.Refused);
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
                Add(AnyTopic(), Utf8(sb.ToString()), Expect.Refused);
            }

            // 4. Huge strings and payloads around and over the limit.
            for (int i = 0; i < 400; i++)
            {
                int size = random.Next(MaxPayload - 100, MaxPayload * 3);
                string key = keys[random.Next(keys.Length)];
                string json = "{\"id\":\"1\",\"params\":{\"" + key + "\":\"" + new string((char)('a' + random.Next(26)), size) + "\"}}";
                Add(AnyTopic(), Utf8(json), Expect.Refused);
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
                Add(AnyTopic(), Utf8(sb.ToString()), Expect.AtMostOne);
            }

            // 6. Byte flips of good requests.
            for (int i = 0; i < 2000; i++)
            {
                byte[] bytes = Utf8(goodRequests[random.Next(goodRequests.Length)]);
                int flips = random.Next(1, 4);
                for (int k = 0; k < flips; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                Add(AnyTopic(), bytes, Expect.AtMostOne);
            }

            // 7. Good requests on foreign or unsafe topics.
            for (int i = 0; i < 600; i++)
            {
                Add(hostileTopics[random.Next(hostileTopics.Length)], Utf8(goodRequests[random.Next(goodRequests.Length)]), Expect.Silence);
            }

            // 8. Known requests with pinned answers, shuffled in at every 7th position: each must get exactly its
            // answer wherever it lands among the garbage.
            var mixed = new List<Case>(corpus.Count + corpus.Count / 6);
            int nextId = 900000;
            for (int k = 0; k < corpus.Count; k++)
            {
                if (k % 6 == 0)
                {
                    mixed.Add(Probe(f, random.Next(10), (nextId++).ToString()));
                }

                mixed.Add(corpus[k]);
            }

            return mixed;
        }

        // One request whose answer is known exactly (id: a fresh decimal id, also the RRPC message id).
        private static Case Probe(ThingFixture f, int kind, string id)
        {
            byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
            switch (kind)
            {
                case 0:
                    return new Case(f.Sys("thing/service/property/set"), Utf8("{\"id\":\"" + id + "\",\"params\":{\"Target\":12.5}}"), Expect.Reply, 200, id);
                case 1:
                    return new Case(f.Sys("thing/service/property/set"), Utf8("{\"id\":\"" + id + "\",\"params\":{\"Target\":101}}"), Expect.Reply, 460, id);
                case 2:
                    return new Case(f.Sys("thing/service/property/get"), Utf8("{\"id\":\"" + id + "\",\"params\":[\"Target\"]}"), Expect.Reply, 200, id);
                case 3:
                    return new Case(f.Sys("thing/service/Reset"), Utf8("{\"id\":\"" + id + "\",\"params\":{\"Delay\":5}}"), Expect.Reply, 200, id);
                case 4:
                    return new Case(f.Sys("rrpc/request/" + id), Utf8("{\"id\":\"" + id + "\",\"method\":\"thing.service.Reset\",\"params\":{}}"), Expect.Reply, 200, id);
                case 5:
                    return new Case("/ext/rrpc/" + id + "/sys/" + ThingFixture.Pk + "/" + ThingFixture.Dn + "/thing/service/Reset", Utf8("{\"id\":\"" + id + "\",\"params\":{\"Delay\":1}}"), Expect.Reply, 200, id);
                case 6:
                    return new Case(f.Sys("thing/service/Boom"), Utf8("{\"id\":\"" + id + "\"}"), Expect.Reply, 400, id);
                case 7:
                    return new Case(f.Sys("thing/service/Busy"), Utf8("{\"id\":\"" + id + "\"}"), Expect.Reply, 100123, id);
                case 8:
                    return new Case(f.Sys("thing/service/Ghost"), Utf8("{\"id\":\"" + id + "\"}"), Expect.Reply, 460, id);
                default:
                    return new Case(f.Sys("thing/model/down_raw"), new byte[] { 0x42, 1 }, Expect.Silence); // the raw handler throws
            }
        }
    }
}
