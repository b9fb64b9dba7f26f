using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AliyunIot.Bench
{
    /// <summary>One measured number, with the target it is judged against (if any).</summary>
    public sealed class ResultRow
    {
        /// <summary>Section (post, hash, ota, latency, fleet).</summary>
        public string Section { get; set; }

        /// <summary>What was measured.</summary>
        public string Name { get; set; }

        /// <summary>The value.</summary>
        public double Value { get; set; }

        /// <summary>Unit of <see cref="Value"/>.</summary>
        public string Unit { get; set; }

        /// <summary>Target text, or empty.</summary>
        public string Target { get; set; } = string.Empty;

        /// <summary>"met", "MISSED" or empty when there is no target.</summary>
        public string Verdict { get; set; } = string.Empty;

        /// <summary>Free text (iterations, conditions).</summary>
        public string Note { get; set; } = string.Empty;
    }

    /// <summary>Collects rows, prints them as a table, writes markdown + JSON.</summary>
    public sealed class Results
    {
        private readonly List<ResultRow> _rows = new();

        /// <summary>All rows so far.</summary>
        public IReadOnlyList<ResultRow> Rows => _rows;

        /// <summary>Adds a row without a target.</summary>
        public ResultRow Add(string section, string name, double value, string unit, string note = "")
        {
            var row = new ResultRow { Section = section, Name = name, Value = value, Unit = unit, Note = note };
            _rows.Add(row);
            Console.WriteLine($"  {section,-8} {name,-52} {Format(value),14} {unit,-8} {note}");
            return row;
        }

        /// <summary>Adds a row judged against a target: met when <paramref name="met"/>.</summary>
        public ResultRow AddTarget(string section, string name, double value, string unit, string target, bool met, string note = "")
        {
            var row = Add(section, name, value, unit, note);
            row.Target = target;
            row.Verdict = met ? "met" : "MISSED";
            Console.WriteLine($"  {"",-8} -> target {target}: {row.Verdict}");
            return row;
        }

        /// <summary>Number formatting used everywhere (invariant culture).</summary>
        public static string Format(double v)
        {
            if (Math.Abs(v) >= 100 || v == Math.Floor(v))
            {
                return v.ToString("N0", CultureInfo.InvariantCulture);
            }

            return v.ToString(Math.Abs(v) >= 1 ? "0.00" : "0.0000", CultureInfo.InvariantCulture);
        }

        /// <summary>Writes results.md and results.json into <paramref name="folder"/>; returns the markdown path.</summary>
        public string Write(string folder, string header)
        {
            Directory.CreateDirectory(folder);
            var md = new StringBuilder();
            md.AppendLine("# Benchmark results").AppendLine().AppendLine(header).AppendLine();
            md.AppendLine("| section | measurement | value | unit | target | verdict | note |");
            md.AppendLine("|---|---|---:|---|---|---|---|");
            foreach (ResultRow r in _rows)
            {
                md.AppendLine($"| {r.Section} | {r.Name} | {Format(r.Value)} | {r.Unit} | {r.Target} | {r.Verdict} | {r.Note} |");
            }

            string mdPath = Path.Combine(folder, "results.md");
            File.WriteAllText(mdPath, md.ToString());
            File.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(new { header, rows = _rows }, new JsonSerializerOptions { WriteIndented = true }));
            return mdPath;
        }
    }
}
