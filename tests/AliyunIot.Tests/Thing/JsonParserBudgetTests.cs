using System.Collections;
using System.Globalization;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using AliyunIot.Thing;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Thing
{
    /// <summary>
    /// The core's JSON parser against System.Text.Json (the reference) on mutated Alink and config documents, and
    /// its allocation budget on the message path: a property set handled end to end (guard, parse, dispatch, two
    /// setters, reply) must stay within 1 KB on the host, the figure issue 12 sets for the device.
    /// </summary>
    public class JsonParserBudgetTests
    {
        private static readonly string[] Seeds =
        {
            "{\"id\":\"123456\",\"version\":\"1.0\",\"params\":{\"Target\":22.75,\"FanSpeed\":4},\"method\":\"thing.service.property.set\"}",
            "{\"code\":200,\"data\":{\"a\":[1,2.5e-3,-7,true,false,null]},\"id\":\"12\",\"message\":\"success\",\"method\":\"x\",\"version\":\"1.0.0\"}",
            "{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"dev1\",\"limits\":{\"maxPayloadBytes\":16384},\"sensors\":[{\"type\":\"adc\",\"scale\":0.5}],\"s\":\"caf\u00e9 \\u4e2d \\ud83d\\ude00 \\\"q\\\" \\\\ \\/\"}",
            "[{\"a\":1},{\"a\":2},[[[]]],\"x\",9223372036854775807,-9223372036854775808,1.7976931348623157e308]",
        };

        private readonly ITestOutputHelper _output;

        public JsonParserBudgetTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Core_parser_agrees_with_System_Text_Json_on_mutated_documents()
        {
            var reference = new ReferenceJsonParser();
            var random = new Random(12);
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < 20000; i++)
            {
                byte[] doc = Mutate(Encoding.UTF8.GetBytes(Seeds[i % Seeds.Length]), random);
                object expected;
                try
                {
                    expected = reference.ParseUtf8(doc);
                }
                catch (Exception)
                {
                    expected = Refused;
                }

                // System.Text.Json reads 1e999 as infinity; the core refuses it ("number out of range") on purpose.
                if (HasInfinity(expected))
                {
                    expected = Refused;
                }

                object actual = JsonTree.Parse(doc, 0, doc.Length, 64, out string problem);
                string shown = Convert.ToHexString(doc);
                if (expected == Refused)
                {
                    Assert.True(problem != null, "the reference refuses but the core accepts: " + shown);
                    Assert.Null(actual);
                    refused++;
                    continue;
                }

                Assert.True(problem == null, "the reference accepts but the core refuses (" + problem + "): " + shown);
                AssertSame(expected, actual, shown);
                accepted++;
            }

            _output.WriteLine($"{accepted} accepted and {refused} refused by both");
            Assert.True(accepted > 1000 && refused > 1000, "the mutations must exercise both outcomes");
        }

        [Fact]
        public void A_property_set_end_to_end_allocates_at_most_1_KB()
        {
            var topics = new DeviceTopics("a1BenchProd", "bench-dev");
            var publisher = new LastPublisher();
            var log = new SilentLog();
            var model = new ThingModel();
            model.AddProperty(PropertyDefinition.Float("Temperature", -40, 120, 1, PropertyAccess.ReadOnly));
            model.AddProperty(PropertyDefinition.Int("Co2", 0, 10000, PropertyAccess.ReadOnly));
            int setCalls = 0;
            model.AddProperty(PropertyDefinition.Double("Target", 0, 100, 2, PropertyAccess.ReadWrite), (p, v) => { setCalls++; return null; });
            model.AddProperty(PropertyDefinition.Int("FanSpeed", 0, 5, PropertyAccess.ReadWrite), (p, v) => { setCalls++; return null; });
            model.SetValue("Target", 22.75);
            model.SetValue("FanSpeed", 4);
            var reporter = new ThingReporter(model, topics, publisher, new AlinkIds(), new ManualClock(), log, 16384, 10000, 8);
            var dispatcher = new ThingDispatcher(model, reporter, topics, publisher, log, 16384);
            byte[] set = Encoding.UTF8.GetBytes(Seeds[0]);
            double perSet = AllocatedPerSet(dispatcher, topics, publisher, set, "123456", () => setCalls);
            _output.WriteLine($"property set end to end: {perSet:F0} B allocated per message (reply {Encoding.UTF8.GetString(publisher.Last)})");
            Assert.True(perSet <= 1024, $"a property set allocated {perSet:F0} B, budget 1024 B");
        }

        [Fact]
        public void A_struct_and_array_property_set_end_to_end_stays_within_the_per_message_budget()
        {
            var topics = new DeviceTopics("a1BenchProd", "bench-dev");
            var publisher = new LastPublisher();
            var log = new SilentLog();
            var model = new ThingModel();
            int setCalls = 0;
            model.AddProperty(
                PropertyDefinition.Struct(
                    "Location",
                    new[]
                    {
                        PropertyDefinition.Double("Latitude", -90, 90, 4, PropertyAccess.ReadWrite),
                        PropertyDefinition.Double("Longitude", -180, 180, 4, PropertyAccess.ReadWrite),
                        PropertyDefinition.Enum("Source", new[] { 0, 1 }, PropertyAccess.ReadWrite),
                    },
                    PropertyAccess.ReadWrite),
                (p, v) => { setCalls++; return null; });
            model.AddProperty(PropertyDefinition.Array("Samples", PropertyDefinition.Int("item", 0, 100, PropertyAccess.ReadWrite), 8, PropertyAccess.ReadWrite), (p, v) => { setCalls++; return null; });
            var reporter = new ThingReporter(model, topics, publisher, new AlinkIds(), new ManualClock(), log, 16384, 10000, 8);
            var dispatcher = new ThingDispatcher(model, reporter, topics, publisher, log, 16384);
            byte[] set = Encoding.UTF8.GetBytes("{\"id\":\"123457\",\"version\":\"1.0\",\"params\":{\"Location\":{\"Latitude\":31.2304,\"Longitude\":121.4737,\"Source\":0},\"Samples\":[12,40,87,3]},\"method\":\"thing.service.property.set\"}");

            // The same value again: reply only (compared by content), so what is measured is guard, parse,
            // validation of every member and element, the setters and the reply.
            double perSet = AllocatedPerSet(dispatcher, topics, publisher, set, "123457", () => setCalls);
            _output.WriteLine($"struct + array property set end to end: {perSet:F0} B allocated per message");
            Assert.True(perSet <= 2048, $"a struct and array set allocated {perSet:F0} B, per-message budget 2048 B");
        }

        // Warms up, then measures the bytes one property set allocates end to end; checks on the way that every set
        // was answered 200 with the request's id, both setters ran each time and nothing was refused.
        private static double AllocatedPerSet(ThingDispatcher dispatcher, DeviceTopics topics, LastPublisher publisher, byte[] set, string id, Func<int> setCalls)
        {
            string topic = topics.PropertySet;
            for (int i = 0; i < 2000; i++)
            {
                dispatcher.Handle(topic, set);
            }

            Assert.Equal(topics.PropertySetReply, publisher.LastTopic);
            Assert.Equal("{\"id\":\"" + id + "\",\"code\":200,\"data\":{}}", Encoding.UTF8.GetString(publisher.Last));
            const int Runs = 1000;
            int calls = setCalls();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Runs; i++)
            {
                dispatcher.Handle(topic, set);
            }

            double perSet = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / Runs;
            Assert.Equal(calls + (2 * Runs), setCalls());
            Assert.Equal(0, dispatcher.RefusedCount);
            return perSet;
        }

        [Fact]
        public void Reading_a_post_reply_allocates_only_what_it_keeps()
        {
            byte[] reply = Encoding.UTF8.GetBytes("{\"code\":200,\"data\":{},\"id\":\"123456\",\"message\":\"success\",\"method\":\"thing.event.property.post\",\"version\":\"1.0\"}");
            var envelope = new AlinkEnvelope();
            for (int i = 0; i < 2000; i++)
            {
                Assert.Null(envelope.Read(reply, reply.Length, 8));
            }

            const int Runs = 1000;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Runs; i++)
            {
                envelope.Read(reply, reply.Length, 8);
            }

            double perRead = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / Runs;
            _output.WriteLine($"post_reply envelope read: {perRead:F0} B per message");

            // id, message, method and version strings: 4 small strings, nothing for the structure itself.
            Assert.True(perRead <= 400, $"reading a reply envelope allocated {perRead:F0} B");
            Assert.Equal("123456", envelope.Id);
            Assert.Equal(200, envelope.Code);
        }

        private static readonly object Refused = new object();

        private static byte[] Mutate(byte[] doc, Random random)
        {
            var bytes = new List<byte>(doc);
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits && bytes.Count > 0; e++)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(6))
                {
                    case 0:
                        bytes.RemoveRange(at, bytes.Count - at); // truncate
                        break;
                    case 1:
                        bytes.RemoveAt(at);
                        break;
                    case 2:
                        bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                        break;
                    case 3:
                        bytes[at] = Interesting[random.Next(Interesting.Length)];
                        break;
                    case 4:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    default:
                        // Leave some documents intact so the accepted side is well exercised too.
                        break;
                }
            }

            return bytes.ToArray();
        }

        private static readonly byte[] Interesting = Encoding.ASCII.GetBytes("{}[]\",:\\u0123456789-+.eEtfn ")
            .Concat(new byte[] { 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xF0, 0xFF })
            .ToArray();

        private static bool HasInfinity(object value)
        {
            return value switch
            {
                double d => double.IsInfinity(d),
                Hashtable table => table.Values.Cast<object>().Any(HasInfinity),
                ArrayList list => list.Cast<object>().Any(HasInfinity),
                _ => false,
            };
        }

        private static void AssertSame(object expected, object actual, string doc)
        {
            switch (expected)
            {
                case null:
                    Assert.Null(actual);
                    return;
                case Hashtable table:
                    var other = Assert.IsType<Hashtable>(actual);
                    Assert.Equal(table.Count, other.Count);
                    foreach (DictionaryEntry entry in table)
                    {
                        Assert.True(other.Contains(entry.Key), "missing member in " + doc);
                        AssertSame(entry.Value, other[entry.Key], doc);
                    }

                    return;
                case ArrayList list:
                    var otherList = Assert.IsType<ArrayList>(actual);
                    Assert.Equal(list.Count, otherList.Count);
                    for (int i = 0; i < list.Count; i++)
                    {
                        AssertSame(list[i], otherList[i], doc);
                    }

                    return;
                case double d:
                    double a = Assert.IsType<double>(actual);
                    long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(d) - BitConverter.DoubleToInt64Bits(a));
                    Assert.True(ulps <= 1, $"{a.ToString("R", CultureInfo.InvariantCulture)} vs {d.ToString("R", CultureInfo.InvariantCulture)} in {doc}");
                    return;
                default:
                    Assert.Equal(expected.GetType(), actual?.GetType());
                    Assert.Equal(expected, actual);
                    return;
            }
        }

        private sealed class LastPublisher : IPublisher
        {
            public byte[] Last { get; private set; }

            public string LastTopic { get; private set; }

            public PublishStatus Publish(string topic, byte[] payload, int qos)
            {
                LastTopic = topic;
                Last = payload;
                return PublishStatus.Sent;
            }
        }

        private sealed class SilentLog : ILog
        {
            public void Write(LogLevel level, string source, string message)
            {
            }
        }
    }
}
