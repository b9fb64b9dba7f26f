using System.Globalization;
using System.Text;

namespace AliyunIot.Simulator.Fleet
{
    /// <summary>
    /// A text histogram of durations in fixed-width buckets, e.g. the reconnect times of a fleet after a broker
    /// restart: a storm shows as one tall bar, a jittered back-off as bars spread over the window.
    /// </summary>
    public sealed class Histogram
    {
        private readonly int[] _counts;

        /// <summary>Counts <paramref name="valuesMs"/> in buckets of <paramref name="bucketMs"/>.</summary>
        public Histogram(IEnumerable<double> valuesMs, double bucketMs)
        {
            if (bucketMs <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(bucketMs));
            }

            BucketMs = bucketMs;
            var values = valuesMs.ToList();
            int buckets = values.Count == 0 ? 1 : (int)(values.Max() / bucketMs) + 1;
            _counts = new int[buckets];
            foreach (double v in values)
            {
                _counts[(int)(Math.Max(0, v) / bucketMs)]++;
            }
        }

        /// <summary>Bucket width.</summary>
        public double BucketMs { get; }

        /// <summary>Count per bucket, first bucket = [0, BucketMs).</summary>
        public IReadOnlyList<int> Counts => _counts;

        /// <summary>Buckets holding at least one value.</summary>
        public int OccupiedBuckets => _counts.Count(c => c > 0);

        /// <summary>The largest share of all values in one bucket (0..1): near 1 means a storm.</summary>
        public double LargestBucketShare
        {
            get
            {
                int total = _counts.Sum();
                return total == 0 ? 0 : (double)_counts.Max() / total;
            }
        }

        /// <summary>One row per bucket: <c>  1.0-  2.0 s |████████ 42</c>.</summary>
        public string Render(int width = 50)
        {
            var text = new StringBuilder();
            int max = Math.Max(1, _counts.Max());
            for (int i = 0; i < _counts.Length; i++)
            {
                double from = i * BucketMs / 1000.0;
                double to = (i + 1) * BucketMs / 1000.0;
                int bar = _counts[i] == 0 ? 0 : Math.Max(1, _counts[i] * width / max);
                text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,6:0.0}-{1,5:0.0} s |{2} {3}", from, to, new string('█', bar), _counts[i]));
            }

            return text.ToString();
        }
    }
}
