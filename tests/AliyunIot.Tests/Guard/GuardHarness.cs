using Xunit;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NanoGuard;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// Compiles a C# snippet in memory the way the portable host build does (no implicit usings, nullable off) and
    /// runs NanoGuard on it with the real nanoFramework API listing from build/nanoframework-api.
    /// </summary>
    internal static class GuardHarness
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> References = new Lazy<ImmutableArray<MetadataReference>>(() =>
        {
            string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES");
            return tpa.Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                    || Path.GetFileName(p) == "mscorlib.dll" || Path.GetFileName(p) == "netstandard.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToImmutableArray();
        });

        /// <summary>The repository root (the folder holding build/nanoframework-api).</summary>
        public static string RepositoryRoot
        {
            get
            {
                for (DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                {
                    if (Directory.Exists(Path.Combine(dir.FullName, "build", "nanoframework-api"))
                        && Directory.Exists(Path.Combine(dir.FullName, "firmware")))
                    {
                        return dir.FullName;
                    }
                }

                throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
            }
        }

        /// <summary>NanoGuard's diagnostics for <paramref name="source"/>; fails if the snippet itself does not compile.</summary>
        public static IReadOnlyList<Diagnostic> Analyze(string source, bool withListing = true)
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Snippet.cs");
            var compilation = CSharpCompilation.Create(
                "PortableSnippet",
                new[] { tree },
                References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable, allowUnsafe: false));

            Diagnostic[] compileErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(compileErrors.Length == 0, "snippet does not compile: " + string.Join("; ", compileErrors.Select(d => d.ToString())));

            ImmutableArray<AdditionalText> additional = withListing
                ? Directory.GetFiles(Path.Combine(RepositoryRoot, "build", "nanoframework-api"), "*.txt")
                    .Select(p => (AdditionalText)new FileText(p)).ToImmutableArray()
                : ImmutableArray<AdditionalText>.Empty;
            var options = new AnalyzerOptions(additional);
            var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new NanoGuardAnalyzer()), options);
            ImmutableArray<Diagnostic> result = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            Diagnostic crash = result.FirstOrDefault(d => d.Id == "AD0001");
            Assert.True(crash == null, "analyzer crashed: " + crash);
            return result;
        }

        /// <summary>"ID: message" lines, for assertion messages.</summary>
        public static string Describe(IEnumerable<Diagnostic> diagnostics)
        {
            return string.Join(Environment.NewLine, diagnostics.Select(d => d.Id + " " + d.Location.GetLineSpan().StartLinePosition + ": " + d.GetMessage()));
        }

        private sealed class FileText : AdditionalText
        {
            public FileText(string path)
            {
                Path = path;
            }

            public override string Path { get; }

            public override SourceText GetText(CancellationToken cancellationToken = default)
            {
                return SourceText.From(File.ReadAllText(Path));
            }
        }
    }
}
