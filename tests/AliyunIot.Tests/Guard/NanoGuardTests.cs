using Xunit;
using Microsoft.CodeAnalysis;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// NanoGuard refuses each construct nanoFramework 1.x lacks, accepts what portable code is meant to use, and
    /// checks framework members against the nanoFramework API listing.
    /// </summary>
    public sealed class NanoGuardTests
    {
        private const string Usings = "using System; using System.Collections; using System.Text; using System.Threading;\n";

        private static string InClass(string members)
        {
            return Usings + "namespace Probe { public delegate void Handler(int value); public class C { " + members + " } }";
        }

        public static TheoryData<string, string> Forbidden => new TheoryData<string, string>
        {
            // generic declarations
            { "NF0001", Usings + "namespace Probe { public class Box<T> { } }" },
            { "NF0001", InClass("public T Echo<T>(T value) { return value; }") },
            { "NF0001", Usings + "namespace Probe { public delegate void Callback<T>(T value); }" },
            { "NF0001", InClass("public int M() { int Local<T>(T v) { return 1; } return Local(2); }") },
            // generic uses in every position
            { "NF0002", Usings + "using System.Collections.Generic; namespace Probe { public class C { private List<int> _items; } }" },
            { "NF0002", InClass("public void M(Action<int> callback) { }") },
            { "NF0002", InClass("public Func<int> M() { return null; }") },
            { "NF0002", InClass("public event EventHandler<EventArgs> Changed;") },
            { "NF0002", Usings + "namespace Probe { public class C : System.IEquatable<C> { public bool Equals(C other) { return true; } } }" },
            { "NF0002", InClass("public int M(int[] a) { return Array.IndexOf<int>(a, 3); }") },
            { "NF0002", InClass("public void M() { Array.Resize(ref _a, 4); } private int[] _a = new int[2];") },
            { "NF0002", InClass("public void M() { var f = () => 1; }") },
            { "NF0002", InClass("public object M() { return Array.Empty<byte>(); }") },
            { "NF0002", Usings + "namespace Probe { public static class Own { public static T Pick<T>(T a) { return a; } } public class C { public int M() { return Own.Pick(3); } } }" },
            // async / await
            { "NF0003", InClass("public async void M() { }") },
            { "NF0003", InClass("public async System.Threading.Tasks.Task M() { await System.Threading.Tasks.Task.Delay(1); }") },
            // yield
            { "NF0004", InClass("public IEnumerable M() { yield return 1; }") },
            // Nullable
            { "NF0005", InClass("public int? M() { return null; }") },
            { "NF0005", InClass("public Nullable<int> M() { return 1; }") },
            // tuples
            { "NF0006", InClass("public (int, string) M() { return (1, \"a\"); }") },
            { "NF0006", InClass("public void M() { var t = (1, 2); }") },
            { "NF0006", InClass("public void M(ref int a, ref int b) { (a, b) = (b, a); }") },
            // records
            { "NF0007", Usings + "namespace Probe { public record Point(int X, int Y); }" },
            // decimal
            { "NF0008", InClass("public decimal M() { return 1.5m; }") },
            // Span / stackalloc
            { "NF0009", InClass("public int M(byte[] b) { Span<byte> s = b; return s.Length; }") },
            { "NF0009", InClass("public int M(string s) { ReadOnlySpan<char> r = s.AsSpan(); return r.Length; }") },
            { "NF0009", InClass("public unsafe int M() { Span<byte> s = stackalloc byte[4]; return s.Length; }").Replace("public unsafe", "public") },
            // multi-dimensional arrays
            { "NF0010", InClass("private int[,] _grid = new int[2, 2];") },
            // LINQ query syntax
            { "NF0011", Usings + "using System.Linq; namespace Probe { public class C { public object M(int[] a) { return from x in a where x > 1 select x; } } }" },
            // dynamic
            { "NF0012", InClass("public object M(dynamic d) { return d; }") },
            // Task
            { "NF0013", InClass("public System.Threading.Tasks.Task M() { return null; }") },
            { "NF0013", InClass("public void M() { System.Threading.Tasks.Task.Run(() => { }); }") },
            // members that do not exist on the device, with the replacement
            { "NF0014", InClass("public DateTime M() { return DateTime.Now; }") },
            { "NF0014", InClass("public bool M(AutoResetEvent e) { return e.WaitOne(100); }") },
            { "NF0014", InClass("public string M(string[] a) { return string.Join(\",\", a); }") },
            { "NF0014", InClass("public string M(string s) { return s.Replace(\"a\", \"b\"); }") },
            { "NF0014", InClass("public string M(string s) { return s.Replace('a', 'b'); }") },
            // custom numeric formats
            { "NF0015", InClass("public string M(double d) { return d.ToString(\"0.00\"); }") },
            { "NF0015", InClass("public string M(int i) { return $\"{i:000}\"; }") },
            { "NF0015", InClass("public string M(double d) { return string.Format(\"{0:0.00}\", d); }") },
            { "NF0015", InClass("public string M(string s, int i) { return string.Format(\"{0} {1,5:000}\", s, i); }") },
            { "NF0015", InClass("public string M(object[] values) { return string.Format(\"{0:#}\", values); }") },
            { "NF0015", InClass("public string M(int a, int b, int c, int d) { return string.Format(\"{0}{1}{2}{3:00}\", a, b, c, d); }") },
        };

        [Theory]
        [MemberData(nameof(Forbidden))]
        public void Forbidden_construct_is_an_error_with_its_id(string id, string source)
        {
            IReadOnlyList<Diagnostic> diagnostics = GuardHarness.Analyze(source);
            Diagnostic hit = diagnostics.FirstOrDefault(d => d.Id == id);
            Assert.True(hit != null, "expected " + id + ", got:\n" + GuardHarness.Describe(diagnostics));
            Assert.Equal(DiagnosticSeverity.Error, hit.Severity);
        }

        public static TheoryData<string, string> MissingFromListing => new TheoryData<string, string>
        {
            { "Math.Round", InClass("public double M(double x) { return Math.Round(x, 2); }") },
            { "Encoding.GetString", InClass("public string M(byte[] b) { return Encoding.UTF8.GetString(b); }") },
            { "String.Contains", InClass("public bool M(string s) { return s.Contains('x'); }") },
            { "String.IsNullOrWhiteSpace", InClass("public bool M(string s) { return string.IsNullOrWhiteSpace(s); }") },
            { "Char.IsDigit", InClass("public bool M(char c) { return char.IsDigit(c); }") },
            { "Math.Max", InClass("public long M(long a, long b) { return Math.Max(a, b); }") },
            { "Console.WriteLine", InClass("public void M(int a) { Console.WriteLine(a); }") },
            { "String.IndexOf", InClass("public int M(string s) { return s.IndexOf(\"a\", StringComparison.Ordinal); }") },
            { "Interlocked.Increment", InClass("private long _n; public long M() { return Interlocked.Increment(ref _n); }") },
            { "ArgumentOutOfRangeException", InClass("public void M(int v) { throw new ArgumentOutOfRangeException(\"v\", v, \"bad\"); }") },
            { "Stream.Write", InClass("public void M(System.IO.MemoryStream s, byte[] b) { s.Write(b); }") },
            { "Int32.ToString", InClass("public string M(int v) { return v.ToString(System.Globalization.CultureInfo.InvariantCulture); }") },
            { "Enum.GetNames", InClass("public string[] M() { return Enum.GetNames(typeof(DayOfWeek)); }") },
            { "StringComparison", InClass("public bool M(string a) { return a.Equals(\"b\", StringComparison.OrdinalIgnoreCase); }") },
            { "Guid.ToString", InClass("public string M(Guid g) { return g.ToString(\"N\"); }") },
            { "Random.Next", InClass("public int M(Random r) { return r.Next(1, 5); }") },
            { "StringBuilder.AppendFormat", InClass("public void M(StringBuilder sb) { sb.AppendFormat(\"{0}\", 1); }") },
            { "ArrayList.Sort", InClass("public void M(ArrayList a) { a.Sort(); }") },
            { "Hashtable.ContainsKey", InClass("public bool M(Hashtable h) { return h.ContainsKey(\"a\"); }") },
            { "TimeSpan.FromSeconds", InClass("public TimeSpan M() { return TimeSpan.FromSeconds(1.5); }") },
            { "Regex", Usings + "namespace Probe { public class C { public bool M(string s) { return System.Text.RegularExpressions.Regex.IsMatch(s, \"a\"); } } }" },
            { "Buffer.BlockCopy", InClass("public void M(byte[] a, byte[] b) { Buffer.BlockCopy(a, 0, b, 0, 1); }") },
            { "override Stream.Write", InClass("").Replace("public class C {", "public class S : System.IO.MemoryStream { public override void Write(byte[] b, int o, int c) { } public override void CopyTo(System.IO.Stream d, int size) { } } public class C {") },
        };

        [Theory]
        [MemberData(nameof(MissingFromListing))]
        public void Framework_member_missing_from_the_listing_is_NF0020(string what, string source)
        {
            IReadOnlyList<Diagnostic> diagnostics = GuardHarness.Analyze(source);
            Assert.True(diagnostics.Any(d => d.Id == "NF0020"), what + ": expected NF0020, got:\n" + GuardHarness.Describe(diagnostics));
        }

        [Fact]
        public void Message_names_the_overloads_the_device_has()
        {
            IReadOnlyList<Diagnostic> diagnostics = GuardHarness.Analyze(InClass("public double M(double x) { return Math.Round(x, 2); }"));
            Diagnostic hit = Assert.Single(diagnostics);
            Assert.Equal("NF0020", hit.Id);
            Assert.Contains("System.Math has no Round(double, int); the device has Round(double)", hit.GetMessage());
        }

        /// <summary>Ordinary portable code: every member here exists on nanoFramework 1.x.</summary>
        private const string Allowed = Usings + @"
namespace Probe
{
    public delegate void ValueHandler(int value);
    public delegate bool Predicate(object item);
    public enum Mode { Off, On }

    public sealed class ProbeException : Exception
    {
        public ProbeException(string message) : base(message) { }
        public ProbeException(string message, Exception inner) : base(message, inner) { }
    }

    public interface IThing : IDisposable { int Count { get; } }

    public class Worker : IThing
    {
        private readonly object _gate = new object();
        private readonly ArrayList _items = new ArrayList();
        private readonly Hashtable _table = new Hashtable();
        private readonly AutoResetEvent _signal = new AutoResetEvent(false);
        private ValueHandler _handler;
        private Thread _thread;
        private int _count;
        private Mode _mode = Mode.Off;

        public event ValueHandler Changed;

        public int Count { get { lock (_gate) { return _items.Count; } } }

        public string Describe(int a, long b, double c, byte[] data, string name, char ch)
        {
            var sb = new StringBuilder();
            sb.Append(""a="").Append(a).Append(',').Append(b).Append(c);
            sb.Append(name, 0, 1).Replace(""x"", ""y"");
            sb.AppendLine();
            sb[0] = sb[1];
            string text = $""{name}:{a} {b:X} {c:F2} {a,5} {ch}"" + name + a + ch + (a + 1);
            text = text + string.Format(""{0}-{1}"", a, name) + string.Concat(""a"", ""b"", ""c"", ""d"", ""e"");
            text += Encoding.UTF8.GetString(data, 0, data.Length) + Convert.ToBase64String(data) + a.ToString(""X2"") + b.ToString();
            string[] parts = name.Split(',');
            parts = name.Split(new[] { ';', ',' });
            text += name.Substring(1).Trim().ToLower() + name.IndexOf('a') + name.IndexOf(""ab"") + name.Length + name[0] + parts.Length;
            text += name.StartsWith(""x"") && name.EndsWith(""y"") && name.Contains(""z"") ? ""1"" : ""0"";
            int parsed;
            if (int.TryParse(name, out parsed) && !string.IsNullOrEmpty(name) && name == ""a"" && name != ""b"")
            {
                text += parsed.Equals(3) ? Math.Max(a, parsed) : Math.Abs(-a);
            }

            text += Math.Floor(c) + Math.Pow(c, 2) + Math.Min(c, 1.0) + Math.Round(c);
            return text + sb.ToString() + string.Empty + sb.Length + Encoding.UTF8.GetBytes(name).Length;
        }

        public void Run()
        {
            _handler = v => _count += v;
            _handler += OnValue;
            ValueHandler local = delegate (int v) { _count -= v; };
            local(1);
            _handler(2);
            Changed?.Invoke(3);
            Changed += OnValue;
            _thread = new Thread(Loop);
            _thread.Start();
            _signal.Set();
            _thread.Join(1000);
            Thread.Sleep(1);
            _items.Add(1);
            _items.Add(""two"");
            _items.Insert(0, 3);
            _items.RemoveAt(0);
            object first = _items[0];
            _items[0] = first;
            _table[""k""] = 1;
            _table.Add(""j"", 2);
            if (_table.Contains(""k"")) { _table.Remove(""k""); }
            foreach (DictionaryEntry e in _table) { _items.Add(e.Key); }
            foreach (object o in _items) { _count += o == null ? 0 : 1; }
            var list = new ArrayList { 1, 2, 3 };
            var map = new Hashtable { { ""a"", 1 } };
            byte[] buffer = new byte[16];
            byte[][] jagged = new byte[2][];
            jagged[0] = buffer;
            Array.Copy(buffer, 0, jagged[0], 0, 4);
            Array.Clear(buffer, 0, buffer.Length);
            int found = Array.IndexOf(buffer, (byte)3);
            _mode = _count > 3 ? Mode.On : Mode.Off;
            switch (_mode)
            {
                case Mode.On: _count++; break;
                default: _count--; break;
            }

            string s = _count switch { 0 => ""zero"", 1 => ""one"", _ => ""many"" };
            switch (s) { case ""zero"": break; case ""one"": break; }
            object boxed = s;
            if (boxed is string str && str.Length > 0) { _count += str.Length; }
            DateTime now = DateTime.UtcNow;
            TimeSpan span = now - DateTime.UtcNow;
            if (span > TimeSpan.Zero || span.TotalMilliseconds > 5 || now.AddSeconds(1) > now) { _count++; }
            long ticks = now.Ticks + TimeSpan.FromMilliseconds(500).Ticks + TimeSpan.TicksPerSecond;
            _count += (int)(ticks % 7) + list.Count + map.Count + found + int.MaxValue.GetHashCode() + jagged.Length;
            using (var ms = new System.IO.MemoryStream())
            {
                ms.Write(buffer, 0, buffer.Length);
                ms.Position = 0;
                ms.WriteByte(1);
                _count += (int)ms.Length + ms.ToArray().Length + ms.Read(buffer, 0, 1);
            }

            try { throw new ProbeException(""x""); }
            catch (ProbeException ex) when (ex.Message != null) { _count += ex.Message.Length; }
            catch (Exception) { throw; }
            finally { _count++; }

            if (!_signal.WaitOne(10, false)) { _count++; }
            int x = 0;
            Interlocked.Increment(ref x);
            ArgumentNullException.ThrowIfNull(boxed);
            System.Diagnostics.Debug.Assert(x > 0, $""x is {x}"");
            var interpolated = new StringBuilder().Append($""{x} {s}"");
            Debug(x.ToString() + ((int)_mode).ToString() + nameof(Run) + typeof(Worker).Name + GetType().FullName);
            int Helper(int y) => y * 2;
            _count = Helper(_count);
            var r = new Random();
            _count += r.Next(10) + (int)(r.NextDouble() * 10);
            Guid g = Guid.NewGuid();
            _count += g.ToString().Length + BitConverter.GetBytes(_count).Length;
        }

        private static void Debug(string line) { System.Diagnostics.Debug.WriteLine(line); }

        private void OnValue(int value) { _count += value; }

        private void Loop() { _signal.WaitOne(); }

        public override string ToString() { return ""worker "" + _count; }

        public override bool Equals(object obj) { return ReferenceEquals(this, obj); }

        public override int GetHashCode() { return _count; }

        public void Dispose() { _signal.Reset(); }
    }
}";

        [Fact]
        public void Ordinary_portable_code_passes()
        {
            IReadOnlyList<Diagnostic> diagnostics = GuardHarness.Analyze(Allowed);
            Assert.True(diagnostics.Count == 0, GuardHarness.Describe(diagnostics));
        }

        [Fact]
        public void String_format_items_with_device_formats_or_on_non_numbers_pass()
        {
            string source = InClass("public string M(double d, int i, string s, DateTime t) { return string.Format(\"{0:F2} {1,4:X} {2:yyyy} {{0:000}} {3}\", d, i, s, t); }");
            IReadOnlyList<Diagnostic> diagnostics = GuardHarness.Analyze(source);
            Assert.True(diagnostics.Count == 0, GuardHarness.Describe(diagnostics));
        }

        [Fact]
        public void Without_the_listing_the_guard_says_so()
        {
            IReadOnlyList<Diagnostic> diagnostics = GuardHarness.Analyze(InClass("public int M() { return 1; }"), withListing: false);
            Assert.Contains(diagnostics, d => d.Id == "NF0021");
        }

        [Fact]
        public void Our_own_types_are_not_checked_against_the_framework_listing()
        {
            string source = Usings + "namespace Probe { public class Own { public int Round(double x, int digits) { return digits; } } public class C { public int M() { return new Own().Round(1.0, 2); } } }";
            IReadOnlyList<Diagnostic> diagnostics = GuardHarness.Analyze(source);
            Assert.True(diagnostics.Count == 0, GuardHarness.Describe(diagnostics));
        }
    }
}
