using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AliyunIot.TestBroker.Https
{
    /// <summary>
    /// A real HTTPS server on 127.0.0.1 (Kestrel, TLS with a certificate from the test CA) for OTA downloads and
    /// HTTPS POST endpoints. Serves byte arrays by path with <c>Range: bytes=N-[M]</c> (206 + Content-Range),
    /// can drop the connection at chosen byte offsets, answers 403 (like an expired OSS URL) for expired paths,
    /// and routes POST paths to handlers. Query strings are ignored for routing (OSS-style signed URLs).
    /// </summary>
    public sealed class HttpsTestServer : IDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, byte[]> _files = new();
        private readonly ConcurrentDictionary<string, HttpsPostHandler> _posts = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _drops = new();
        private readonly ConcurrentDictionary<string, int> _expireAfter = new();
        private readonly ConcurrentQueue<HttpsRequestLog> _log = new();

        /// <summary>Pause between sending the bytes before a drop and resetting the connection.</summary>
        private const int DropDelayMs = 50;

        private HttpsTestServer(WebApplication app)
        {
            _app = app;
        }

        /// <summary>Port the server listens on.</summary>
        public int Port { get; private set; }

        /// <summary><c>https://localhost:{Port}</c> (the test CA's server certificate names localhost and 127.0.0.1).</summary>
        public string BaseUrl => "https://localhost:" + Port;

        /// <summary>Every request so far, in arrival order.</summary>
        public IReadOnlyList<HttpsRequestLog> Requests => _log.ToArray();

        /// <summary>Starts the server on a free loopback port.</summary>
        /// <param name="certificate">Server certificate with its private key (e.g. <c>TestCa.IssueServerCertificate("localhost", "127.0.0.1")</c>).</param>
        public static HttpsTestServer Start(X509Certificate2 certificate)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(options =>
            {
                options.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
                options.Limits.MinResponseDataRate = null;
            });
            var app = builder.Build();
            var server = new HttpsTestServer(app);
            app.Run(server.HandleAsync);
            app.StartAsync().GetAwaiter().GetResult();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.Port = new Uri(address).Port;
            return server;
        }

        /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> (replacing what was there) and returns its URL.</summary>
        /// <param name="path">Absolute path, e.g. <c>/ota/app-2.0.0.img</c>.</param>
        /// <param name="content">The bytes.</param>
        /// <param name="query">Optional query appended to the URL (ignored when serving), e.g. <c>?Expires=1</c>.</param>
        public string AddFile(string path, byte[] content, string query = "")
        {
            _files[path] = content;
            _expireAfter.TryRemove(path, out _);
            return BaseUrl + path + query;
        }

        /// <summary>Stops serving <paramref name="path"/> (404 afterwards).</summary>
        public void RemoveFile(string path) => _files.TryRemove(path, out _);

        /// <summary>
        /// The next GETs of <paramref name="path"/> each send the body only up to the given absolute file offsets,
        /// one per request in order, then reset the connection.
        /// </summary>
        public void DropConnectionAt(string path, params long[] offsets)
        {
            var queue = _drops.GetOrAdd(path, _ => new ConcurrentQueue<long>());
            foreach (long offset in offsets)
            {
                queue.Enqueue(offset);
            }
        }

        /// <summary>
        /// GETs of <paramref name="path"/> answer 403 (like an expired OSS URL) until <see cref="AddFile"/> serves it
        /// again; the first <paramref name="afterRequests"/> GETs are still served normally.
        /// </summary>
        public void Expire(string path, int afterRequests = 0) => _expireAfter[path] = afterRequests;

        /// <summary>POSTs to <paramref name="path"/> are answered by <paramref name="handler"/>.</summary>
        public void MapPost(string path, HttpsPostHandler handler) => _posts[path] = handler;

        /// <summary>Stops the server and closes its connections.</summary>
        public void Dispose()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
            ((IDisposable)_app).Dispose();
        }

        private async Task HandleAsync(HttpContext context)
        {
            HttpRequest request = context.Request;
            string path = request.Path.Value ?? "/";
            string range = request.Headers.Range.Count > 0 ? request.Headers.Range.ToString() : null;
            int status;
            if (HttpMethods.IsPost(request.Method))
            {
                status = await HandlePostAsync(context, path);
            }
            else if (HttpMethods.IsGet(request.Method))
            {
                status = await HandleGetAsync(context, path, range);
            }
            else
            {
                status = 405;
                context.Response.StatusCode = status;
            }

            _log.Enqueue(new HttpsRequestLog(request.Method, path, request.QueryString.Value ?? string.Empty, range, status));
        }

        private async Task<int> HandlePostAsync(HttpContext context, string path)
        {
            if (!_posts.TryGetValue(path, out var handler))
            {
                context.Response.StatusCode = 404;
                return 404;
            }

            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            HttpsResponse response = handler(new HttpsPostRequest(path, context.Request.ContentType, body));
            byte[] bytes = Encoding.UTF8.GetBytes(response.Body ?? string.Empty);
            context.Response.StatusCode = response.StatusCode;
            context.Response.ContentType = response.ContentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes);
            return response.StatusCode;
        }

        private async Task<int> HandleGetAsync(HttpContext context, string path, string range)
        {
            HttpResponse response = context.Response;
            if (IsExpired(path))
            {
                return await WriteText(response, 403, "<Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>");
            }

            if (!_files.TryGetValue(path, out byte[] content))
            {
                return await WriteText(response, 404, "not found");
            }

            long start = 0;
            long end = content.Length - 1;
            int status = 200;
            if (range != null)
            {
                if (!TryParseRange(range, content.Length, out start, out end))
                {
                    response.Headers.ContentRange = "bytes */" + content.Length;
                    return await WriteText(response, 416, "range not satisfiable");
                }

                status = 206;
                response.Headers.ContentRange = "bytes " + start + "-" + end + "/" + content.Length;
            }

            response.StatusCode = status;
            response.ContentType = "application/octet-stream";
            response.Headers.AcceptRanges = "bytes";
            response.ContentLength = end - start + 1;

            long stopAt = end + 1;
            bool drop = false;
            if (_drops.TryGetValue(path, out var queue) && queue.TryDequeue(out long dropAt) && dropAt >= start && dropAt <= end)
            {
                stopAt = dropAt;
                drop = true;
            }

            // Several writes, so that a drop really happens mid-body after earlier bytes left the server.
            long position = start;
            while (position < stopAt)
            {
                int count = (int)Math.Min(16 * 1024, stopAt - position);
                await response.Body.WriteAsync(content.AsMemory((int)position, count));
                position += count;
            }

            if (drop)
            {
                // Let the client read what was sent before the reset: a TCP RST makes the receiver discard unread data.
                await response.Body.FlushAsync();
                await Task.Delay(DropDelayMs);
                context.Abort();
            }

            return status;
        }

        private bool IsExpired(string path)
        {
            while (_expireAfter.TryGetValue(path, out int remaining))
            {
                if (remaining <= 0)
                {
                    return true;
                }

                if (_expireAfter.TryUpdate(path, remaining - 1, remaining))
                {
                    return false;
                }
            }

            return false;
        }

        private static async Task<int> WriteText(HttpResponse response, int status, string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            response.StatusCode = status;
            response.ContentType = "text/plain";
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes);
            return status;
        }

        /// <summary>Parses one <c>bytes=N-</c>, <c>bytes=N-M</c> range (suffix ranges are not needed by any client here).</summary>
        private static bool TryParseRange(string header, long length, out long start, out long end)
        {
            start = 0;
            end = length - 1;
            if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(','))
            {
                return false;
            }

            string[] parts = header.Substring(6).Split('-');
            if (parts.Length != 2 || !long.TryParse(parts[0], out start) || start < 0 || start >= length)
            {
                return false;
            }

            if (parts[1].Length > 0)
            {
                if (!long.TryParse(parts[1], out end) || end < start)
                {
                    return false;
                }

                end = Math.Min(end, length - 1);
            }

            return true;
        }
    }
}
