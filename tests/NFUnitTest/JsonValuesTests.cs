using System.Collections;
using AliyunIot.Json;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// Typed reads over the parser port's Hashtable/ArrayList shapes on the nanoCLR: every boxed number width
    /// accepted where a number is wanted, ids only as decimal strings or non-negative integers, and every failure a
    /// JsonFieldException naming the field and what was expected.
    /// </summary>
    [TestClass]
    public class JsonValuesTests
    {
        [TestMethod]
        public void Ids_are_decimal_strings_or_non_negative_integers()
        {
            Assert.AreEqual("123", JsonValues.GetId(Obj("{\"id\":\"123\"}")), "string");
            Assert.AreEqual("123", JsonValues.GetId(Obj("{\"id\":123}")), "int");
            Assert.AreEqual("4294967296", JsonValues.GetId(Obj("{\"id\":4294967296}")), "long");
        }

        [TestMethod]
        public void Bad_ids_are_refused_naming_the_expectation()
        {
            Assert.AreEqual("field id: missing", IdError("{}"), "missing");
            Assert.AreEqual("field id: expected 1..19 decimal digits", IdError("{\"id\":\"5|exp\"}"), "not digits");
            Assert.AreEqual("field id: expected 1..19 decimal digits", IdError("{\"id\":\"\"}"), "empty");
            Assert.AreEqual("field id: expected 1..19 decimal digits", IdError("{\"id\":\"12345678901234567890\"}"), "20 digits");
            Assert.AreEqual("field id: expected a decimal string or a non-negative integer", IdError("{\"id\":-1}"), "negative");
            Assert.AreEqual("field id: expected a decimal string or a non-negative integer", IdError("{\"id\":1.5}"), "fraction");
        }

        [TestMethod]
        public void Typed_accessors_read_their_type()
        {
            Hashtable obj = Obj("{\"s\":\"t\",\"n\":3,\"f\":2.5,\"b\":false,\"o\":{},\"a\":[]}");
            Assert.AreEqual("t", JsonValues.GetString(obj, "s"), "string");
            Assert.AreEqual(3L, JsonValues.GetLong(obj, "n"), "long");
            Assert.IsTrue(JsonValues.GetDouble(obj, "f") == 2.5, "double");
            Assert.IsTrue(JsonValues.GetDouble(obj, "n") == 3.0, "an integer is a number");
            Assert.IsFalse(JsonValues.GetBool(obj, "b"), "bool");
            Assert.IsNotNull(JsonValues.GetOptionalObject(obj, "o"), "object");
            Assert.IsNotNull(JsonValues.GetOptionalArray(obj, "a"), "array");
            Assert.IsNull(JsonValues.GetOptionalObject(obj, "zz"), "absent optional");
            Assert.IsNull(JsonValues.GetOptionalString(obj, "zz"), "absent optional string");
        }

        [TestMethod]
        public void Typed_accessors_name_the_field_and_the_expectation()
        {
            Hashtable obj = Obj("{\"s\":\"t\",\"n\":3,\"f\":2.5,\"o\":{},\"a\":[]}");
            Assert.AreEqual("field s: expected number", Error(obj, "double", "s"), "double of a string");
            Assert.AreEqual("field f: expected integer", Error(obj, "long", "f"), "long of a fraction");
            Assert.AreEqual("field n: expected string", Error(obj, "string", "n"), "string of a number");
            Assert.AreEqual("field x: missing", Error(obj, "string", "x"), "missing");
            Assert.AreEqual("field n: expected true or false", Error(obj, "bool", "n"), "bool of a number");
            Assert.AreEqual("field a: expected object", Error(obj, "object", "a"), "object of an array");
            Assert.AreEqual("field o: expected array", Error(obj, "array", "o"), "array of an object");
        }

        [TestMethod]
        public void Every_boxed_number_width_is_a_number()
        {
            Assert.IsTrue(JsonValues.IsInteger((byte)1) && JsonValues.IsInteger((short)1) && JsonValues.IsInteger(1) && JsonValues.IsInteger(1L) && JsonValues.IsInteger((ulong)1), "integers");
            Assert.IsFalse(JsonValues.IsInteger(1.0), "a double is not an integer");
            Assert.IsTrue(JsonValues.IsNumber(1.5f) && JsonValues.IsNumber(1.5), "floating point");
            Assert.IsFalse(JsonValues.IsNumber("1"), "a string is not a number");
            long value;
            Assert.IsFalse(JsonValues.TryToLong(ulong.MaxValue, out value), "ulong above long.MaxValue");
            Assert.IsTrue(JsonValues.TryToLong((uint)4294967295, out value) && value == 4294967295L, "uint");
        }

        private static Hashtable Obj(string json)
        {
            return (Hashtable)new TinyJsonParser().Parse(json);
        }

        private static string IdError(string json)
        {
            try
            {
                return "(accepted " + JsonValues.GetId(Obj(json)) + ")";
            }
            catch (JsonFieldException e)
            {
                return e.Message;
            }
        }

        private static string Error(Hashtable obj, string kind, string name)
        {
            try
            {
                switch (kind)
                {
                    case "double":
                        JsonValues.GetDouble(obj, name);
                        break;
                    case "long":
                        JsonValues.GetLong(obj, name);
                        break;
                    case "string":
                        JsonValues.GetString(obj, name);
                        break;
                    case "bool":
                        JsonValues.GetBool(obj, name);
                        break;
                    case "object":
                        JsonValues.GetOptionalObject(obj, name);
                        break;
                    default:
                        JsonValues.GetOptionalArray(obj, name);
                        break;
                }

                return "(accepted)";
            }
            catch (JsonFieldException e)
            {
                return e.Message;
            }
        }
    }
}
