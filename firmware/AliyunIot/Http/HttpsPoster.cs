using System;
using System.Text;
using AliyunIot.Ports;

namespace AliyunIot.Http
{
    /// <summary>
    /// <see cref="IHttpPoster"/> over this folder's HTTP/1.1 client: one POST on a new TLS connection, the response
    /// text read whole (bounded by <see cref="MaxResponseBytes"/>). Used once in a device's life, by dynamic
    /// registration. Never throws for network, TLS or HTTP failures.
    /// </summary>
    public sealed class HttpsPoster : IHttpPoster
    {
        /// <summary>Largest response body read; the registration answer is a few hundred bytes.</summary>
        public const int MaxResponseBytes = 8192;

        private readonly ISecureConnectionOpener _opener;

        /// <summary>Creates a poster.</summary>
        /// <param name="opener">Opens the TLS connections.</param>
        public HttpsPoster(ISecureConnectionOpener opener)
        {
            if (opener == null)
            {
                throw new ArgumentNullException("opener");
            }

            _opener = opener;
        }

        /// <inheritdoc />
        public HttpPostResult Post(string url, string contentType, string body, string caCertificatesPem, int timeoutMs)
        {
            if (url == null)
            {
                throw new ArgumentNullException("url");
            }

            string error;
            HttpsUrl target = HttpsUrl.Parse(url, out error);
            if (target == null)
            {
                return new HttpPostResult(0, null, "Unusable URL: " + error + ".");
            }

            byte[] request;
            try
            {
                request = HttpRequestWriter.Post(target, contentType == null ? "application/octet-stream" : contentType, Encoding.UTF8.GetBytes(body == null ? string.Empty : body));
            }
            catch (ArgumentException)
            {
                return new HttpPostResult(0, null, "Unusable content type.");
            }

            int timeout = timeoutMs > 0 ? timeoutMs : 10000;
            byte[] buffer = new byte[512];
            HttpsExchange exchange = new HttpsExchange(_opener, target);
            try
            {
                if (!exchange.Start(request, caCertificatesPem, timeout, timeout, buffer))
                {
                    return new HttpPostResult(0, null, exchange.ProtocolFailure());
                }

                return ReadText(exchange, buffer);
            }
            catch (Exception e)
            {
                // The body may hold a signature and the response a secret: neither goes into the detail.
                return new HttpPostResult(0, null, "POST " + exchange.Failure(e));
            }
            finally
            {
                exchange.Dispose();
            }
        }

        private static HttpPostResult ReadText(HttpsExchange exchange, byte[] buffer)
        {
            HttpResponseReader response = exchange.Response;
            int status = response.StatusCode;
            byte[] text = new byte[response.ContentLength >= 0 && response.ContentLength <= MaxResponseBytes ? (int)response.ContentLength : MaxResponseBytes];
            int length = 0;
            while (true)
            {
                int count = response.ReadBody();
                if (count < 0)
                {
                    return new HttpPostResult(0, null, "HTTP " + status.ToString() + " with a broken body: " + exchange.ProtocolFailure());
                }

                if (count == 0)
                {
                    return new HttpPostResult(status, Encoding.UTF8.GetString(text, 0, length), "HTTP " + status.ToString() + ".");
                }

                if (length + count > text.Length)
                {
                    return new HttpPostResult(0, null, "HTTP " + status.ToString() + " with a body over " + MaxResponseBytes.ToString() + " bytes.");
                }

                Array.Copy(buffer, 0, text, length, count);
                length += count;
            }
        }
    }
}
