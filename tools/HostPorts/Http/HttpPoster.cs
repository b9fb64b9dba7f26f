using System.Net.Security;
using System.Text;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Http
{
    /// <summary>
    /// Host <see cref="IHttpPoster"/> over System.Net.Http. The server certificate must chain to one of the roots in
    /// the given PEM (<see cref="HttpsTrust"/>: the operating system's roots are not consulted), like the device,
    /// which trusts only the bundle it carries. Never throws for network, TLS or HTTP failures.
    /// </summary>
    public sealed class HttpPoster : IHttpPoster
    {
        /// <inheritdoc />
        public HttpPostResult Post(string url, string contentType, string body, string caCertificatesPem, int timeoutMs)
        {
            Uri uri;
            if (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                return new HttpPostResult(0, null, "only https:// URLs are allowed");
            }

            RemoteCertificateValidationCallback trust;
            try
            {
                trust = HttpsTrust.Only(caCertificatesPem);
            }
            catch (Exception e)
            {
                return new HttpPostResult(0, null, "CA certificates unusable: " + e.GetType().Name);
            }

            using var handler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromMilliseconds(timeoutMs),
                AllowAutoRedirect = false,
                UseProxy = false,
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = trust,
                },
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromMilliseconds(timeoutMs) };
            using var content = new StringContent(body ?? string.Empty, Encoding.UTF8);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
            request.Headers.TryAddWithoutValidation("Accept", "text/xml,text/javascript,text/html,application/json");

            try
            {
                using HttpResponseMessage response = client.Send(request);
                using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
                string text = reader.ReadToEnd();
                return new HttpPostResult((int)response.StatusCode, text, "HTTP " + ((int)response.StatusCode).ToString());
            }
            catch (Exception e)
            {
                // Only the exception type and the host: URLs may carry tokens in their query.
                return new HttpPostResult(0, null, "POST to " + uri.Host + " failed: " + Describe(e));
            }
        }

        private static string Describe(Exception e)
        {
            var text = new StringBuilder(e.GetType().Name);
            for (Exception inner = e.InnerException; inner != null; inner = inner.InnerException)
            {
                text.Append(" / ").Append(inner.GetType().Name);
            }

            return text.ToString();
        }
    }
}
