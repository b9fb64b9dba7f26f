using System.Text;
using AliyunIot.Json;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>The core's UTF-8 JSON writer on the nanoCLR: exact bytes for the shapes Alink messages use.</summary>
    [TestClass]
    public class JsonWriterTests
    {
        [TestMethod]
        public void Alink_post_shape_is_written_exactly()
        {
            JsonWriter writer = new JsonWriter(64, 1024);
            writer.BeginObject();
            writer.Property("id", "42");
            writer.Property("version", "1.0");
            writer.Name("params");
            writer.BeginObject();
            writer.Name("temperature");
            writer.Double(23.456, 1);
            writer.Property("switch", 1);
            writer.Property("ok", true);
            writer.EndObject();
            writer.Property("method", "thing.event.property.post");
            writer.EndObject();

            Assert.AreEqual(
                "{\"id\":\"42\",\"version\":\"1.0\",\"params\":{\"temperature\":23.5,\"switch\":1,\"ok\":true},\"method\":\"thing.event.property.post\"}",
                Text(writer),
                "property post");
        }

        [TestMethod]
        public void Arrays_nulls_and_negative_numbers()
        {
            JsonWriter writer = new JsonWriter(8, 256);
            writer.BeginArray();
            writer.Long(-9007199254740993);
            writer.Null();
            writer.String(null);
            writer.BeginArray();
            writer.EndArray();
            writer.BeginObject();
            writer.EndObject();
            writer.Bool(false);
            writer.EndArray();

            Assert.AreEqual("[-9007199254740993,null,null,[],{},false]", Text(writer), "array");
        }

        [TestMethod]
        public void Doubles_carry_exactly_the_declared_decimals()
        {
            Assert.AreEqual("10.0", Number(10, 1), "10 with one decimal");
            Assert.AreEqual("3.3", Number(3.3, 1), "3.3 with one decimal");
            Assert.AreEqual("2.3", Number(2.25, 1), "2.25 rounds half away from zero");
            Assert.AreEqual("-2.3", Number(-2.25, 1), "-2.25 rounds half away from zero");
            Assert.AreEqual("7", Number(7.4, 0), "no decimals");
            Assert.AreEqual("0.125", Number(0.125, 3), "three decimals");
        }

        [TestMethod]
        public void Strings_are_escaped_and_utf8_encoded()
        {
            JsonWriter writer = new JsonWriter(8, 256);
            writer.String("a\"b\\c\n\t\u0001温");
            byte[] expected = new byte[]
            {
                (byte)'"', (byte)'a', (byte)'\\', (byte)'"', (byte)'b', (byte)'\\', (byte)'\\', (byte)'c',
                (byte)'\\', (byte)'n', (byte)'\\', (byte)'t', (byte)'\\', (byte)'u', (byte)'0', (byte)'0', (byte)'0', (byte)'1',
                0xE6, 0xB8, 0xA9, (byte)'"',
            };
            CollectionAssert.AreEqual(expected, writer.ToArray(), "escaped UTF-8 bytes");
        }

        [TestMethod]
        public void Reset_reuses_the_buffer_for_the_next_message()
        {
            JsonWriter writer = new JsonWriter(16, 64);
            writer.BeginObject();
            writer.Property("a", 1);
            writer.EndObject();
            writer.Reset();
            writer.BeginObject();
            writer.Property("b", 2);
            writer.EndObject();
            Assert.AreEqual("{\"b\":2}", Text(writer), "after Reset");
        }

        [TestMethod]
        public void Writing_past_the_maximum_capacity_is_refused()
        {
            JsonWriter writer = new JsonWriter(4, 8);
            bool refused = false;
            try
            {
                writer.String("0123456789");
            }
            catch (System.InvalidOperationException)
            {
                refused = true;
            }

            Assert.IsTrue(refused, "a 12-byte string in an 8-byte writer must be refused");
        }

        private static string Number(double value, int decimals)
        {
            JsonWriter writer = new JsonWriter(16, 64);
            writer.Double(value, decimals);
            return Text(writer);
        }

        private static string Text(JsonWriter writer)
        {
            return Encoding.UTF8.GetString(writer.Buffer, 0, writer.Length);
        }
    }
}
