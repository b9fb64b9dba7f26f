using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Components
{
    /// <summary>The control API's remote config and device log routes (what `cloud config`, `cloud log` and `cloud logs` send).</summary>
    public sealed class ComponentsControlApiTests : IDisposable
    {
        private readonly ControlApiRig _rig = new ControlApiRig("components-control");

        private LocalCloud _cloud => _rig.Cloud;

        private ControlServer _control => _rig.Control;

        private HttpClient _http => _rig.Http;

        private CapturingLog _log => _rig.Log;

        public void Dispose() => _rig.Dispose();

        [Fact]
        public void A_config_is_set_and_a_log_switch_pushed_and_read_back_through_the_control_api()
        {
            _cloud.Register(null, "api-dev-01");

            (HttpStatusCode set, JsonNode config) = Send(HttpMethod.Post, "/config", "{\"content\":\"{\\\"TargetTemperature\\\":22.0}\"}");
            Assert.Equal(HttpStatusCode.OK, set);
            Assert.Equal(26, (int)config["configSize"]);
            Assert.Equal((string)config["configId"], _cloud.RemoteConfig.ConfigId("a1SimLamp01"));

            (HttpStatusCode big, JsonNode refused) = Send(HttpMethod.Post, "/config", new JsonObject { ["contentBase64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("[" + new string(' ', 70000) + "]")) }.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, big);
            Assert.Equal("a remote config file is 1 to 65536 bytes (this one: 70002)", (string)refused["error"]);

            (HttpStatusCode logged, JsonNode pushed) = Send(HttpMethod.Post, "/log", "{\"deviceName\":\"api-dev-01\",\"mode\":1,\"level\":\"info\"}");
            Assert.Equal(HttpStatusCode.OK, logged);
            Assert.Equal("{\"mode\":1,\"logLevel\":\"INFO\"}", pushed["pushed"]["params"]["content"].ToJsonString());

            (HttpStatusCode read, JsonNode logs) = Send(HttpMethod.Get, "/logs?deviceName=api-dev-01", null);
            Assert.Equal(HttpStatusCode.OK, read);
            Assert.Equal("{\"mode\":1,\"level\":\"INFO\",\"lines\":[]}", logs.ToJsonString());

            (HttpStatusCode badMode, JsonNode why) = Send(HttpMethod.Post, "/log", "{\"deviceName\":\"api-dev-01\",\"mode\":3}");
            Assert.Equal(HttpStatusCode.BadRequest, badMode);
            Assert.Equal("mode is 0 (off) or 1 (on)", (string)why["error"]);
        }

        private (HttpStatusCode Status, JsonNode Body) Send(HttpMethod method, string path, string body) => _rig.Send(method, path, body);
    }
}
