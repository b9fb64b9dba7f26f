using System.Collections;
using AliyunIot.Esp32;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest.Hardware
{
    /// <summary>The device's JSON port gives the shapes the core's IJsonParser contract promises.</summary>
    [TestClass]
    public class NanoJsonParserTests
    {
        [TestMethod]
        public void Objects_arrays_and_number_kinds()
        {
            Hashtable root = (Hashtable)new NanoJsonParser().Parse("{\"id\":\"1\",\"params\":{\"Temp\":21.5,\"Power\":1,\"Big\":5000000000,\"On\":true,\"Name\":\"x\",\"None\":null},\"list\":[1,2]}");
            Assert.AreEqual("1", (string)root["id"], "string");
            Hashtable parameters = (Hashtable)root["params"];
            Assert.IsTrue(parameters["Temp"] is double, "fraction -> double");
            Assert.IsTrue(parameters["Power"] is int || parameters["Power"] is long, "integer -> int or long");
            Assert.IsTrue(parameters["Big"] is long || parameters["Big"] is double, "beyond int -> long");
            Assert.IsTrue((bool)parameters["On"], "bool");
            Assert.IsNull(parameters["None"], "null");
            Assert.AreEqual(2, ((ArrayList)root["list"]).Count, "nested array");
        }

        [TestMethod]
        public void Root_array_and_malformed_text()
        {
            ArrayList list = (ArrayList)new NanoJsonParser().Parse(" [ {\"a\":1}, {\"a\":2} ]");
            Assert.AreEqual(2, list.Count, "root array");
            bool refused = false;
            try
            {
                new NanoJsonParser().Parse("\"just a string\"");
            }
            catch (System.Exception)
            {
                refused = true;
            }

            Assert.IsTrue(refused, "a bare scalar is refused");
        }
    }
}
