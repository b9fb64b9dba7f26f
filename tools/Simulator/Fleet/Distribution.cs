using System.Globalization;

namespace AliyunIot.Simulator.Fleet
{
    /// <summary>Order statistics of a set of durations (milliseconds): min, percentiles, max.</summary>
    public sealed class Distribution
    {
        private readonly double[] _sorted;

        /// <summary>Builds the statistics of <paramref name="valuesMs"/>.</summary>
        public Distribution(IEnumerable<double> valuesMs)
        {
            _sorted = valuesMs.OrderBy(v => v).ToArray();
        }

        /// <summary>Number of values.</summary>
        public int Count => _sorted.Length;

        /// <summary>Smallest value (0 when empty).</summary>
        public double Min => Count == 0 ? 0 : _sorted[0];

        /// <summary>Largest value (0 when empty).</summary>
        public double Max => Count == 0 ? 0 : _sorted[^1];

        /// <summary>The nearest-rank percentile <paramref name="p"/> (0..100).</summary>
        public double Percentile(double p)
        {
            if (Count == 0)
            {
                return 0;
            }

            int rank = (int)Math.Ceiling(p / 100.0 * Count);
            return _sorted[Math.Clamp(rank - 1, 0, Count - 1)];
        }

        /// <summary>One line: <c>n=100 min=.. p50=.. p90=.. p99=.. max=.. ms</c>.</summary>
        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "n={0} min={1:0} p50={2:0} p90={3:0} p99={4:0} max={5:0} ms",
            Count,
            Min,
            Percentile(50),
            Percentile(90),
            Percentile(99),
            Max);
    }
}
