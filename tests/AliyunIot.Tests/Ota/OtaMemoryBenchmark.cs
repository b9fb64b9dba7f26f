using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Http;
using AliyunIot.HostPorts.Json;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ota;
using AliyunIot.Ports;
using AliyunIot.TestBroker.Https;
using AliyunIot.Tests.Support;
using OtaPartition;
using Xunit;
using Xunit.Abstractions;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// Memory does not grow with the image: the bytes allocated by the agent's download path (sink, slot
    /// writer, incremental SHA-256, progress reports) during a 1 MiB and an 8 MiB update differ by less than one
    /// chunk. Measured with GC.GetAllocatedBytesForCurrentThread on the job thread around the download loop,
    /// with a downloader that generates the image in the caller's buffer (so only the core is measured); the
    /// same numbers through the real HTTPS stack are printed for information (.NET's HttpClient/TLS allocate
    /// per read, which says nothing about the device's HttpWebRequest).
    /// </summary>
    public sealed class OtaMemoryBenchmark
    {
        private readonly ITestOutputHelper _output;

        public OtaMemoryBenchmark(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Allocations_of_the_download_path_do_not_grow_with_the_image_size()
        {
            // Warm-up: the first job in a process also pays one-time costs (static tables, first-use caches), which
            // would otherwise be charged to whichever size runs first, depending on test order.
            Measure(64 << 10, null);
            long small = Measure(1 << 20, null);
            long large = Measure(8 << 20, null);
            _output.WriteLine($"core download path: 1 MiB update allocated {small} bytes, 8 MiB update {large} bytes (chunk 4096)");
            Assert.True(Math.Abs(large - small) < 4096, $"1 MiB: {small} B, 8 MiB: {large} B");
        }

        [Fact]
        public void Allocations_through_the_real_https_stack_are_printed()
        {
            using var server = HttpsTestServer.Start(OtaTestCa.Shared.ServerCertificate);
            Measure(64 << 10, server);
            long small = Measure(1 << 20, server);
            long large = Measure(8 << 20, server);
            _output.WriteLine($"host HttpClient + TLS + core: 1 MiB update allocated {small} bytes, 8 MiB update {large} bytes (information only)");
        }

        private static long Measure(int size, HttpsTestServer server)
        {
            using var temp = new TempFolder();
            File.WriteAllBytes(Path.Combine(temp.Path, "slotA.img"), OtaTestImages.Build("1.0.0", 1, 1000));
            OtaTestKey.Deploy(temp.Path);
            byte[] image = OtaTestImages.OfSize("2.0.0", 2, size);
            var settings = new OtaSettings { SlotCapacity = 16 << 20, ChunkSize = 4096 };
            var measuring = new MeasuringDownloader(server == null ? new InMemoryImageDownloader(image) : new HttpDownloader());
            string url = server == null ? "https://generated/app.img" : server.AddFile("/app.img", image);
            var restart = new RecordingRestart();
            using var log = new CapturingLog();
            var agent = new OtaAgent(new DeviceTopics("pk", "dn"), new DiscardingPublisher(), new SystemTextJsonParser(), measuring,
                new SlotStore(new FileFlashStorage(temp.Path, -1)), restart, new SystemClock(), log, settings, OtaTestCa.Shared.CertificatePem, "1.0.0");
            var job = OtaRig.Job("2.0.0", url, image, "SHA256");
            agent.Handle("/ota/device/upgrade/pk/dn", System.Text.Encoding.UTF8.GetBytes("{\"code\":\"1000\",\"data\":" + job.ToJsonString() + "}"));
            Assert.True(agent.WaitIdle(120000));
            Assert.True(agent.LastOutcome.Succeeded, agent.LastOutcome.Desc);
            return measuring.Allocated;
        }

        /// <summary>Measures allocations on the job thread from the first call to the end of the last.</summary>
        private sealed class MeasuringDownloader : IHttpDownloader
        {
            private readonly IHttpDownloader _inner;

            public MeasuringDownloader(IHttpDownloader inner) => _inner = inner;

            public long Allocated { get; private set; }

            public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var result = _inner.Download(url, offset, buffer, caCertificatesPem, sink);
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                return result;
            }
        }
    }
}
