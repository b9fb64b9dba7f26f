using AliyunIot.DeviceCompile;
using Xunit;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// The listing format becomes the C# surface it describes: from a small in-memory listing, get_X/set_X is a
    /// property, get_Item an indexer, add_X/remove_X an event, op_X an operator, "+" a nested type, a delegate its
    /// Invoke, a static primitive field a constant, an abstract member an abstract class, an interface member the
    /// class does not list an explicit implementation, and a class without a listed constructor cannot be
    /// constructed. The generated source is compiled with the SDK's csc against the real mscorlib, then used.
    /// </summary>
    public sealed class StubWriterTests
    {
        private const string Listing = @"class : System.Object Lib.Widget implements System.IDisposable
    void .ctor(int size)
    int get_Count()
    void set_Count(int value)
    int get_Item(int index)
    void add_Changed(Lib.ChangedHandler value)
    void remove_Changed(Lib.ChangedHandler value)
    static Lib.Widget op_Implicit(int size)
    static bool op_Equality(Lib.Widget a, Lib.Widget b)
    static bool op_Inequality(Lib.Widget a, Lib.Widget b)
    virtual void Dispose()
    field static int MaxSize
enum Lib.Widget+Mode
    Fast
    Slow
delegate Lib.ChangedHandler
    void .ctor(object object, IntPtr method)
    virtual void Invoke(object sender, int count)
class : System.Object Lib.Tools
    static int Twice(int value)
class : System.Object Lib.Shape
    abstract double get_Area()
    void .ctor()
class : Lib.Shape Lib.Square
    virtual double get_Area()
    void .ctor(double side)
interface Lib.INamed
    abstract string get_Name()
class : System.Object Lib.Thing implements Lib.INamed
    void .ctor()
struct Lib.Point
    void .ctor(int x, int y)
    field int X
";

        private const string Uses = @"class U
{
    int M(Lib.Widget w)
    {
        int n = w.Count; w.Count = n; int i = w[0];
        w.Changed += new Lib.ChangedHandler(H);
        Lib.Widget v = 5; bool same = v == w || v != w;
        Lib.Widget.Mode m = Lib.Widget.Mode.Slow;
        switch (n) { case Lib.Widget.MaxSize: break; }
        Lib.Shape s = new Lib.Square(2.0); double a = s.Area;
        Lib.INamed named = new Lib.Thing(); string name = named.Name;
        Lib.Point p = new Lib.Point(1, 2);
        using (w) { }
        return Lib.Tools.Twice(p.X + i);
    }

    void H(object sender, int count) { }
}";

        private static readonly (string Name, string Code, string Error)[] Refused =
        {
            ("missing-member", "w.Missing();", "CS1061"),
            ("read-only-indexer", "w[0] = 1;", "CS0200"),
            ("unlisted-constructor", "object o = new Lib.Widget();", "CS7036"),
            ("no-listed-constructor", "object o = new Lib.Tools();", "CS1729"),
            ("abstract-class", "object o = new Lib.Shape();", "CS0144"),
            ("explicit-interface-member", "string s = new Lib.Thing().Name;", "CS1061"),
        };

        private static readonly Lazy<(CscResult Library, CscResult Uses, CscResult Refused)> Compiled = new Lazy<(CscResult, CscResult, CscResult)>(() =>
        {
            DeviceBuild build = DeviceCompileTests.Build.Value;
            var listing = ApiListing.Parse(new Dictionary<string, string> { ["Lib"] = Listing });
            string source = new StubWriter(listing).Write("Lib", "1.2.3.0", Array.Empty<string>());
            CscResult library = build.CompileLibrary("stubwriter-lib", source, Array.Empty<string>());
            string dll = Path.Combine(build.OutputRoot, "snippets", "stubwriter-lib", "stubwriter-lib.dll");
            CscResult uses = build.CompileLibrary("stubwriter-uses", Uses, new[] { dll });
            string refused = string.Join(Environment.NewLine, Refused.Select((r, i) => $"class R{i} {{ void M(Lib.Widget w) {{ {r.Code} }} }}"));
            CscResult refusedResult = build.CompileLibrary("stubwriter-refused", refused, new[] { dll });
            return (library, uses, refusedResult);
        });

        [Fact]
        public void The_generated_library_compiles_against_the_real_mscorlib()
        {
            Assert.True(Compiled.Value.Library.ExitCode == 0, Compiled.Value.Library.Output);
        }

        [Fact]
        public void What_the_listing_describes_is_usable_as_CSharp()
        {
            Assert.True(Compiled.Value.Uses.ExitCode == 0 && !Compiled.Value.Uses.Errors.Any(), Compiled.Value.Uses.Output);
        }

        [Theory]
        [InlineData("missing-member")]
        [InlineData("read-only-indexer")]
        [InlineData("unlisted-constructor")]
        [InlineData("no-listed-constructor")]
        [InlineData("abstract-class")]
        [InlineData("explicit-interface-member")]
        public void What_the_listing_does_not_describe_is_refused(string name)
        {
            int line = Array.FindIndex(Refused, r => r.Name == name) + 1;
            string expected = Refused[line - 1].Error;

            Assert.True(Compiled.Value.Refused.Errors.Any(e => e.Line == line && e.Id == expected),
                $"{name}: expected {expected} on line {line}:{Environment.NewLine}{Compiled.Value.Refused.Output}");
        }
    }
}
