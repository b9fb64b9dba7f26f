using System.Net;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Registry;
using AliyunIot.Connection;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// TSL struct and array properties end to end (issue 15, item 3): a product whose thing model declares them is
    /// added through the local cloud's control API, a simulated device (the portable core over the real broker,
    /// its thing model built from the same TSL) connects, a set from the control API is validated and applied by the
    /// device, its post shows in the cloud's property view byte for byte, and a set the device's model refuses is
    /// answered by the device with the platform's 460 naming the member or element.
    /// </summary>
    public sealed class CompositePropertyRoundTripTests : IDisposable
    {
        private const string ProductKey = "a1Composite";
        private const string DeviceName = "tracker-01";
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

        private const string Tsl = @"{""properties"":[
            {""identifier"":""Location"",""accessMode"":""rw"",""dataType"":{""type"":""struct"",""specs"":[
                {""identifier"":""Latitude"",""name"":""lat"",""dataType"":{""type"":""double"",""specs"":{""min"":""-90"",""max"":""90"",""step"":""0.01""}}},
                {""identifier"":""Longitude"",""name"":""lon"",""dataType"":{""type"":""double"",""specs"":{""min"":""-180"",""max"":""180"",""step"":""0.01""}}},
                {""identifier"":""Source"",""name"":""src"",""dataType"":{""type"":""enum"",""specs"":{""0"":""gps"",""1"":""cell""}}}]}},
            {""identifier"":""Samples"",""accessMode"":""rw"",""dataType"":{""type"":""array"",""specs"":{""size"":""3"",""item"":{""type"":""int"",""specs"":{""min"":""0"",""max"":""100""}}}}},
            {""identifier"":""Zones"",""accessMode"":""rw"",""dataType"":{""type"":""array"",""specs"":{""size"":""2"",""item"":{""type"":""struct"",""specs"":[
                {""identifier"":""Name"",""name"":""n"",""dataType"":{""type"":""text"",""specs"":{""length"":""8""}}}]}}}}]}";

        private readonly ControlApiRig _rig = new ControlApiRig("composite-e2e");
        private readonly TempFolder _flash = new TempFolder("composite-flash");

        public void Dispose()
        {
            _rig.Dispose();
            _flash.Dispose();
        }

        [Fact]
        public void A_struct_and_arrays_set_from_the_control_api_are_applied_by_the_device_and_shown_as_it_posted_them()
        {
            (HttpStatusCode added, JsonNode product) = Send(HttpMethod.Post, "/product", new JsonObject { ["productKey"] = ProductKey, ["tsl"] = Tsl });
            Assert.Equal(HttpStatusCode.OK, added);
            Assert.Equal(3, (int)product["properties"]);
            RegisteredDevice device = _rig.Cloud.Register(ProductKey, DeviceName);
            _rig.Log.Secret(device.DeviceSecret);

            var output = new StringWriter();
            using var simulated = new SimulatedDevice(
                new SimulatorOptions { FlashDirectory = _flash.Path, ConfigFile = device.ConfigPath, SamplePeriodMs = 0, LogWriter = output },
                _rig.Cloud.Registry.ModelOf(ProductKey));
            simulated.PowerOn();
            Assert.True(SimulatedDevice.WaitUntil(() => simulated.Status == ConnectionStatus.Connected, Wait), output.ToString());

            // The set goes out, the device validates and stores it, answers 200 and posts what changed.
            JsonObject set = Request(new JsonObject
            {
                ["Location"] = new JsonObject { ["Latitude"] = 31.2, ["Longitude"] = 121.5, ["Source"] = 1 },
                ["Samples"] = new JsonArray(1, 50, 100),
                ["Zones"] = new JsonArray(new JsonObject { ["Name"] = "hall" }, new JsonObject { ["Name"] = "attic" }),
            });
            (HttpStatusCode status, JsonNode result) = Send(HttpMethod.Post, "/set", set);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(200, (int)result["code"]);

            // The property view holds the device's own post: members in TSL order, doubles with the step's decimals.
            Assert.True(_rig.Cloud.WaitUntil(() => Value("Zones") != null, Wait), output.ToString());
            Assert.Equal("{\"Latitude\":31.20,\"Longitude\":121.50,\"Source\":1}", Value("Location"));
            Assert.Equal("[1,50,100]", Value("Samples"));
            Assert.Equal("[{\"Name\":\"hall\"},{\"Name\":\"attic\"}]", Value("Zones"));
            Assert.Equal(0, (int)State()["postsRefused"]);
            object[] samples = (object[])simulated.Application.Model.GetValue("Samples");
            Assert.Equal(new object[] { 1, 50, 100 }, samples);

            // Sent past the cloud's own check, a set that breaks the model is refused by the device itself, with the
            // platform's 460 naming the element, and changes nothing.
            JsonObject tooMany = Request(new JsonObject { ["Samples"] = new JsonArray(1, 2, 3, 4) });
            tooMany["validate"] = false;
            (_, JsonNode refused) = Send(HttpMethod.Post, "/set", tooMany);
            Assert.Equal(460, (int)refused["code"]);
            Assert.Equal("property Samples: 4 elements, at most 3", (string)refused["message"]);

            JsonObject badMember = Request(new JsonObject { ["Location"] = new JsonObject { ["Latitude"] = 91.0 } });
            badMember["validate"] = false;
            (_, JsonNode refusedMember) = Send(HttpMethod.Post, "/set", badMember);
            Assert.Equal(460, (int)refusedMember["code"]);
            Assert.Equal("property Location: member Latitude: above maximum 90", (string)refusedMember["message"]);
            Assert.Equal("[1,50,100]", Value("Samples"));
            Assert.Equal(new object[] { 1, 50, 100 }, (object[])simulated.Application.Model.GetValue("Samples"));

            // With its check on, the cloud refuses the same set itself (what its console does), naming the element.
            (_, JsonNode checkedByCloud) = Send(HttpMethod.Post, "/set", Request(new JsonObject { ["Samples"] = new JsonArray(1, 101) }));
            Assert.Equal(6304, (int)checkedByCloud["code"]);
            Assert.Contains("Samples[1]", (string)checkedByCloud["message"]);
            SecretAssert.NotIn(device.DeviceSecret, output.ToString(), "the simulator output");
        }

        private static JsonObject Request(JsonObject parameters) =>
            new JsonObject { ["productKey"] = ProductKey, ["deviceName"] = DeviceName, ["params"] = parameters };

        private JsonNode State() => Send(HttpMethod.Get, "/state?productKey=" + ProductKey + "&deviceName=" + DeviceName, null).Body;

        private string Value(string identifier) => State()["properties"]?[identifier]?["value"]?.ToJsonString();

        private (HttpStatusCode Status, JsonNode Body) Send(HttpMethod method, string path, JsonObject body) => _rig.Send(method, path, body?.ToJsonString());
    }
}
