using System.Collections;
using System.Text;
using AliyunIot.Json;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The core's JSON parser (JsonReader, JsonTree, JsonNumber) on the nanoCLR: the vectors the host runs too —
    /// escapes, surrogate pairs, invalid UTF-8, deep nesting, every truncation of a document, numbers at the edges
    /// of int/long/double, root arrays (nanoFramework.Json kept only the last object) and malformed structure.
    /// Nothing here may throw: bad text ends in a problem string.
    /// </summary>
    [TestClass]
    public class JsonReaderTests
    {
        [TestMethod]
        public void Escapes_are_decoded()
        {
            Hashtable root = Object("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"u\":\"\\u0041\\u00e9\\u00E9\\u4e2d\",\"\\u0074ag\":1}");
            Assert.AreEqual("\"\\/\b\f\n\r\t", (string)root["a"], "simple escapes");
            Assert.AreEqual("A\u00e9\u00e9\u4e2d", (string)root["u"], "\\u escapes, both hex cases (nanoFramework.Json skipped a digit)");
            Assert.IsTrue(root.Contains("tag"), "escaped member name");
            Assert.AreEqual("caf\u00e9 \u4e2d", (string)Object("{\"s\":\"caf\u00e9 \u4e2d\"}")["s"], "raw UTF-8 text");
        }

        [TestMethod]
        public void Bad_escapes_are_refused()
        {
            Refused("{\"a\":\"\\x\"}", "unknown escape");
            Refused("{\"a\":\"\\u12\"}", "short \\u escape");
            Refused("{\"a\":\"\\u12G4\"}", "non-hex digit");
            Refused("{\"a\":\"\\u", "escape cut off");
            Refused("{\"a\":\"tab\there\"}", "raw control character");
        }

        [TestMethod]
        public void Surrogate_pairs_are_decoded_and_lone_surrogates_refused()
        {
            string expected = "x\uD83D\uDE00y";
            Assert.AreEqual(expected, (string)Object("{\"e\":\"x\\ud83d\\ude00y\"}")["e"], "escaped pair");
            string problem;
            byte[] raw = Join("{\"e\":\"x", GrinningFace, "y\"}");
            Assert.AreEqual(expected, (string)((Hashtable)JsonTree.Parse(raw, 0, raw.Length, 8, out problem))["e"], "raw 4-byte UTF-8");

            byte[] both = Join("[\"\\uD83D\\uDE00\",\"", GrinningFace, "\"]");
            JsonReader reader = new JsonReader();
            reader.Reset(both, 0, both.Length, 8);
            reader.Read();
            reader.Read();
            Assert.AreEqual(2, reader.StringLength, "a pair is two UTF-16 units");
            Assert.IsTrue(reader.ValueEquals("\uD83D\uDE00"), "escaped pair compares equal in place");
            reader.Read();
            Assert.IsTrue(reader.ValueEquals("\uD83D\uDE00"), "raw pair compares equal in place");
            Assert.IsFalse(reader.ValueEquals("\uD83D\uDE01"), "a different pair does not");

            Refused("{\"e\":\"\\ud83d\"}", "lone high surrogate");
            Refused("{\"e\":\"\\ud83d\\u0041\"}", "high surrogate followed by a non-surrogate");
            Refused("{\"e\":\"\\ude00\"}", "lone low surrogate");
        }

        [TestMethod]
        public void Invalid_utf8_is_refused()
        {
            RefusedBytes(new byte[] { (byte)'"', 0xC0, 0x80, (byte)'"' }, "overlong NUL");
            RefusedBytes(new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' }, "UTF-8 encoded surrogate");
            RefusedBytes(new byte[] { (byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"' }, "above U+10FFFF");
            RefusedBytes(new byte[] { (byte)'"', 0xE4, 0xB8, (byte)'"' }, "sequence cut by the quote");
            RefusedBytes(new byte[] { (byte)'"', 0x80, (byte)'"' }, "stray continuation byte");
            RefusedBytes(new byte[] { (byte)'[', 0xC3, 0xA9, (byte)']' }, "non-ASCII outside a string");
        }

        [TestMethod]
        public void Nesting_is_bounded()
        {
            string problem;
            Assert.IsNotNull(JsonTree.Parse(Nested(8), 8, out problem), "depth 8 within 8");
            Assert.IsNull(problem, "no problem at the limit");
            Assert.IsNull(JsonTree.Parse(Nested(9), 8, out problem), "depth 9 beyond 8");
            Assert.AreEqual("nesting deeper than 8", problem, "named limit");
            Assert.IsNotNull(JsonTree.Parse(Nested(64), 64, out problem), "the supported maximum");
            Assert.IsNull(JsonTree.Parse(Nested(65), 1000, out problem), "a larger request is capped at 64");
            Assert.AreEqual("nesting deeper than 64", problem, "capped limit");
        }

        [TestMethod]
        public void Every_truncation_of_a_document_is_refused()
        {
            byte[] whole = Encoding.UTF8.GetBytes("{\"id\":\"1\",\"params\":{\"T\":-22.75e1,\"s\":\"\\u00e9\u4e2d\\ud83d\\ude00\",\"a\":[true,false,null]}}");
            string problem;
            Assert.IsNotNull(JsonTree.Parse(whole, 0, whole.Length, 8, out problem), "the whole document");
            for (int length = 0; length < whole.Length; length++)
            {
                Assert.IsNull(JsonTree.Parse(whole, 0, length, 8, out problem), "prefix of " + length.ToString() + " bytes");
                Assert.IsNotNull(problem, "prefix of " + length.ToString() + " bytes has a problem");
            }
        }

        [TestMethod]
        public void Integers_at_the_edges_keep_their_shapes()
        {
            ArrayList list = Array("[2147483647,-2147483648,2147483648,9223372036854775807,-9223372036854775808,9223372036854775808,-0,0]");
            Assert.IsTrue(list[0] is int && (int)list[0] == int.MaxValue, "int.MaxValue is an int");
            Assert.IsTrue(list[1] is int && (int)list[1] == int.MinValue, "int.MinValue is an int");
            Assert.IsTrue(list[2] is long && (long)list[2] == 2147483648L, "beyond int is a long");
            Assert.IsTrue(list[3] is long && (long)list[3] == long.MaxValue, "long.MaxValue");
            Assert.IsTrue(list[4] is long && (long)list[4] == long.MinValue, "long.MinValue");
            Assert.IsTrue(list[5] is double && (double)list[5] == 9223372036854775808.0, "beyond long is a double");
            Assert.IsTrue(list[6] is int && (int)list[6] == 0, "-0 is the integer 0");
        }

        [TestMethod]
        public void Doubles_at_the_edges()
        {
            ArrayList list = Array("[1.7976931348623157e308,-1.7976931348623157e308,5e-324,2.2250738585072014e-308,1e-400,0.1,22.75,1E2,1e+2,-1.5E-3,123456789012345678901234567890]");
            Assert.IsTrue((double)list[0] == double.MaxValue, "double.MaxValue");
            Assert.IsTrue((double)list[1] == double.MinValue, "double.MinValue");
            Assert.IsTrue((double)list[2] == double.Epsilon, "smallest subnormal");
            Assert.IsTrue((double)list[3] == 2.2250738585072014e-308, "smallest normal");
            Assert.IsTrue((double)list[4] == 0, "underflow is 0");
            Assert.IsTrue((double)list[5] == 0.1, "0.1 correctly rounded");
            Assert.IsTrue((double)list[6] == 22.75, "22.75");
            Assert.IsTrue((double)list[7] == 100 && (double)list[8] == 100, "exponent forms");
            Assert.IsTrue((double)list[9] == -0.0015, "negative fraction with exponent");
            Assert.IsTrue((double)list[10] == 1.2345678901234568e29, "more digits than a long holds");

            string problem;
            Assert.IsNull(JsonTree.Parse("[1e309]", 8, out problem), "overflow");
            Assert.AreEqual("number out of range", problem, "overflow is named");
        }

        [TestMethod]
        public void Malformed_numbers_are_refused()
        {
            Refused("[01]", "leading zero");
            Refused("[1.]", "point without digits");
            Refused("[.5]", "no integer part");
            Refused("[-]", "minus alone");
            Refused("[+1]", "plus sign");
            Refused("[1e]", "exponent without digits");
            Refused("[1e+]", "signed exponent without digits");
            Refused("[NaN]", "NaN");
            Refused("[Infinity]", "Infinity");
            Refused("[0x10]", "hex");
        }

        [TestMethod]
        public void Root_arrays_keep_every_element()
        {
            ArrayList list = Array(" [ {\"a\":1}, {\"a\":2}, {\"a\":3} ] ");
            Assert.AreEqual(3, list.Count, "all three objects (nanoFramework.Json kept only the last)");
            Assert.AreEqual(1, (int)((Hashtable)list[0])["a"], "first");
            Assert.AreEqual(3, (int)((Hashtable)list[2])["a"], "last");
            Assert.AreEqual(0, Array("[]").Count, "empty array");
            Assert.AreEqual(0, Object("{}").Count, "empty object");
            string problem;
            Assert.AreEqual("x", (string)JsonTree.Parse("\"x\"", 8, out problem), "a scalar root");
        }

        [TestMethod]
        public void Structure_errors_are_refused()
        {
            Refused("", "empty");
            Refused("   ", "whitespace only");
            Refused("[1,]", "trailing comma in an array");
            Refused("{\"a\":1,}", "trailing comma in an object");
            Refused("{\"a\" 1}", "missing colon");
            Refused("{'a':1}", "single quotes");
            Refused("/*c*/{}", "comment");
            Refused("{} {}", "two documents");
            Refused("{}x", "text after the document");
            Refused("{\"a\":[1 2]}", "missing comma");
            Refused("[}", "mismatched bracket");
            Refused("{1:2}", "number as a name");
            Refused("[tru]", "cut literal");
        }

        [TestMethod]
        public void Repeated_members_keep_the_last_value()
        {
            Assert.AreEqual(2, (int)Object("{\"a\":1,\"a\":2}")["a"], "last wins");
        }

        [TestMethod]
        public void Reader_walks_tokens_and_skips_values()
        {
            JsonReader reader = Reader("{\"skip\":{\"x\":[1,{\"y\":2}]},\"n\":-12,\"t\":true,\"s\":\"v\"}");
            Assert.IsTrue(reader.Read() && reader.Token == JsonToken.StartObject, "start");
            Assert.IsTrue(reader.Read() && reader.ValueEquals("skip"), "first name");
            Assert.IsTrue(reader.Skip(), "skip a nested value");
            Assert.IsTrue(reader.Read() && reader.Token == JsonToken.PropertyName && reader.ValueEquals("n"), "next name after the skipped value");
            long n;
            Assert.IsTrue(reader.Read() && reader.TryGetInt64(out n) && n == -12, "integer");
            double d;
            Assert.IsTrue(reader.TryGetDouble(out d) && d == -12, "integer as double");
            reader.Read();
            Assert.IsTrue(reader.Read() && reader.Token == JsonToken.True, "true");
            reader.Read();
            Assert.IsTrue(reader.Read() && reader.Token == JsonToken.String && reader.GetString() == "v", "string");
            Assert.IsFalse(reader.ValueEquals("vv"), "different length");
            Assert.IsTrue(reader.Read() && reader.Token == JsonToken.EndObject, "end");
            Assert.IsFalse(reader.Read(), "no more tokens");
            Assert.IsTrue(reader.Token == JsonToken.EndOfDocument, "end of document");
            Assert.IsNull(reader.Problem, "no problem");
        }

        // U+1F600 as UTF-8, spelled out so the test does not depend on the runtime's encoder for surrogate pairs.
        private static readonly byte[] GrinningFace = new byte[] { 0xF0, 0x9F, 0x98, 0x80 };

        private static byte[] Join(string before, byte[] middle, string after)
        {
            byte[] a = Encoding.UTF8.GetBytes(before);
            byte[] c = Encoding.UTF8.GetBytes(after);
            byte[] all = new byte[a.Length + middle.Length + c.Length];
            System.Array.Copy(a, 0, all, 0, a.Length);
            System.Array.Copy(middle, 0, all, a.Length, middle.Length);
            System.Array.Copy(c, 0, all, a.Length + middle.Length, c.Length);
            return all;
        }

        private static JsonReader Reader(string json)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            JsonReader reader = new JsonReader();
            reader.Reset(bytes, 0, bytes.Length, 8);
            return reader;
        }

        private static Hashtable Object(string json)
        {
            string problem;
            object root = JsonTree.Parse(json, 8, out problem);
            Assert.IsNull(problem, "parses: " + problem);
            return (Hashtable)root;
        }

        private static ArrayList Array(string json)
        {
            string problem;
            object root = JsonTree.Parse(json, 8, out problem);
            Assert.IsNull(problem, "parses: " + problem);
            return (ArrayList)root;
        }

        private static void Refused(string json, string what)
        {
            RefusedBytes(Encoding.UTF8.GetBytes(json), what);
        }

        private static void RefusedBytes(byte[] bytes, string what)
        {
            string problem;
            object root = JsonTree.Parse(bytes, 0, bytes.Length, 8, out problem);
            Assert.IsNull(root, what + ": no value");
            Assert.IsNotNull(problem, what + ": a problem is named");
        }

        private static string Nested(int depth)
        {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < depth; i++)
            {
                sb.Append(i % 2 == 0 ? "{\"a\":" : "[");
            }

            sb.Append('1');
            for (int i = depth - 1; i >= 0; i--)
            {
                sb.Append(i % 2 == 0 ? "}" : "]");
            }

            return sb.ToString();
        }
    }
}
