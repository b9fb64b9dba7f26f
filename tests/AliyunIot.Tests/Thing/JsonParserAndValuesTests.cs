using System.Collections;
using AliyunIot.Tests.Support;
using AliyunIot.Json;
using Xunit;

namespace AliyunIot.Tests.Thing
{
    /// <summary>The core's tree parser (JsonTree, the device's) gives the documented shapes; JsonValues reads them.</summary>
    public class JsonParserAndValuesTests
    {
        [Fact]
        public void Parser_produces_the_nanoFramework_shapes()
        {
            var root = (Hashtable)CoreJson.Parse("{\"i\":7,\"big\":4294967296,\"d\":1.0,\"e\":1e3,\"huge\":99999999999999999999,\"s\":\"x\",\"b\":true,\"n\":null,\"a\":[1,\"y\",{}],\"o\":{\"k\":-2}}");
            Assert.IsType<int>(root["i"]);
            Assert.Equal(7, root["i"]);
            Assert.IsType<long>(root["big"]);
            Assert.Equal(4294967296L, root["big"]);
            Assert.IsType<double>(root["d"]);
            Assert.IsType<double>(root["e"]);
            Assert.Equal(1000.0, root["e"]);
            Assert.IsType<double>(root["huge"]);
            Assert.Equal("x", root["s"]);
            Assert.Equal(true, root["b"]);
            Assert.True(root.Contains("n"));
            Assert.Null(root["n"]);
            var array = Assert.IsType<ArrayList>(root["a"]);
            Assert.Equal(3, array.Count);
            Assert.IsType<Hashtable>(array[2]);
            Assert.Equal(-2, ((Hashtable)root["o"])["k"]);
        }

        [Fact]
        public void Parser_keeps_the_last_of_repeated_members_and_throws_on_malformed_text()
        {
            var root = (Hashtable)CoreJson.Parse("{\"a\":1,\"a\":2}");
            Assert.Equal(2, root["a"]);
            Assert.ThrowsAny<Exception>(() => CoreJson.Parse("{\"a\":}"));
            Assert.ThrowsAny<Exception>(() => CoreJson.Parse("{'a':1}"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("{} {}")]
        [InlineData("{}x")]
        [InlineData("[1,]")]
        [InlineData("{\"a\":1,}")]
        [InlineData("/*c*/{}")]
        [InlineData("{\"a\":[1 2]}")]
        [InlineData("{\"a\":01}")]
        [InlineData("{\"a\":NaN}")]
        public void Parser_refuses_text_that_is_not_exactly_one_JSON_value(string text)
        {
            Assert.ThrowsAny<Exception>(() => CoreJson.Parse(text));
        }

        [Fact]
        public void Parser_refuses_a_lone_surrogate_but_reads_escapes_and_pairs()
        {
            Assert.ThrowsAny<Exception>(() => CoreJson.Parse("{\"a\":\"\ud800\"}"));
            var root = (Hashtable)CoreJson.Parse("{\"\\u0061\":\"caf\\u00e9 \ud83d\ude00\\n\"}");
            Assert.Equal("caf\u00e9 \ud83d\ude00\n", root["a"]);
        }

        [Fact]
        public void Id_is_accepted_as_decimal_string_or_number_only()
        {
            Assert.Equal("123", JsonValues.GetId((Hashtable)CoreJson.Parse("{\"id\":\"123\"}")));
            Assert.Equal("123", JsonValues.GetId((Hashtable)CoreJson.Parse("{\"id\":123}")));
            Assert.Equal("4294967296", JsonValues.GetId((Hashtable)CoreJson.Parse("{\"id\":4294967296}")));
            Assert.Equal("field id: missing", Assert.Throws<JsonFieldException>(() => JsonValues.GetId(new Hashtable())).Message);
            Assert.Equal("field id: expected 1..19 decimal digits", Assert.Throws<JsonFieldException>(() => JsonValues.GetId((Hashtable)CoreJson.Parse("{\"id\":\"5|exp\"}"))).Message);
            Assert.Equal("field id: expected 1..19 decimal digits", Assert.Throws<JsonFieldException>(() => JsonValues.GetId((Hashtable)CoreJson.Parse("{\"id\":\"\"}"))).Message);
            Assert.Equal("field id: expected a decimal string or a non-negative integer", Assert.Throws<JsonFieldException>(() => JsonValues.GetId((Hashtable)CoreJson.Parse("{\"id\":-1}"))).Message);
            Assert.Equal("field id: expected a decimal string or a non-negative integer", Assert.Throws<JsonFieldException>(() => JsonValues.GetId((Hashtable)CoreJson.Parse("{\"id\":1.5}"))).Message);
        }

        [Fact]
        public void Typed_accessors_name_the_field_and_the_expectation()
        {
            var obj = (Hashtable)CoreJson.Parse("{\"s\":\"t\",\"n\":3,\"f\":2.5,\"b\":false,\"o\":{},\"a\":[]}");
            Assert.Equal("t", JsonValues.GetString(obj, "s"));
            Assert.Equal(3L, JsonValues.GetLong(obj, "n"));
            Assert.Equal(2.5, JsonValues.GetDouble(obj, "f"));
            Assert.Equal(3.0, JsonValues.GetDouble(obj, "n"));
            Assert.False(JsonValues.GetBool(obj, "b"));
            Assert.NotNull(JsonValues.GetOptionalObject(obj, "o"));
            Assert.NotNull(JsonValues.GetOptionalArray(obj, "a"));
            Assert.Null(JsonValues.GetOptionalObject(obj, "zz"));
            Assert.Equal("field s: expected number", Assert.Throws<JsonFieldException>(() => JsonValues.GetDouble(obj, "s")).Message);
            Assert.Equal("field f: expected integer", Assert.Throws<JsonFieldException>(() => JsonValues.GetLong(obj, "f")).Message);
            Assert.Equal("field n: expected string", Assert.Throws<JsonFieldException>(() => JsonValues.GetString(obj, "n")).Message);
            Assert.Equal("field x: missing", Assert.Throws<JsonFieldException>(() => JsonValues.GetString(obj, "x")).Message);
            Assert.Equal("field n: expected true or false", Assert.Throws<JsonFieldException>(() => JsonValues.GetBool(obj, "n")).Message);
            Assert.Equal("field a: expected object", Assert.Throws<JsonFieldException>(() => JsonValues.GetOptionalObject(obj, "a")).Message);
            Assert.Equal("field o: expected array", Assert.Throws<JsonFieldException>(() => JsonValues.GetOptionalArray(obj, "o")).Message);
        }
    }
}
