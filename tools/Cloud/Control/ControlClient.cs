using System.Text;
using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Control
{
    /// <summary>Talks to a running <c>cloud serve</c> through the control API found in <c>{state}/cloud.json</c>.</summary>
    public sealed class ControlClient : IDisposable
    {
        private readonly HttpClient _http;

        /// <summary>Connects to the cloud serving <paramref name="stateDirectory"/>.</summary>
        /// <exception cref="InvalidOperationException">No cloud is serving that directory.</exception>
        public ControlClient(string stateDirectory)
        {
            string info = Path.Combine(stateDirectory, CloudInfoFile);
            if (!File.Exists(info))
            {
                throw new InvalidOperationException($"no cloud is serving {stateDirectory} (start one with: cloud serve --dir {stateDirectory})");
            }

            string url = (string)JsonNode.Parse(File.ReadAllText(info))?["control"];
            string tokenPath = Path.Combine(stateDirectory, ControlServer.TokenFile);
            string token;
            try
            {
                token = File.ReadAllText(tokenPath).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"cannot read the cloud's control token {tokenPath} (only the user running `cloud serve` can): {e.Message}");
            }

            _http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            ConsoleUrl = url + "#token=" + token;
        }

        /// <summary>The web console's address with the token in its fragment (secret: for its user only).</summary>
        public string ConsoleUrl { get; }

        /// <summary>Name of the file <c>cloud serve</c> writes into its state directory.</summary>
        public const string CloudInfoFile = "cloud.json";

        /// <summary>Sends one command; throws with the cloud's message when it refused.</summary>
        public JsonNode Send(string method, string path, JsonObject body)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body != null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = _http.Send(request);
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException("the cloud is not answering: " + e.Message);
            }

            using (response)
            {
                string text = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
                JsonNode json = string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
                if (!response.IsSuccessStatusCode)
                {
                    string error = (string)json?["error"] ?? ("HTTP " + (int)response.StatusCode);
                    throw new InvalidOperationException(json?["code"] is JsonNode code ? error + " (" + (string)code + ")" : error);
                }

                return json;
            }
        }

        /// <inheritdoc />
        public void Dispose() => _http.Dispose();
    }
}
