using System.Text;
using AliyunIot.HostPorts.Http;
using AliyunIot.Http;
using AliyunIot.Ports;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Part of section c (ota): managed bytes the device's HTTP client (AliyunIot.Http.HttpsDownloader) allocates per
    /// downloaded chunk, measured on the downloading thread between the first and the last chunk (the request, the
    /// head and the connection are outside the window). Once over an in-memory connection — the device's code alone,
    /// what the ESP32's heap sees — and once over the host's TLS connection to the HTTPS test server (adds .NET's
    /// SslStream; the in-process server's threads are not counted). Numbers only, no target.
    /// </summary>
    internal static class HttpClientAllocationBench
    {
        /// <summary>Adds the two rows.</summary>
        public static void Run(Results results, string url, string caPem, int chunkSize)
        {
            byte[] body = new byte[1024 * 1024];
            byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: " + body.Length + "\r\n\r\n");
            byte[] response = new byte[head.Length + body.Length];
            head.CopyTo(response, 0);
            var memory = new CountingSink();
            new HttpsDownloader(new MemoryOpener(response), 1000, 1000).Download("https://bench.local/f", 0, new byte[chunkSize], caPem, memory);
            results.Add("ota", "HTTP client: managed bytes allocated per chunk (in-memory connection: the device's code)", memory.PerChunk, "B",
                $"{memory.Chunks} chunks of <= {chunkSize} B, HttpsDownloader + HttpResponseReader only");

            var tls = new CountingSink();
            new HttpDownloader(60000).Download(url, 0, new byte[chunkSize], caPem, tls);
            results.Add("ota", "HTTP client: managed bytes allocated per chunk (host TLS connection, client thread)", tls.PerChunk, "B",
                $"{tls.Chunks} chunks; includes .NET SslStream/socket, not the server");
        }

        private sealed class CountingSink : IDownloadSink
        {
            private long _first = -1;
            private long _last;

            public int Chunks { get; private set; }

            public double PerChunk => Chunks > 1 ? (double)(_last - _first) / (Chunks - 1) : 0;

            public bool OnStart(int statusCode, long rangeStart, long contentLength) => true;

            public bool OnChunk(byte[] buffer, int count)
            {
                long now = GC.GetAllocatedBytesForCurrentThread();
                if (_first < 0)
                {
                    _first = now;
                }

                _last = now;
                Chunks++;
                return true;
            }
        }

        private sealed class MemoryOpener : ISecureConnectionOpener
        {
            private readonly byte[] _response;

            public MemoryOpener(byte[] response) => _response = response;

            public ISecureConnection Open(string host, int port, string caCertificatesPem, int connectTimeoutMs, int readTimeoutMs) => new MemoryConnection(_response);

            public string Describe(Exception failure) => failure.GetType().Name;
        }

        private sealed class MemoryConnection : ISecureConnection
        {
            private readonly byte[] _response;
            private int _position;

            public MemoryConnection(byte[] response) => _response = response;

            public int Read(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(count, _response.Length - _position);
                Array.Copy(_response, _position, buffer, offset, n);
                _position += n;
                return n;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
            }

            public void Dispose()
            {
            }
        }
    }
}
