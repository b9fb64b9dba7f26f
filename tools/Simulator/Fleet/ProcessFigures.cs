using System.Diagnostics;
using System.Globalization;

namespace AliyunIot.Simulator.Fleet
{
    /// <summary>
    /// What hosting a fleet costs this process: threads, memory and garbage-collector pauses since a starting
    /// point. A thousand simulated devices run ~3,000 threads, and every collection walks every thread's stack, so
    /// GC pauses (not the devices' behaviour) can show as gaps in the fleet's histograms: printed so a reader can tell.
    /// </summary>
    public sealed class ProcessFigures
    {
        private readonly int _gen0;
        private readonly int _gen1;
        private readonly int _gen2;
        private readonly TimeSpan _pause;

        private ProcessFigures()
        {
            _gen0 = GC.CollectionCount(0);
            _gen1 = GC.CollectionCount(1);
            _gen2 = GC.CollectionCount(2);
            _pause = GC.GetTotalPauseDuration();
        }

        /// <summary>Remembers the current collection counts and pause total.</summary>
        public static ProcessFigures Now() => new ProcessFigures();

        /// <summary>One line: threads, working set, managed heap, collections and pause time since <see cref="Now"/>.</summary>
        public string SinceThen()
        {
            using Process self = Process.GetCurrentProcess();
            return string.Format(
                CultureInfo.InvariantCulture,
                "{0} threads, working set {1:0} MiB, managed heap {2:0.0} MiB; GC since then: {3}/{4}/{5} collections (gen0/1/2), {6:0} ms paused",
                self.Threads.Count,
                self.WorkingSet64 / 1048576.0,
                GC.GetTotalMemory(false) / 1048576.0,
                GC.CollectionCount(0) - _gen0,
                GC.CollectionCount(1) - _gen1,
                GC.CollectionCount(2) - _gen2,
                (GC.GetTotalPauseDuration() - _pause).TotalMilliseconds);
        }
    }
}
