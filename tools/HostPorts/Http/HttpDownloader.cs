using System.Net;
using System.Net.Http.Headers;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Http
{
    /// <summary>
    /// <see cref="IHttpDownloader"/> over System.Net.Http: streams the body (ResponseHeadersRead) through the
    /// caller's one buffer into the sink, sends <c>Range: bytes=offset-</c> to resume, and trusts only the
    /// given CA PEM. Never throws for network or HTTP failures.
    /// </summary>
    public sealed class HttpDownloader : IHttpDownloader
    {
        private readonly TimeSpan _timeout;

        /// <summary>Creates a downloader.</summary>
        /// <param name="timeoutMs">Limit for the response headers and for each read of the body.</param>
        public HttpDownloader(int timeoutMs = 30000)
        {
            _timeout = TimeSpan.FromMilliseconds(timeoutMs);
        }

        /// <inheritdoc />
        public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
        {
            string where = WithoutQuery(url);
            long received = 0;
            int status = 0;
            try
            {
                using var handler = new SocketsHttpHandler
                {
                    SslOptions = { RemoteCertificateValidationCallback = HttpsTrust.Only(caCertificatesPem) },
                    AllowAutoRedirect = false,
                    AutomaticDecompression = DecompressionMethods.None,
                };
                using var client = new HttpClient(handler) { Timeout = _timeout };
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (offset > 0)
                {
                    request.Headers.Range = new RangeHeaderValue(offset, null);
                }

                using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
                status = (int)response.StatusCode;
                if (status != 200 && status != 206)
                {
                    return new HttpDownloadResult(HttpDownloadStatus.HttpError, status, 0, "HTTP " + status + " from " + where);
                }

                long rangeStart = 0;
                if (status == 206)
                {
                    ContentRangeHeaderValue contentRange = response.Content.Headers.ContentRange;
                    if (contentRange == null || !contentRange.From.HasValue)
                    {
                        return new HttpDownloadResult(HttpDownloadStatus.HttpError, status, 0, "206 without Content-Range from " + where);
                    }

                    rangeStart = contentRange.From.Value;
                }

                long contentLength = response.Content.Headers.ContentLength ?? -1;
                if (!sink.OnStart(status, rangeStart, contentLength))
                {
                    return new HttpDownloadResult(HttpDownloadStatus.Aborted, status, 0, "refused by the sink");
                }

                using Stream body = response.Content.ReadAsStream();
                while (true)
                {
                    int read;
                    using (var readTimeout = new CancellationTokenSource(_timeout))
                    {
                        read = body.ReadAsync(buffer, 0, buffer.Length, readTimeout.Token).GetAwaiter().GetResult();
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    received += read;
                    if (!sink.OnChunk(buffer, read))
                    {
                        return new HttpDownloadResult(HttpDownloadStatus.Aborted, status, received, "refused by the sink");
                    }
                }

                if (contentLength >= 0 && received != contentLength)
                {
                    return new HttpDownloadResult(HttpDownloadStatus.NetworkError, status, received, "body ended early from " + where);
                }

                return new HttpDownloadResult(HttpDownloadStatus.Completed, status, received, "completed");
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is OperationCanceledException
                || ex is System.Security.Authentication.AuthenticationException || ex is InvalidOperationException || ex is ArgumentException)
            {
                return new HttpDownloadResult(HttpDownloadStatus.NetworkError, status, received, ex.GetType().Name + " from " + where + ": " + Describe(ex));
            }
        }

        private static string Describe(Exception ex)
        {
            // Messages of HttpClient may repeat the request URL; keep only the first line without the query.
            string message = ex.InnerException != null ? ex.InnerException.Message : ex.Message;
            int q = message.IndexOf('?');
            return q >= 0 ? message.Substring(0, q) : message;
        }

        private static string WithoutQuery(string url)
        {
            int q = url.IndexOf('?');
            return q >= 0 ? url.Substring(0, q) : url;
        }
    }
}
