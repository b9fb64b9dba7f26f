using System;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="IHttpPoster"/> over nanoFramework's <see cref="HttpClient"/> (blocking; there are no async methods).
    /// Used once in a device's life, by HTTPS dynamic registration, so a client per call costs nothing that matters
    /// and leaves no TLS session open afterwards.
    /// </summary>
    public sealed class HttpClientPoster : IHttpPoster
    {
        /// <inheritdoc />
        public HttpPostResult Post(string url, string contentType, string body, string caCertificatesPem, int timeoutMs)
        {
            if (url == null)
            {
                throw new ArgumentNullException("url");
            }

            HttpClient client = null;
            StringContent content = null;
            HttpResponseMessage response = null;
            try
            {
                client = new HttpClient();
                client.SslProtocols = SslProtocols.Tls12;
                client.SslVerification = SslVerification.CertificateRequired;
                if (caCertificatesPem != null && caCertificatesPem.Length > 0)
                {
                    client.HttpsAuthentCert = new X509Certificate(caCertificatesPem);
                }

                // The constructor leaves Timeout infinite (notes §A.2): always bound it.
                client.Timeout = TimeSpan.FromMilliseconds(timeoutMs > 0 ? timeoutMs : 10000);

                content = new StringContent(body == null ? string.Empty : body, Encoding.UTF8, contentType);
                response = client.Post(url, content);
                int status = (int)response.StatusCode;
                string text = response.Content == null ? string.Empty : response.Content.ReadAsString();
                return new HttpPostResult(status, text, "HTTP " + status.ToString() + ".");
            }
            catch (Exception e)
            {
                // The body may hold a signature and the response a secret: neither goes into the detail.
                return new HttpPostResult(0, null, "POST failed (" + e.GetType().Name + ").");
            }
            finally
            {
                DisposeQuietly(response);
                DisposeQuietly(content);
                DisposeQuietly(client);
            }
        }

        private static void DisposeQuietly(IDisposable disposable)
        {
            if (disposable == null)
            {
                return;
            }

            try
            {
                disposable.Dispose();
            }
            catch (Exception)
            {
                // Releasing a broken connection may throw; nothing more to do.
            }
        }
    }
}
