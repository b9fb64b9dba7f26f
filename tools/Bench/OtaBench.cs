using System.Diagnostics;
using System.Security.Cryptography;
using AliyunIot.Crypto;
using AliyunIot.HostPorts.Http;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ports;
using AliyunIot.TestBroker;
using AliyunIot.TestBroker.Https;
using OtaPartition;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section c: an OTA image of 1 MiB and 8 MiB through the real HTTPS test server (Kestrel, TestCa certificate),
    /// the host HttpDownloader, the firmware's managed MD5 and OtaPartition's SlotWriter over FileFlashStorage in a temp
    /// folder — the path OtaAgent takes (one 4 KiB buffer; per chunk: write, flush, hash; its sink is internal, so the
    /// bench's sink repeats those three calls). Two passes per size: one for throughput (heap sampled without forcing
    /// GC), one forcing a full GC every 256 KiB to find the peak LIVE managed heap above the baseline.
    /// </summary>
    public static class OtaBench
    {
        private const int ChunkSize = 4096;

        /// <summary>Runs the section.</summary>
        public static void Run(Results results, bool quick)
        {
            Console.WriteLine("[ota] HTTPS download -> MD5 (managed) -> SlotWriter/FileFlashStorage, chunk " + ChunkSize + " B");
            var ca = new TestCa("Bench OTA CA");
            using var server = HttpsTestServer.Start(ca.IssueServerCertificate("localhost", "127.0.0.1"));
            var live = new Dictionary<int, long>();
            foreach (int mib in new[] { 1, 8 })
            {
                int size = mib * 1024 * 1024;
                var image = new byte[size];
                new Random(mib).NextBytes(image);
                byte[] expected = MD5.HashData(image);
                string url = server.AddFile("/ota/bench-" + mib + ".img", image);

                // Warm-up (JIT, TLS session machinery) on the first size only.
                if (mib == 1)
                {
                    Once(url, size, ca.CertificatePem, expected, false);
                }

                int runs = quick ? 1 : 3;
                Measurement best = null;
                for (int r = 0; r < runs; r++)
                {
                    Measurement m = Once(url, size, ca.CertificatePem, expected, false);
                    if (best == null || m.Seconds < best.Seconds)
                    {
                        best = m;
                    }
                }

                Measurement peak = Once(url, size, ca.CertificatePem, expected, true);
                live[mib] = peak.PeakLiveAboveBaseline;
                results.Add("ota", $"{mib} MiB update: throughput", size / 1e6 / best.Seconds, "MB/s", $"best of {runs}; {best.Seconds * 1000:0} ms");
                results.Add("ota", $"{mib} MiB update: managed bytes allocated (process, incl. in-process server)", best.Allocated, "B", $"{(double)best.Allocated / size:0.00} B per image byte");
                results.Add("ota", $"{mib} MiB update: peak sampled heap above baseline (no forced GC)", best.PeakSampledAboveBaseline, "B", "GC.GetTotalMemory(false) every ~1 ms");
                results.Add("ota", $"{mib} MiB update: peak live heap above baseline (full GC every 256 KiB)", peak.PeakLiveAboveBaseline, "B", $"GCMemoryInfo heap after: {peak.HeapAfter:N0} B");
                if (mib == 1)
                {
                    HttpClientAllocationBench.Run(results, url, ca.CertificatePem, ChunkSize);
                }

                if (mib == 8)
                {
                    // Where the time goes: the same download and hash with the slot store left out.
                    Measurement noStore = Once(url, size, ca.CertificatePem, expected, false, false);
                    results.Add("ota", $"{mib} MiB download + hash only (no slot store, no flush): throughput", size / 1e6 / noStore.Seconds, "MB/s", "splits network/TLS from flash cost");
                }

                server.RemoveFile("/ota/bench-" + mib + ".img");
            }

            long diff = Math.Abs(live[8] - live[1]);
            results.AddTarget("ota", "peak live heap: |8 MiB - 1 MiB|", diff, "B", "<= one chunk (" + ChunkSize + " B)", diff <= ChunkSize);
        }

        private static Measurement Once(string url, int size, string caPem, byte[] expected, bool forceGc, bool slotStore = true)
        {
            string folder = Path.Combine(Path.GetTempPath(), "aliyuniot-bench-ota-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var storage = new FileFlashStorage(folder, 64L * 1024 * 1024);
                var store = new SlotStore(storage);
                var downloader = new HttpDownloader(60000);
                var buffer = new byte[ChunkSize];
                var hash = new Md5();
                long baseline = GC.GetTotalMemory(true);
                var measurement = new Measurement();
                using var sampler = forceGc ? null : new HeapSampler(baseline);
                long allocated0 = GC.GetTotalAllocatedBytes(true);
                long t0 = Stopwatch.GetTimestamp();
                if (!slotStore)
                {
                    HttpDownloadResult only = downloader.Download(url, 0, buffer, caPem, new HashOnlySink(hash));
                    if (only.Status != HttpDownloadStatus.Completed)
                    {
                        throw new InvalidOperationException("download failed: " + only.Detail);
                    }
                }
                else
                {
                using (SlotWriter writer = store.OpenWriter("bench-" + size, size))
                {
                    var sink = new SlotSink(writer, hash, forceGc ? baseline : -1);
                    HttpDownloadResult result = downloader.Download(url, 0, buffer, caPem, sink);
                    if (result.Status != HttpDownloadStatus.Completed || !writer.IsComplete)
                    {
                        throw new InvalidOperationException("download failed: " + result.Detail);
                    }

                    measurement.PeakLiveAboveBaseline = sink.PeakLiveAboveBaseline;
                }
                }

                byte[] digest = hash.Finish();
                measurement.Seconds = (double)(Stopwatch.GetTimestamp() - t0) / Stopwatch.Frequency;
                measurement.Allocated = GC.GetTotalAllocatedBytes(true) - allocated0;
                measurement.PeakSampledAboveBaseline = sampler?.Stop() ?? 0;
                measurement.HeapAfter = GC.GetGCMemoryInfo().HeapSizeBytes;
                if (!digest.AsSpan().SequenceEqual(expected))
                {
                    throw new InvalidOperationException("digest mismatch after download");
                }

                return measurement;
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        private sealed class Measurement
        {
            public double Seconds;
            public long Allocated;
            public long PeakSampledAboveBaseline;
            public long PeakLiveAboveBaseline;
            public long HeapAfter;
        }

        /// <summary>What OtaDownloadSink does per chunk: write, flush, hash (plus optional live-heap probes).</summary>
        private sealed class SlotSink : IDownloadSink
        {
            private readonly SlotWriter _writer;
            private readonly IHash _hash;
            private readonly long _baseline;
            private int _chunks;

            public SlotSink(SlotWriter writer, IHash hash, long baseline)
            {
                _writer = writer;
                _hash = hash;
                _baseline = baseline;
            }

            public long PeakLiveAboveBaseline { get; private set; }

            public bool OnStart(int statusCode, long rangeStart, long contentLength) => rangeStart == 0;

            public bool OnChunk(byte[] buffer, int count)
            {
                _writer.Write(buffer, 0, count);
                _writer.Flush();
                _hash.Append(buffer, 0, count);
                if (_baseline >= 0 && ++_chunks % 64 == 0)
                {
                    PeakLiveAboveBaseline = Math.Max(PeakLiveAboveBaseline, GC.GetTotalMemory(true) - _baseline);
                }

                return true;
            }
        }

        /// <summary>Hash only: isolates the download and hashing from the slot store.</summary>
        private sealed class HashOnlySink : IDownloadSink
        {
            private readonly IHash _hash;

            public HashOnlySink(IHash hash) => _hash = hash;

            public bool OnStart(int statusCode, long rangeStart, long contentLength) => rangeStart == 0;

            public bool OnChunk(byte[] buffer, int count)
            {
                _hash.Append(buffer, 0, count);
                return true;
            }
        }

        /// <summary>Samples GC.GetTotalMemory(false) on a background thread; keeps the maximum.</summary>
        private sealed class HeapSampler : IDisposable
        {
            private readonly long _baseline;
            private readonly Thread _thread;
            private volatile bool _stop;
            private long _peak;

            public HeapSampler(long baseline)
            {
                _baseline = baseline;
                _thread = new Thread(Loop) { IsBackground = true, Name = "heap-sampler" };
                _thread.Start();
            }

            public long Stop()
            {
                _stop = true;
                _thread.Join();
                return _peak - _baseline;
            }

            public void Dispose()
            {
                if (!_stop)
                {
                    Stop();
                }
            }

            private void Loop()
            {
                while (!_stop)
                {
                    _peak = Math.Max(_peak, GC.GetTotalMemory(false));
                    Thread.Sleep(1);
                }
            }
        }
    }
}
