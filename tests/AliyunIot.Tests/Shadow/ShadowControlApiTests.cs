using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Tests.Simulation;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Shadow
{
    /// <summary>
    /// The shadow and tags through the local cloud's control API (what `cloud shadow`, `cloud tags`, `cloud state` and
    /// the console use): desired state set and pushed to the device, a stale version refused with 409, the shadow and
    /// tags shown in the device's state.
    /// </summary>
    public sealed class ShadowControlApiTests : IDisposable
    {
        private readonly ControlApiRig _rig = new ControlApiRig("cloud-shadow-api");

        private LocalCloud _cloud => _rig.Cloud;

        private ControlServer _control => _rig.Control;

        private HttpClient _http => _rig.Http;

        private CapturingLog _log => _rig.Log;

        public void Dispose() => _rig.Dispose();

        private JsonNode Send(HttpMethod method, string path, string body, HttpStatusCode expected = HttpStatusCode.OK)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body != null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using HttpResponseMessage response = _http.Send(request);
            string text = response.Content.ReadAsStringAsync().Result;
            Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
            return JsonNode.Parse(text);
        }

        [Fact]
        public void Desired_state_is_set_and_pushed_and_shadow_and_tags_are_shown()
        {
            RegisteredDevice device = _cloud.Register(null, "api-0001");
            _log.Secret(device.DeviceSecret);
            using var raw = new RawDevice(_cloud, device);
            raw.Subscribe($"/shadow/get/{device.ProductKey}/{device.DeviceName}");
            string sys = $"/sys/{device.ProductKey}/{device.DeviceName}/thing/deviceinfo/";
            raw.Subscribe(sys + "update_reply");
            raw.Publish(sys + "update", "{\"id\":\"1\",\"version\":\"1.0\",\"params\":[{\"attrKey\":\"site\",\"attrValue\":\"lab\"}],\"method\":\"thing.deviceinfo.update\"}");
            Assert.Contains("\"code\":200", raw.Next(TimeSpan.FromSeconds(10)).Payload);

            JsonNode set = Send(HttpMethod.Post, "/shadow", "{\"deviceName\":\"api-0001\",\"desired\":{\"mode\":\"eco\"},\"version\":4}");
            Assert.Equal("{\"code\":200,\"version\":4,\"message\":\"success\"}", set.ToJsonString());
            Assert.StartsWith("{\"method\":\"control\",", raw.Next(TimeSpan.FromSeconds(10)).Payload);

            JsonNode stale = Send(HttpMethod.Post, "/shadow", "{\"deviceName\":\"api-0001\",\"desired\":{\"mode\":\"off\"},\"version\":4}");
            Assert.Equal("{\"code\":409,\"version\":4,\"message\":\"shadow version conflict\"}", stale.ToJsonString());

            JsonNode shadow = Send(HttpMethod.Get, "/shadow?deviceName=api-0001", null);
            Assert.Equal("{\"desired\":{\"mode\":\"eco\"}}", shadow["state"].ToJsonString());
            Assert.Equal(4, (long)shadow["version"]);
            Assert.Equal("{\"site\":\"lab\"}", Send(HttpMethod.Get, "/tags?deviceName=api-0001", null).ToJsonString());

            JsonNode state = Send(HttpMethod.Get, "/state?deviceName=api-0001", null);
            Assert.Equal(4, (long)state["shadow"]["version"]);
            Assert.Equal("lab", (string)state["tags"]["site"]);
            Assert.Contains("describeShadow(d.shadow, d.tags)", _http.GetStringAsync("/").Result);
        }

        [Fact]
        public void Bad_shadow_commands_are_refused_with_the_reason()
        {
            _cloud.Register(null, "api-0002");
            Assert.Contains("desired must be a JSON object", (string)Send(HttpMethod.Post, "/shadow", "{\"deviceName\":\"api-0002\",\"desired\":\"eco\"}", HttpStatusCode.BadRequest)["error"]);
            Assert.Contains("at least one attribute", (string)Send(HttpMethod.Post, "/shadow", "{\"deviceName\":\"api-0002\",\"desired\":{}}", HttpStatusCode.BadRequest)["error"]);
            Assert.Contains("not registered", (string)Send(HttpMethod.Get, "/shadow?deviceName=nobody-01", null, HttpStatusCode.BadRequest)["error"]);
        }
    }
}
