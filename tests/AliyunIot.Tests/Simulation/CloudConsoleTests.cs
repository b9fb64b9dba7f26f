using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// The local cloud's web console: one page on the control URL that drives the same JSON routes as the CLI,
    /// and a control API that a page from another web origin (open in the same browser) cannot use.
    /// </summary>
    public sealed class CloudConsoleTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder("cloud-console");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly LocalCloud _cloud;
        private readonly ControlServer _control;
        private readonly HttpClient _http;

        public CloudConsoleTests()
        {
            _cloud = CloudHosting.Start(_temp.Path, _log);
            _control = new ControlServer(_cloud, _log);
            _http = new HttpClient { BaseAddress = new Uri(_control.Url) };
            _log.Secret(_control.Token);
        }

        public void Dispose()
        {
            _http.Dispose();
            _control.Dispose();
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void The_console_page_is_served_at_the_control_url_and_lists_devices_through_the_api()
        {
            RegisteredDevice device = _cloud.Register(null, "console-01");
            _log.Secret(device.DeviceSecret);

            using HttpResponseMessage page = _http.GetAsync("/").Result;
            string html = page.Content.ReadAsStringAsync().Result;
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType.MediaType);
            Assert.Contains("<title>Local cloud console</title>", html);
            Assert.Contains("api(\"/devices\")", html);
            SecretAssert.NotIn(_control.Token, html, "the console page");
            Assert.DoesNotContain("innerHTML", html);

            // What the page's refresh does, from its own origin.
            using var list = new HttpRequestMessage(HttpMethod.Get, "/devices");
            list.Headers.Add("Origin", _control.Url.TrimEnd('/'));
            list.Headers.Add("Authorization", "Bearer " + _control.Token);
            using HttpResponseMessage devices = _http.Send(list);
            string json = devices.Content.ReadAsStringAsync().Result;
            Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
            Assert.Contains("\"deviceName\":\"console-01\"", json);
            SecretAssert.NotIn(device.DeviceSecret, json, "the device list");
        }

        [Fact]
        public void The_page_is_one_file_that_inserts_device_data_as_text_only()
        {
            // What the page does is proven in a browser (Browser/ConsoleBrowserTests); here, what it must never do:
            // insert device-controlled text as HTML, or load anything from elsewhere (the CSP allows this page only).
            using HttpResponseMessage page = _http.GetAsync("/").Result;
            string html = page.Content.ReadAsStringAsync().Result;

            Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html);
            Assert.DoesNotContain("innerHTML", html);
            Assert.DoesNotContain("insertAdjacentHTML", html);
            Assert.DoesNotContain("<script src", html);
            Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        }

        [Fact]
        public void The_thing_model_of_a_product_is_served_for_the_forms_and_an_unknown_product_is_refused()
        {
            JsonNode model = Get("/model?productKey=" + DeviceRegistry.DemoProductKey, out HttpStatusCode status);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(DeviceRegistry.DemoProductKey, (string)model["productKey"]);
            JsonArray properties = model["tsl"]["properties"].AsArray();
            JsonNode brightness = properties.Single(p => (string)p["identifier"] == "Brightness");
            Assert.Equal("100", (string)brightness["dataType"]["specs"]["max"]);
            Assert.Contains(model["tsl"]["services"].AsArray(), s => (string)s["identifier"] == "Blink" && (string)s["callType"] == "async");

            JsonNode refused = Get("/model?productKey=a1NoSuchProd", out status);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("a1NoSuchProd is not registered", (string)refused["error"]);

            Get("/model?productKey=" + DeviceRegistry.DemoProductKey, out status, token: "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }

        private JsonNode Get(string path, out HttpStatusCode status, string token = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Authorization", "Bearer " + (token ?? _control.Token));
            using HttpResponseMessage response = _http.Send(request);
            status = response.StatusCode;
            return JsonNode.Parse(response.Content.ReadAsStringAsync().Result);
        }

        [Fact]
        public void A_command_from_another_web_origin_is_refused()
        {
            _cloud.Register(null, "console-02");
            using var forged = new HttpRequestMessage(HttpMethod.Post, "/set")
            {
                Content = new StringContent("{\"deviceName\":\"console-02\",\"params\":{\"LightSwitch\":1}}", Encoding.UTF8, "application/json"),
            };
            forged.Headers.Add("Origin", "http://evil.example");

            using HttpResponseMessage response = _http.Send(forged);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("another web origin", response.Content.ReadAsStringAsync().Result);
            Assert.Equal(0, _cloud.State(DeviceRegistry.DemoProductKey, "console-02").MessagesIn);
        }

        [Fact]
        public void A_command_not_sent_as_json_is_refused_so_a_cross_site_form_cannot_post_one()
        {
            _cloud.Register(null, "console-03");
            using var form = new HttpRequestMessage(HttpMethod.Post, "/shutdown")
            {
                Content = new StringContent("{}", Encoding.UTF8, "text/plain"),
            };
            form.Headers.Add("Authorization", "Bearer " + _control.Token);

            using HttpResponseMessage response = _http.Send(form);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.False(_control.ShutdownRequested.WaitOne(0));
        }
    }
}
