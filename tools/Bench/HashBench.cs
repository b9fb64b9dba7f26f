using System.Diagnostics;
using System.Security.Cryptography;
using AliyunIot.Crypto;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section b: the firmware's managed MD5/SHA-1/SHA-256 against .NET's native (OS crypto) on the same 1 MiB,
    /// fed in 4 KiB appends as the OTA download does. Best of N runs (the machine is shared), digests cross-checked.
    /// </summary>
    public static class HashBench
    {
        private const int Size = 1024 * 1024;
        private const int Chunk = 4096;

        /// <summary>Runs the section.</summary>
        public static void Run(Results results, bool quick)
        {
            int runs = quick ? 5 : 20;
            Console.WriteLine($"[hash] 1 MiB, {Chunk} B appends, best of {runs} runs after >= 1 s warm-up per implementation");
            var data = new byte[Size];
            new Random(42).NextBytes(data);
            Compare(results, "MD5", () => new Md5(), MD5.HashData, data, runs, 5);
            Compare(results, "SHA-1", () => new Sha1(), SHA1.HashData, data, runs, 0);
            Compare(results, "SHA-256", () => new Sha256(), SHA256.HashData, data, runs, 10);
        }

        private static void Compare(Results results, string name, Func<HashBase> create, Func<byte[], byte[]> native, byte[] data, int runs, double targetRatio)
        {
            byte[] managedDigest = Managed(create, data);
            if (!managedDigest.AsSpan().SequenceEqual(native(data)))
            {
                throw new InvalidOperationException(name + ": managed digest differs from native");
            }

            double managed = Best(runs, () => Managed(create, data));
            double nat = Best(runs, () => native(data));
            double managedMBs = Size / 1e6 / managed;
            double nativeMBs = Size / 1e6 / nat;
            double ratio = managed / nat;
            results.Add("hash", name + " managed (firmware/AliyunIot/Crypto)", managedMBs, "MB/s", $"{managed * 1000:0.00} ms per MiB");
            results.Add("hash", name + " native (.NET System.Security.Cryptography)", nativeMBs, "MB/s", $"{nat * 1000:0.00} ms per MiB");
            if (targetRatio > 0)
            {
                results.AddTarget("hash", name + " managed/native time ratio", ratio, "x", $"<= {targetRatio:0}x", ratio <= targetRatio);
            }
            else
            {
                results.Add("hash", name + " managed/native time ratio", ratio, "x", "no target");
            }
        }

        private static byte[] Managed(Func<HashBase> create, byte[] data)
        {
            HashBase hash = create();
            for (int offset = 0; offset < data.Length; offset += Chunk)
            {
                hash.Append(data, offset, Math.Min(Chunk, data.Length - offset));
            }

            return hash.Finish();
        }

        private static double Best(int runs, Func<byte[]> action)
        {
            // Warm-up by time, not count: tiered JIT must have promoted the compression loops before we measure.
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 5 || sw.ElapsedMilliseconds < 1000; i++)
            {
                action();
            }

            double best = double.MaxValue;
            for (int i = 0; i < runs; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                action();
                best = Math.Min(best, (double)(Stopwatch.GetTimestamp() - t0) / Stopwatch.Frequency);
            }

            return best;
        }
    }
}
