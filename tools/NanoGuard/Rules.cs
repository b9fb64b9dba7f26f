using Microsoft.CodeAnalysis;

namespace NanoGuard
{
    /// <summary>
    /// The diagnostics NanoGuard reports. Every one is an error in portable code (build/Portable.props lists
    /// them in WarningsAsErrors as well, so that nobody can downgrade them with an .editorconfig by accident).
    /// </summary>
    internal static class Rules
    {
        private const string Category = "nanoFramework";


        public static readonly DiagnosticDescriptor GenericDeclaration = Make("NF0001", "Generic declaration",
            "'{0}' declares type parameters: generic types and methods compile but crash the nanoFramework 1.x runtime");

        public static readonly DiagnosticDescriptor GenericUse = Make("NF0002", "Generic type or method used",
            "'{0}' is generic: generic types and methods (List<T>, Action<T>, Func<>, EventHandler<T>, generic calls) crash the nanoFramework 1.x runtime; use ArrayList/Hashtable/arrays and delegates you declare");

        public static readonly DiagnosticDescriptor Async = Make("NF0003", "async/await",
            "'{0}': nanoFramework 1.x has no async/await; use a Thread and AutoResetEvent");

        public static readonly DiagnosticDescriptor Iterator = Make("NF0004", "yield",
            "'{0}': nanoFramework 1.x has no iterators (yield); return an array or ArrayList");

        public static readonly DiagnosticDescriptor NullableValue = Make("NF0005", "Nullable",
            "'{0}': nanoFramework 1.x has no Nullable<T> (int?) nor nullable annotations; use a sentinel value or a flag");

        public static readonly DiagnosticDescriptor Tuple = Make("NF0006", "Tuple",
            "'{0}': nanoFramework 1.x has no tuples (ValueTuple); declare a small class or use out parameters");

        public static readonly DiagnosticDescriptor Record = Make("NF0007", "record",
            "'{0}': nanoFramework 1.x has no records; write a class");

        public static readonly DiagnosticDescriptor Decimal = Make("NF0008", "decimal",
            "'{0}': nanoFramework 1.x has no decimal; use long (scaled) or double");

        public static readonly DiagnosticDescriptor Span = Make("NF0009", "Span/stackalloc",
            "'{0}': nanoFramework 1.x has no Span<T>/ReadOnlySpan<T>/Memory<T>/stackalloc; use byte[] with offset and count (or SpanByte in device code)");

        public static readonly DiagnosticDescriptor MultiDimensionalArray = Make("NF0010", "Multi-dimensional array",
            "'{0}': multi-dimensional arrays crash the nanoFramework 1.x runtime; use a jagged array or index arithmetic");

        public static readonly DiagnosticDescriptor Query = Make("NF0011", "LINQ",
            "'{0}': nanoFramework 1.x has no LINQ; write the loop");

        public static readonly DiagnosticDescriptor Dynamic = Make("NF0012", "dynamic",
            "'{0}': nanoFramework 1.x has no dynamic");

        public static readonly DiagnosticDescriptor Task = Make("NF0013", "Task",
            "'{0}': nanoFramework 1.x has no System.Threading.Tasks; use a Thread and AutoResetEvent");

        public static readonly DiagnosticDescriptor ForbiddenMember = Make("NF0014", "Member missing on nanoFramework",
            "'{0}' does not exist on nanoFramework 1.x: {1}");

        public static readonly DiagnosticDescriptor FormatString = Make("NF0015", "Unsupported format string",
            "Format '{0}' is not supported by nanoFramework 1.x: only D, F, G, N and X (with an optional precision) exist");

        public static readonly DiagnosticDescriptor ApiMissing = Make("NF0020", "API not in nanoFramework 1.x",
            "'{0}' is not in the nanoFramework 1.x API listing (build/nanoframework-api){1}");

        public static readonly DiagnosticDescriptor ListingMissing = new DiagnosticDescriptor("NF0021", "nanoFramework API listing missing",
            "No nanoFramework API listing was passed to NanoGuard: add build/nanoframework-api/*.txt as AdditionalFiles (build/Portable.props does)",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            customTags: new[] { WellKnownDiagnosticTags.CompilationEnd, WellKnownDiagnosticTags.NotConfigurable });

        private static DiagnosticDescriptor Make(string id, string title, string message)
        {
            return new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
                customTags: WellKnownDiagnosticTags.NotConfigurable);
        }
    }
}
