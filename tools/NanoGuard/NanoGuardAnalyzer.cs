using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NanoGuard
{
    /// <summary>
    /// Refuses, in portable code, what nanoFramework 1.x cannot compile or run: language features the runtime
    /// lacks (generics, async, yield, Nullable, tuples, records, decimal, Span, multi-dimensional arrays, LINQ,
    /// dynamic, Task) and any framework member, type or overload missing from the nanoFramework API listing
    /// (build/nanoframework-api/*.txt, passed as AdditionalFiles).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NanoGuardAnalyzer : DiagnosticAnalyzer
    {
        private static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
            Rules.GenericDeclaration, Rules.GenericUse, Rules.Async, Rules.Iterator, Rules.NullableValue, Rules.Tuple,
            Rules.Record, Rules.Decimal, Rules.Span, Rules.MultiDimensionalArray, Rules.Query, Rules.Dynamic, Rules.Task,
            Rules.ForbiddenMember, Rules.FormatString, Rules.ApiMissing, Rules.ListingMissing);

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => All;

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                ApiListing listing = ApiListing.Load(start.Options.AdditionalFiles, start.CancellationToken);
                if (listing == null)
                {
                    start.RegisterCompilationEndAction(end => end.ReportDiagnostic(Diagnostic.Create(Rules.ListingMissing, Location.None)));
                }

                var api = new ApiConformance(start.Compilation, listing);
                start.RegisterSemanticModelAction(model =>
                    new PortableCodeWalker(model.SemanticModel, api, model.ReportDiagnostic, model.CancellationToken).Run());
            });
        }
    }
}
