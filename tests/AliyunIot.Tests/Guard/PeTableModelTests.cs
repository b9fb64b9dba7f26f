using AliyunIot.Bench;
using AliyunIot.DeviceCompile;
using Xunit;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// The bench's heap model (tools/Bench/PeTableModel, docs/benchmarks.md "Budget") counts the rows the nanoFramework
    /// metadata processor writes. Checked against a real .pe (mscorlib.pe of nanoFramework.CoreLibrary 1.17.11, whose
    /// table sizes were also read by hand from its header: TypeDef 3,384 B / 24, FieldDef 696 B / 8, MethodDef 12,848 B / 16)
    /// and against small assemblies compiled against the real mscorlib whose rows are counted by hand below.
    /// </summary>
    public sealed class PeTableModelTests
    {
        private static string Mscorlib(string extension) => Path.Combine(AppContext.BaseDirectory, "nanoFramework", "mscorlib" + extension);

        [Fact]
        public void The_real_mscorlib_pe_header_is_read_as_the_metadata_processor_wrote_it()
        {
            PeRows pe = PeFileHeader.Read(Mscorlib(".pe"));

            Assert.Equal(new PeRows(0, 0, 0, 0, 141, 87, 803, 16), pe);
        }

        [Fact]
        public void Counting_mscorlib_dll_gives_the_rows_of_its_real_pe()
        {
            PeRows pe = PeFileHeader.Read(Mscorlib(".pe"));
            PeRows counted = PeRowCounter.Count(Path.Combine(AppContext.BaseDirectory, "nanoFramework", "mscorlib.dll"));

            Assert.Equal(pe.TypeDefs, counted.TypeDefs);
            Assert.Equal(pe.MethodDefs, counted.MethodDefs);
            Assert.Equal(pe.StaticFields, counted.StaticFields);
            Assert.Equal(0, counted.TypeRefs + counted.AssemblyRefs + counted.FieldRefs + counted.MethodRefs);

            // Known difference: two [ExcludeType] enums (DateTime.DateTimePart, BindingFlags) that kept code uses are
            // re-included with their value__ field; the real .pe has the same type count but 2 fields fewer.
            Assert.Equal(pe.FieldDefs + 2, counted.FieldDefs);
        }

        [Fact]
        public void A_small_assembly_has_the_rows_counted_by_hand()
        {
            const string source = @"
namespace Tiny
{
    public sealed class Counter
    {
        public const int Limit = 10;
        public static int Made;
        private int value;
        public Counter() { Made++; }
        public int Next() { value++; return value; }
        public string Text() { return value.ToString(); }
    }

    public enum Mode { Off, On }
}";
            PeRows rows = PeRowCounter.Count(Compile("pe-rows-tiny", source));

            // mscorlib; System.Object (Counter's base), System.Int32 (ToString's owner), System.Enum (Mode's base);
            // Object::.ctor and Int32::ToString; Counter and Mode (not <Module>); Made, value, Mode.value__ (the const
            // Limit and the enum's literals are not rows); Counter's .ctor, Next, Text. Assembly-level attributes are
            // not in a .pe, so their types are not counted.
            Assert.Equal(new PeRows(AssemblyRefs: 1, TypeRefs: 3, FieldRefs: 0, MethodRefs: 2, TypeDefs: 2, FieldDefs: 3, MethodDefs: 3, StaticFields: 1), rows);

            // 140 (CLR_RT_Assembly) + 4 + 3 x 4 + 2 x 4 + 2 x 8 + round4(3 x 2) + round4(3 x 2) + 1 x 12 + round4(3 x 1 debug)
            // = 212, rounded up to 12-byte heap blocks.
            Assert.Equal(216, PeTableModel.TableBytes(rows));
        }

        [Fact]
        public void Static_tables_built_by_static_constructors_are_counted_where_they_are_stored()
        {
            const string source = @"
namespace Tiny
{
    public static class Tables
    {
        public static readonly byte[] Table = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
        public static readonly string[] Names = { ""alpha"", ""beta"" };
    }
}";
            string dll = Compile("pe-statics-tiny", source);
            IReadOnlyList<StaticAllocation> statics = PeTableModel.Estimate(dll).Statics;

            // byte[16]: 20 B array header + 16 B, in 12-byte blocks = 36 B, its contents from the RVA data.
            StaticAllocation table = Assert.Single(statics, s => s.Target == "Tiny.Tables.Table");
            Assert.Equal(36, table.Bytes);
            Assert.Contains("from RVA data", table.What);

            // string[2]: 20 + 2 x 12 = 44 → 48 B, plus two 12 B string headers pointing into the assembly.
            Assert.Equal(72, statics.Where(s => s.Target == "Tiny.Tables.Names").Sum(s => s.Bytes));
        }

        private static string Compile(string name, string source)
        {
            CscResult result = DeviceCompileTests.Build.Value.CompileLibrary(name, source, Array.Empty<string>());
            Assert.True(result.ExitCode == 0, result.Output);
            return Path.Combine(DeviceCompileTests.Build.Value.OutputRoot, "snippets", name, name + ".dll");
        }
    }
}
