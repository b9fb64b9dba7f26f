using System.Text.Json.Nodes;
using AliyunIot.Cloud.Tsl;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>The local cloud refuses posts and commands that break the registered thing model, naming the field.</summary>
    public class CloudThingModelTests
    {
        private static readonly ThingModelDefinition Model = ThingModelDefinition.LoadDemo();

        [Fact]
        public void Accepts_bare_and_timestamped_values_of_the_right_type()
        {
            var post = JsonNode.Parse("{\"Temperature\":21.5,\"Humidity\":{\"value\":44.0,\"time\":1524448722000},\"LightSwitch\":1,\"Label\":\"hall\"}");
            Assert.Null(Model.CheckPropertyPost(post));
        }

        [Theory]
        [InlineData("{\"Nope\":1}", TslCodes.UnknownProperty, "Nope")]
        [InlineData("{\"Temperature\":\"hot\"}", TslCodes.TypeMismatch, "Temperature")]
        [InlineData("{\"Temperature\":126.0}", TslCodes.OutOfRange, "Temperature")]
        [InlineData("{\"Brightness\":2.5}", TslCodes.TypeMismatch, "Brightness")]
        [InlineData("{\"LightSwitch\":2}", TslCodes.OutOfRange, "LightSwitch")]
        [InlineData("{\"Label\":\"0123456789012345678901234567890123\"}", TslCodes.OutOfRange, "Label")]
        [InlineData("{}", TslCodes.BadFormat, "params")]
        [InlineData("[1]", TslCodes.BadFormat, "params")]
        public void Refuses_a_post_that_breaks_the_model_with_a_6xxx_code_naming_the_field(string parameters, int code, string field)
        {
            TslViolation violation = Model.CheckPropertyPost(JsonNode.Parse(parameters));
            Assert.NotNull(violation);
            Assert.Equal(code, violation.Code);
            Assert.Contains(field, violation.Message);
            Assert.InRange(violation.Code, 6000, 6999);
        }

        private const string CompositeTsl = @"{""properties"":[
            {""identifier"":""Location"",""accessMode"":""rw"",""dataType"":{""type"":""struct"",""specs"":[
                {""identifier"":""Latitude"",""name"":""lat"",""dataType"":{""type"":""double"",""specs"":{""min"":""-90"",""max"":""90""}}},
                {""identifier"":""Longitude"",""name"":""lon"",""dataType"":{""type"":""double"",""specs"":{""min"":""-180"",""max"":""180""}}},
                {""identifier"":""Source"",""name"":""src"",""dataType"":{""type"":""enum"",""specs"":{""0"":""gps"",""1"":""cell""}}}]}},
            {""identifier"":""Samples"",""accessMode"":""r"",""dataType"":{""type"":""array"",""specs"":{""size"":""3"",""item"":{""type"":""int"",""specs"":{""min"":""0"",""max"":""100""}}}}},
            {""identifier"":""Zones"",""accessMode"":""rw"",""dataType"":{""type"":""array"",""specs"":{""size"":""2"",""item"":{""type"":""struct"",""specs"":[
                {""identifier"":""Name"",""name"":""n"",""dataType"":{""type"":""text"",""specs"":{""length"":""8""}}}]}}}}]}";

        [Fact]
        public void Struct_and_array_properties_are_accepted_at_product_add_and_checked_member_by_member()
        {
            ThingModelDefinition model = ThingModelDefinition.Parse(CompositeTsl);

            Assert.Null(model.CheckPropertyPost(JsonNode.Parse("{\"Location\":{\"Latitude\":31.2,\"Longitude\":121.5,\"Source\":0},\"Samples\":[1,50,100],\"Zones\":[{\"Name\":\"hall\"}]}")));
            Assert.Null(model.CheckPropertyPost(JsonNode.Parse("{\"Location\":{\"Latitude\":31.2}}")));
        }

        [Theory]
        [InlineData("{\"Location\":{\"Latitude\":91.0}}", TslCodes.OutOfRange, "Location.Latitude")]
        [InlineData("{\"Location\":{\"Altitude\":5}}", TslCodes.UnknownProperty, "Location.Altitude")]
        [InlineData("{\"Location\":[1,2]}", TslCodes.TypeMismatch, "Location")]
        [InlineData("{\"Samples\":[1,2,3,4]}", TslCodes.OutOfRange, "Samples")]
        [InlineData("{\"Samples\":[1,101]}", TslCodes.OutOfRange, "Samples[1]")]
        [InlineData("{\"Samples\":{\"a\":1}}", TslCodes.TypeMismatch, "Samples")]
        [InlineData("{\"Zones\":[{\"Name\":\"far too long\"}]}", TslCodes.OutOfRange, "Zones[0].Name")]
        public void A_struct_or_array_value_that_breaks_the_model_is_refused_naming_the_member(string post, int code, string field)
        {
            TslViolation violation = ThingModelDefinition.Parse(CompositeTsl).CheckPropertyPost(JsonNode.Parse(post));

            Assert.NotNull(violation);
            Assert.Equal(code, violation.Code);
            Assert.Contains(field + ":", violation.Message);
        }

        [Theory]
        [InlineData("{\"type\":\"struct\",\"specs\":[]}", "non-empty array of members")]
        [InlineData("{\"type\":\"struct\",\"specs\":[{\"identifier\":\"a\",\"dataType\":{\"type\":\"struct\",\"specs\":[{\"identifier\":\"b\",\"dataType\":{\"type\":\"int\"}}]}}]}", "cannot be a struct")]
        [InlineData("{\"type\":\"array\",\"specs\":{\"size\":\"513\",\"item\":{\"type\":\"int\"}}}", "1 to 512")]
        [InlineData("{\"type\":\"array\",\"specs\":{\"size\":\"2\",\"item\":{\"type\":\"bool\"}}}", "not bool")]
        public void A_malformed_struct_or_array_definition_is_refused_at_product_add(string dataType, string reason)
        {
            string tsl = "{\"properties\":[{\"identifier\":\"X\",\"accessMode\":\"rw\",\"dataType\":" + dataType + "}]}";

            var refused = Assert.Throws<FormatException>(() => ThingModelDefinition.Parse(tsl));

            Assert.Contains(reason, refused.Message);
        }

        [Fact]
        public void The_simulated_device_models_struct_and_array_properties_as_the_tsl_declares_them()
        {
            AliyunIot.Thing.ThingModel device = AliyunIot.Simulator.Device.ThingModelFromTsl.Build(ThingModelDefinition.Parse(CompositeTsl));

            AliyunIot.Thing.PropertyDefinition location = device.FindProperty("Location");
            Assert.Equal(AliyunIot.Thing.PropertyType.Struct, location.Type);
            Assert.Equal(new[] { "Latitude", "Longitude", "Source" }, Enumerable.Range(0, location.Members.Count).Select(i => location.Members.Get(i).Identifier));
            Assert.Equal(90, location.Members.Find("Latitude").Max);
            AliyunIot.Thing.PropertyDefinition zones = device.FindProperty("Zones");
            Assert.Equal(AliyunIot.Thing.PropertyType.Array, zones.Type);
            Assert.Equal(2, zones.MaxLength);
            Assert.Equal(AliyunIot.Thing.PropertyType.Struct, zones.Item.Type);
            Assert.Equal(8, zones.Item.Members.Find("Name").MaxLength);
            Assert.Equal(AliyunIot.Thing.PropertyAccess.ReadOnly, device.FindProperty("Samples").Access);
        }

        [Fact]
        public void Refuses_setting_a_read_only_property()
        {
            TslViolation violation = Model.CheckPropertySet(new JsonObject { ["Temperature"] = 20.0 });
            Assert.Contains("read-only", violation.Message);
            Assert.Null(Model.CheckPropertySet(new JsonObject { ["LightSwitch"] = 1, ["Brightness"] = 80 }));
        }

        [Fact]
        public void Checks_event_outputs_and_service_inputs()
        {
            Assert.Null(Model.CheckEventPost("HighTemperature", JsonNode.Parse("{\"value\":{\"Temperature\":31.5},\"time\":1524448722000}")));
            Assert.Equal(TslCodes.UnknownMethod, Model.CheckEventPost("Fire", JsonNode.Parse("{\"value\":{}}")).Code);
            Assert.Equal(TslCodes.OutOfRange, Model.CheckEventPost("HighTemperature", JsonNode.Parse("{\"value\":{\"Temperature\":300.0}}")).Code);
            Assert.Null(Model.CheckServiceInput("Blink", new JsonObject { ["Times"] = 3 }));
            Assert.Equal(TslCodes.OutOfRange, Model.CheckServiceInput("Blink", new JsonObject { ["Times"] = 11 }).Code);
            Assert.Equal(TslCodes.UnknownMethod, Model.CheckServiceInput("Explode", new JsonObject()).Code);
            Assert.True(Model.FindService("Diagnose").Synchronous);
            Assert.False(Model.FindService("Blink").Synchronous);
        }

        [Fact]
        public void A_broken_thing_model_document_is_refused_with_the_field()
        {
            var e = Assert.Throws<FormatException>(() => ThingModelDefinition.Parse("{\"properties\":[{\"identifier\":\"X\",\"dataType\":{\"type\":\"int\",\"specs\":{\"min\":\"low\"}}}]}"));
            Assert.Contains("min", e.Message);
        }
    }
}
