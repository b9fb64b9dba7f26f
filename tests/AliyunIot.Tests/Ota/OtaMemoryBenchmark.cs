using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ota;
using AliyunIot.Ports;
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
    /// with a downloader that generates the image in the caller's buffer and minus what the host's flash port
    /// allocates inside its own calls (the slot writer reopens the file at every 32 KiB commit, littlefs commits on
    /// close: each reopen is a FileStream on the host, a bounded piece of garbage, never retained), so only the core is
    /// measured. The numbers through the real HTTPS stack are a benchmark, not a test: tools/bench.sh ota (.NET's HttpClient/TLS allocate
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
            Measure(64 << 10);
            long small = Measure(1 << 20);
            long large = Measure(8 << 20);
            _output.WriteLine($"core download path: 1 MiB update allocated {small} bytes, 8 MiB update {large} bytes (chunk 4096)");
            Assert.True(Math.Abs(large - small) < 4096, $"1 MiB: {small} B, 8 MiB: {large} B");
        }

        private static long Measure(int size)
        {
            using var temp = new TempFolder();
            File.WriteAllBytes(Path.Combine(temp.Path, "slotA.img"), OtaTestImages.Build("1.0.0", 1, 1000));
            OtaTestKey.Deploy(temp.Path);
            byte[] image = OtaTestImages.OfSize("2.0.0", 2, size);
            var settings = new OtaSettings { SlotCapacity = 16 << 20, ChunkSize = 4096 };
            var flash = new MeasuringStorage(new FileFlashStorage(temp.Path, -1));
            var measuring = new MeasuringDownloader(new InMemoryImageDownloader(image), flash);
            string url = "https://generated/app.img";
            var restart = new RecordingRestart();
            using var log = new CapturingLog();
            var agent = new OtaAgent(new DeviceTopics("pk", "dn"), new DiscardingPublisher(), measuring,
                new SlotStore(flash), restart, new SystemClock(), log, settings, OtaTestCa.Shared.CertificatePem, "1.0.0");
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
            private readonly MeasuringStorage _flash;

            public MeasuringDownloader(IHttpDownloader inner, MeasuringStorage flash)
            {
                _inner = inner;
                _flash = flash;
            }

            public long Allocated { get; private set; }

            public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                long portBefore = _flash.Allocated;
                var result = _inner.Download(url, offset, buffer, caCertificatesPem, sink);
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before - (_flash.Allocated - portBefore);
                return result;
            }
        }

        /// <summary>
        /// The host flash port, counting what it allocates inside its own calls (on the calling thread). No lambdas:
        /// a closure per call would itself be allocated outside the counted region.
        /// </summary>
        private sealed class MeasuringStorage : IFlashStorage
        {
            private readonly IFlashStorage _inner;

            public MeasuringStorage(IFlashStorage inner) => _inner = inner;

            public long Allocated { get; set; }

            public long Capacity => _inner.Capacity;

            public bool Exists(string name)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                bool result = _inner.Exists(name);
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                return result;
            }

            public long Length(string name)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                long result = _inner.Length(name);
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                return result;
            }

            public IFlashFile OpenRead(string name)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                IFlashFile result = new File(this, _inner.OpenRead(name));
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                return result;
            }

            public IFlashFile OpenCreate(string name)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                IFlashFile result = new File(this, _inner.OpenCreate(name));
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                return result;
            }

            public IFlashFile OpenAppend(string name)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                IFlashFile result = new File(this, _inner.OpenAppend(name));
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                return result;
            }

            public void Delete(string name)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                _inner.Delete(name);
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            public void Replace(string source, string destination)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                _inner.Replace(source, destination);
                Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            private sealed class File : IFlashFile
            {
                private readonly MeasuringStorage _owner;
                private readonly IFlashFile _inner;

                public File(MeasuringStorage owner, IFlashFile inner)
                {
                    _owner = owner;
                    _inner = inner;
                }

                public long Length => _inner.Length;

                public int Read(byte[] buffer, int offset, int count)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    int read = _inner.Read(buffer, offset, count);
                    _owner.Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                    return read;
                }

                public void Write(byte[] buffer, int offset, int count)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    _inner.Write(buffer, offset, count);
                    _owner.Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                }

                public void Flush()
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    _inner.Flush();
                    _owner.Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                }

                public void Dispose()
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    _inner.Dispose();
                    _owner.Allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                }
            }
        }
    }
}
