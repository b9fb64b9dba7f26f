using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;

namespace AliyunIot.Tests.Support
{
    /// <summary>
    /// A local cloud with its control API and an HTTP client that carries the API's token (the token is registered
    /// as a secret of the log, so an assertion can check it never shows): what the control-API tests drive.
    /// </summary>
    public sealed class ControlApiRig : IDisposable
    {
        private readonly TempFolder _temp;

        public ControlApiRig(string name)
        {
            _temp = new TempFolder(name);
            StatePath = _temp.Sub("state");
            Cloud = CloudHosting.Start(StatePath, Log);
            Control = new ControlServer(Cloud, Log);
            Log.Secret(Control.Token);
            Http = new HttpClient { BaseAddress = new Uri(Control.Url) };
            Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Control.Token);
        }

        public CapturingLog Log { get; } = new CapturingLog();

        /// <summary>The rig's own temporary folder (removed on dispose), for a test's other files.</summary>
        internal TempFolder Temp
        {
            get { return _temp; }
        }

        /// <summary>The cloud's <c>--dir</c>.</summary>
        public string StatePath { get; }

        public LocalCloud Cloud { get; }

        public ControlServer Control { get; }

        public HttpClient Http { get; }

        /// <summary>Sends one control-API request (JSON body or none) and returns the status and the parsed JSON answer.</summary>
        public (HttpStatusCode Status, JsonNode Body) Send(HttpMethod method, string path, string body)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body != null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using HttpResponseMessage response = Http.Send(request);
            string text = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
            return (response.StatusCode, JsonNode.Parse(text));
        }

        public void Dispose()
        {
            Http.Dispose();
            Control.Dispose();
            Cloud.Dispose();
            Log.Dispose();
            _temp.Dispose();
        }
    }
}
