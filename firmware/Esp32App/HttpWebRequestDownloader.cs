using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="IHttpDownloader"/> over <see cref="HttpWebRequest"/>: the only nanoFramework HTTP API that can send a
    /// <c>Range</c> header (HttpClient refuses it as a restricted header) and that streams the body without
    /// buffering all of it in RAM (nanoframework-notes §A.2).
    /// </summary>
    /// <remarks>
    /// The response stream of nanoFramework's network wrapper returns 0 from Read when no data has arrived YET, not
    /// only at the end. The read loop therefore stops on Content-Length, treats 0 as "wait a little", and gives up
    /// after <see cref="ReadTimeoutMs"/> without a single byte. Without a Content-Length, a quiet period of that length
    /// ends the body; the OTA agent's size and digest check then decides whether it was complete.
    /// </remarks>
    public sealed class HttpWebRequestDownloader : IHttpDownloader
    {
        private const int PollIntervalMs = 20;

        /// <summary>Creates a downloader.</summary>
        /// <param name="connectTimeoutMs">Connect, TLS handshake and response headers.</param>
        /// <param name="readTimeoutMs">Longest time without a single body byte before the transfer is declared dead.</param>
        public HttpWebRequestDownloader(int connectTimeoutMs, int readTimeoutMs)
        {
            ConnectTimeoutMs = connectTimeoutMs > 0 ? connectTimeoutMs : 30000;
            ReadTimeoutMs = readTimeoutMs > 0 ? readTimeoutMs : 20000;
        }

        /// <summary>Connect, TLS handshake and response headers timeout in milliseconds.</summary>
        public int ConnectTimeoutMs { get; private set; }

        /// <summary>Longest silence within the body in milliseconds.</summary>
        public int ReadTimeoutMs { get; private set; }

        /// <inheritdoc />
        public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
        {
            if (url == null || buffer == null || buffer.Length == 0 || sink == null)
            {
                throw new ArgumentNullException(url == null ? "url" : (sink == null ? "sink" : "buffer"));
            }

            if (offset < 0 || offset > int.MaxValue)
            {
                // HttpWebRequest.AddRange takes an int: 2 GB is far beyond any slot, so this is a caller bug.
                return new HttpDownloadResult(HttpDownloadStatus.NetworkError, 0, 0, "Range offset out of the supported range.");
            }

            HttpWebRequest request = null;
            HttpWebResponse response = null;
            Stream body = null;
            long received = 0;
            try
            {
                request = (HttpWebRequest)WebRequest.Create(url);
                request.Method = "GET";
                request.Timeout = ConnectTimeoutMs;
                request.ReadWriteTimeout = ReadTimeoutMs;
                request.KeepAlive = false;
                request.SslProtocols = SslProtocols.Tls12;
                request.SslVerification = SslVerification.CertificateRequired;
                if (caCertificatesPem != null && caCertificatesPem.Length > 0)
                {
                    request.HttpsAuthentCert = new X509Certificate(caCertificatesPem);
                }

                if (offset > 0)
                {
                    // "Range: bytes=offset-" — AddRange(int) is the open-ended form.
                    request.AddRange((int)offset);
                }

                response = (HttpWebResponse)request.GetResponse();
                HttpStatusCode status = response.StatusCode;
                int statusNumber = (int)status;
                if (status != HttpStatusCode.OK && status != HttpStatusCode.PartialContent)
                {
                    return new HttpDownloadResult(HttpDownloadStatus.HttpError, statusNumber, 0, "The server answered HTTP " + statusNumber.ToString() + ".");
                }

                long rangeStart = status == HttpStatusCode.PartialContent ? ContentRangeStart(response, offset) : 0;
                long contentLength = response.ContentLength;
                if (!StartSink(sink, statusNumber, rangeStart, contentLength))
                {
                    return new HttpDownloadResult(HttpDownloadStatus.Aborted, statusNumber, 0, "The receiver refused the response.");
                }

                body = response.GetResponseStream();
                long lastDataAt = Environment.TickCount64;
                while (contentLength < 0 || received < contentLength)
                {
                    int wanted = buffer.Length;
                    if (contentLength >= 0 && contentLength - received < wanted)
                    {
                        wanted = (int)(contentLength - received);
                    }

                    int count = body.Read(buffer, 0, wanted);
                    if (count > 0)
                    {
                        received += count;
                        lastDataAt = Environment.TickCount64;
                        if (!ChunkToSink(sink, buffer, count))
                        {
                            return new HttpDownloadResult(HttpDownloadStatus.Aborted, statusNumber, received, "The receiver stopped the download.");
                        }

                        continue;
                    }

                    if (Environment.TickCount64 - lastDataAt >= ReadTimeoutMs)
                    {
                        if (contentLength < 0)
                        {
                            return new HttpDownloadResult(HttpDownloadStatus.Completed, statusNumber, received, "Body without Content-Length ended by a quiet period.");
                        }

                        return new HttpDownloadResult(HttpDownloadStatus.NetworkError, statusNumber, received, "No data for " + ReadTimeoutMs.ToString() + " ms.");
                    }

                    // 0 means "nothing yet" on nanoFramework's network stream, not end of stream.
                    Thread.Sleep(PollIntervalMs);
                }

                return new HttpDownloadResult(HttpDownloadStatus.Completed, statusNumber, received, "Completed.");
            }
            catch (WebException e)
            {
                HttpWebResponse errorResponse = e.Response as HttpWebResponse;
                if (errorResponse != null)
                {
                    int statusNumber = (int)errorResponse.StatusCode;
                    Dispose(errorResponse);
                    return new HttpDownloadResult(HttpDownloadStatus.HttpError, statusNumber, received, "The server answered HTTP " + statusNumber.ToString() + ".");
                }

                // Never include the URL: OSS URLs carry a signature in the query string.
                return new HttpDownloadResult(HttpDownloadStatus.NetworkError, 0, received, "Web request failed (status " + StatusName(e.Status) + ").");
            }
            catch (Exception e)
            {
                return new HttpDownloadResult(HttpDownloadStatus.NetworkError, 0, received, "Download failed (" + e.GetType().Name + ").");
            }
            finally
            {
                // Undisposed responses exhaust RAM after a handful of requests (System.Net.Http README).
                if (body != null)
                {
                    try
                    {
                        body.Dispose();
                    }
                    catch (Exception)
                    {
                        // Closing a broken stream may throw; the response below still gets disposed.
                    }
                }

                Dispose(response);
                if (request != null)
                {
                    try
                    {
                        request.Dispose();
                    }
                    catch (Exception)
                    {
                        // Nothing else to release.
                    }
                }
            }
        }

        // The sink writes to flash; its failures are not network failures, so they end the download as "Aborted"
        // (the sink knows what went wrong and reports it) instead of falling into the network catch below.
        private static bool StartSink(IDownloadSink sink, int statusCode, long rangeStart, long contentLength)
        {
            try
            {
                return sink.OnStart(statusCode, rangeStart, contentLength);
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static bool ChunkToSink(IDownloadSink sink, byte[] buffer, int count)
        {
            try
            {
                return sink.OnChunk(buffer, count);
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static void Dispose(HttpWebResponse response)
        {
            if (response == null)
            {
                return;
            }

            try
            {
                response.Close();
            }
            catch (Exception)
            {
                // Dispose below is the one that matters.
            }

            try
            {
                response.Dispose();
            }
            catch (Exception)
            {
                // Already released.
            }
        }

        private static long ContentRangeStart(HttpWebResponse response, long requested)
        {
            // "Content-Range: bytes 1000-4095/4096". Missing or unparsable: assume the server honoured the request.
            string value = null;
            try
            {
                value = response.Headers["Content-Range"];
            }
            catch (Exception)
            {
                value = null;
            }

            if (value == null)
            {
                return requested;
            }

            int space = value.IndexOf(' ');
            int dash = value.IndexOf('-');
            if (space < 0 || dash <= space + 1)
            {
                return requested;
            }

            long start;
            string digits = value.Substring(space + 1, dash - space - 1).Trim();
            if (!TryParseLong(digits, out start))
            {
                return requested;
            }

            return start;
        }

        private static bool TryParseLong(string digits, out long value)
        {
            value = 0;
            if (digits.Length == 0 || digits.Length > 18)
            {
                return false;
            }

            for (int i = 0; i < digits.Length; i++)
            {
                char c = digits[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            return true;
        }

        private static string StatusName(WebExceptionStatus status)
        {
            // Enums print as numbers on nanoFramework: name the ones worth reading in a log.
            switch (status)
            {
                case WebExceptionStatus.NameResolutionFailure:
                    return "name resolution failure";
                case WebExceptionStatus.ConnectFailure:
                    return "connect failure";
                case WebExceptionStatus.ReceiveFailure:
                    return "receive failure";
                case WebExceptionStatus.SendFailure:
                    return "send failure";
                case WebExceptionStatus.ConnectionClosed:
                    return "connection closed";
                case WebExceptionStatus.TrustFailure:
                    return "certificate not trusted";
                case WebExceptionStatus.SecureChannelFailure:
                    return "TLS failure";
                case WebExceptionStatus.Timeout:
                    return "timeout";
                default:
                    return "other";
            }
        }
    }
}
