using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace NanoGuard
{
    /// <summary>A parameter as a call site uses it: its type and whether it is passed by reference.</summary>
    internal struct ParameterUse
    {
        public ParameterUse(ITypeSymbol type, RefKind refKind)
        {
            Type = type;
            RefKind = refKind;
        }

        public ITypeSymbol Type { get; }

        public RefKind RefKind { get; }

        public string Spelled => ApiSpelling.Spell(Type, RefKind);
    }

    /// <summary>
    /// Decides whether a framework member the host compiler bound exists on nanoFramework 1.x, by looking it up
    /// in the API listing: same type (or a listed base), same name, same parameter types.
    /// </summary>
    /// <remarks>
    /// The host binds against .NET, so its chosen overload can differ from the one the device compiler would pick
    /// from the smaller nanoFramework surface. The rule therefore accepts, besides an exact match:
    /// <list type="bullet">
    /// <item>an overload whose parameters the host's parameter types convert to by identity, reference or
    /// boxing conversion (e.g. int.Equals(int) → ValueType.Equals(object)); never by numeric conversion, since
    /// Math.Abs(long) would silently become Math.Abs(float) on the device;</item>
    /// <item>a listed overload whose last parameter is an array E[] fed by the host call's trailing arguments of
    /// type E (params expansion: string.Format(string, object) → Format(string, object[]),
    /// "a".Split(',') → Split(char[])). The listing does not say which arrays are `params`; a non-params array
    /// accepted this way fails on the device compiler, not at run time;</item>
    /// <item>host arguments left to an optional parameter's default are ignored (the device must have the
    /// shorter overload, and the listing is searched for exactly that); failing that, the full signature is looked
    /// up too (ArgumentNullException.ThrowIfNull(x) fills a [CallerArgumentExpression] parameter on both
    /// platforms). The listing does not say which parameters are optional on the device, so a call accepted this
    /// way can still fail the device compiler, never the runtime;</item>
    /// <item>interpolated-string-handler parameters count as string (the device binds the string overload).</item>
    /// </list>
    /// Not checked: members the compiler calls implicitly while lowering (string concatenation and interpolation
    /// → String.Concat/Format, which the listing has; lock → Monitor.Enter; using → IDisposable.Dispose; foreach
    /// over arrays and strings); their device lowering uses what exists.
    /// </remarks>
    internal sealed class ApiConformance
    {
        private readonly Compilation _compilation;
        private readonly ApiListing _listing;
        private readonly ConcurrentDictionary<string, ITypeSymbol> _resolved = new ConcurrentDictionary<string, ITypeSymbol>(StringComparer.Ordinal);

        public ApiConformance(Compilation compilation, ApiListing listing)
        {
            _compilation = compilation;
            _listing = listing;
        }

        /// <summary>Whether a listing is present (without one only the language rules run).</summary>
        public bool HasListing => _listing != null;

        /// <summary>
        /// Whether a symbol belongs to the framework (as opposed to this compilation or our own assemblies such as
        /// OtaPartition). Framework = the .NET/nanoFramework assemblies: mscorlib, netstandard, System*, Microsoft.*,
        /// nanoFramework.*.
        /// </summary>
        public bool IsFramework(ISymbol symbol)
        {
            IAssemblySymbol assembly = symbol?.ContainingAssembly;
            if (assembly == null || SymbolEqualityComparer.Default.Equals(assembly, _compilation.Assembly))
            {
                return false;
            }

            string name = assembly.Identity.Name;
            return name == "mscorlib" || name == "netstandard" || name == "System"
                || name.StartsWith("System.", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.", StringComparison.Ordinal)
                || name.StartsWith("nanoFramework.", StringComparison.Ordinal);
        }

        /// <summary>Whether a framework type is listed.</summary>
        public bool IsListed(INamedTypeSymbol type)
        {
            return _listing == null || _listing.Find(ApiSpelling.FullName(type)) != null;
        }

        /// <summary>
        /// The listed types to search for a member, most specific first: the receiver's type and its bases (the host
        /// may bind a member on a base the device does not have, e.g. EventWaitHandle.Set where the device declares
        /// AutoResetEvent.Set), then the member's containing type and its listed bases.
        /// </summary>
        private List<ListedType> SearchChain(INamedTypeSymbol containingType, ITypeSymbol receiverType)
        {
            var chain = new List<ListedType>();
            for (ITypeSymbol t = receiverType; t != null; t = t.BaseType)
            {
                var named = t as INamedTypeSymbol;
                if (named == null || !IsFramework(named))
                {
                    continue;
                }

                AddListedChain(chain, _listing.Find(ApiSpelling.FullName(named)));
                if (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, containingType.OriginalDefinition))
                {
                    break;
                }
            }

            AddListedChain(chain, _listing.Find(ApiSpelling.FullName(containingType)));
            return chain;
        }

        private void AddListedChain(List<ListedType> chain, ListedType start)
        {
            for (ListedType t = start; t != null; t = Base(t))
            {
                if (!chain.Contains(t))
                {
                    chain.Add(t);
                }
            }
        }

        /// <summary>
        /// Checks a field (or enum member) of a framework type; null when listed, else a reason. A listed property
        /// getter of the same name is accepted too (the host and the device disagree on field vs property).
        /// </summary>
        public string CheckField(IFieldSymbol field, ITypeSymbol receiverType)
        {
            List<ListedType> chain = SearchChain(field.ContainingType, receiverType);
            if (chain.Count == 0)
            {
                return TypeMissing(field.ContainingType);
            }

            foreach (ListedType t in chain)
            {
                if (t.HasField(field.Name) || t.Methods("get_" + field.Name).Any(m => m.ParameterTypes.Length == 0))
                {
                    return null;
                }
            }

            return ": " + chain[0].FullName + " has no field '" + field.Name + "'";
        }

        /// <summary>Checks an event of a framework type by its add_/remove_ accessor.</summary>
        public string CheckEvent(IEventSymbol ev, bool remove, ITypeSymbol receiverType)
        {
            List<ListedType> chain = SearchChain(ev.ContainingType, receiverType);
            if (chain.Count == 0)
            {
                return TypeMissing(ev.ContainingType);
            }

            string accessor = (remove ? "remove_" : "add_") + ev.Name;
            foreach (ListedType t in chain)
            {
                if (t.HasMethodNamed(accessor))
                {
                    return null;
                }
            }

            return ": " + chain[0].FullName + " has no event '" + ev.Name + "'";
        }

        /// <summary>
        /// Checks a method, accessor, operator or constructor of a framework type as called with these parameters;
        /// null when the listing has a matching overload, else a reason naming the available overloads.
        /// <paramref name="fieldAlternative"/>: for a property accessor, the name of a field the device may have
        /// instead (DictionaryEntry.Key is a property on .NET and a field on nanoFramework).
        /// </summary>
        public string CheckMethod(INamedTypeSymbol containingType, string name, IReadOnlyList<ParameterUse> used,
            ITypeSymbol receiverType = null, string fieldAlternative = null)
        {
            List<ListedType> chain = name == ".ctor"
                ? SearchChain(containingType, null).Take(1).ToList() // constructors are not inherited
                : SearchChain(containingType, receiverType);
            if (chain.Count == 0)
            {
                return TypeMissing(containingType);
            }

            var seen = new List<ListedMethod>();
            foreach (ListedType t in chain)
            {
                if (fieldAlternative != null && used.Count == 0 && t.HasField(fieldAlternative))
                {
                    return null;
                }

                foreach (ListedMethod candidate in t.Methods(name))
                {
                    if (Matches(candidate, used))
                    {
                        return null;
                    }

                    seen.Add(candidate);
                }
            }

            var sb = new StringBuilder();
            sb.Append(": ").Append(chain[0].FullName).Append(" has no ").Append(name).Append('(')
              .Append(string.Join(", ", used.Select(u => u.Spelled))).Append(')');
            if (seen.Count == 0)
            {
                sb.Append(" and no member of that name");
            }
            else
            {
                sb.Append("; the device has ");
                sb.Append(string.Join(", ", seen.Take(6).Select(m => m.Signature)));
            }

            return sb.ToString();
        }

        /// <summary>The parameters a call actually supplies, from its argument operations (see remarks above).</summary>
        public List<ParameterUse> FromArguments(IMethodSymbol method, IEnumerable<IArgumentOperation> arguments, bool includeDefaults = false)
        {
            var result = new List<ParameterUse>();
            if (arguments == null)
            {
                foreach (IParameterSymbol p in method.Parameters)
                {
                    result.Add(Use(p.Type, p.RefKind));
                }

                return result;
            }

            foreach (IArgumentOperation argument in arguments.Where(a => a.Parameter != null).OrderBy(a => a.Parameter.Ordinal))
            {
                IParameterSymbol parameter = argument.Parameter;
                if (argument.ArgumentKind == ArgumentKind.DefaultValue && !includeDefaults)
                {
                    continue;
                }

                if (argument.ArgumentKind != ArgumentKind.Explicit && argument.Value != null && argument.Value.IsImplicit)
                {
                    // Expanded params array / params collection: one parameter per element supplied.
                    ITypeSymbol element = ElementType(parameter.Type);
                    int count = ElementCount(argument.Value);
                    if (element != null && count >= 0)
                    {
                        for (int i = 0; i < count; i++)
                        {
                            result.Add(Use(element, RefKind.None));
                        }

                        continue;
                    }
                }

                result.Add(Use(parameter.Type, parameter.RefKind));
            }

            return result;
        }

        /// <summary>The parameters of a method as declared.</summary>
        public List<ParameterUse> FromParameters(IEnumerable<IParameterSymbol> parameters)
        {
            return parameters.Select(p => Use(p.Type, p.RefKind)).ToList();
        }

        private ParameterUse Use(ITypeSymbol type, RefKind refKind)
        {
            if (IsInterpolatedStringHandler(type))
            {
                // sb.Append($"...") binds a handler overload on .NET; the device binds Append(string).
                return new ParameterUse(_compilation.GetSpecialType(SpecialType.System_String), RefKind.None);
            }

            return new ParameterUse(type, refKind == RefKind.Out ? RefKind.Out : refKind == RefKind.Ref ? RefKind.Ref : RefKind.None);
        }

        /// <summary>Whether a type is an interpolated string handler (attributed with InterpolatedStringHandlerAttribute).</summary>
        public static bool IsInterpolatedStringHandler(ITypeSymbol type)
        {
            if (type == null || type.TypeKind != TypeKind.Struct)
            {
                return false;
            }

            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass != null && attribute.AttributeClass.Name == "InterpolatedStringHandlerAttribute")
                {
                    return true;
                }
            }

            return false;
        }

        private static ITypeSymbol ElementType(ITypeSymbol collection)
        {
            var array = collection as IArrayTypeSymbol;
            if (array != null)
            {
                return array.ElementType;
            }

            var named = collection as INamedTypeSymbol;
            if (named != null && named.TypeArguments.Length == 1)
            {
                return named.TypeArguments[0];
            }

            return null;
        }

        private static int ElementCount(IOperation value)
        {
            var array = value as IArrayCreationOperation;
            if (array != null)
            {
                if (array.Initializer != null)
                {
                    return array.Initializer.ElementValues.Length;
                }

                // new T[0] synthesized for an empty params list.
                return 0;
            }

            var collection = value as ICollectionExpressionOperation;
            if (collection != null)
            {
                return collection.Elements.Length;
            }

            return -1;
        }

        private bool Matches(ListedMethod candidate, IReadOnlyList<ParameterUse> used)
        {
            string[] listed = candidate.ParameterTypes;
            if (listed.Length == used.Count)
            {
                bool exact = true;
                for (int i = 0; i < listed.Length && exact; i++)
                {
                    exact = listed[i] == used[i].Spelled;
                }

                if (exact)
                {
                    return true;
                }

                bool compatible = true;
                for (int i = 0; i < listed.Length && compatible; i++)
                {
                    compatible = Compatible(used[i], listed[i]);
                }

                if (compatible)
                {
                    return true;
                }
            }

            // params expansion of a trailing array parameter.
            if (listed.Length >= 1 && used.Count >= listed.Length - 1)
            {
                string last = listed[listed.Length - 1];
                if (last.EndsWith("[]", StringComparison.Ordinal) && !last.StartsWith("ref ", StringComparison.Ordinal))
                {
                    string element = last.Substring(0, last.Length - 2);
                    for (int i = 0; i < listed.Length - 1; i++)
                    {
                        if (!Compatible(used[i], listed[i]))
                        {
                            return false;
                        }
                    }

                    for (int i = listed.Length - 1; i < used.Count; i++)
                    {
                        if (!Compatible(used[i], element))
                        {
                            return false;
                        }
                    }

                    return true;
                }
            }

            return false;
        }

        private bool Compatible(ParameterUse used, string listed)
        {
            bool listedByRef = listed.StartsWith("ref ", StringComparison.Ordinal);
            bool usedByRef = used.RefKind != RefKind.None;
            if (listedByRef || usedByRef)
            {
                return listedByRef && usedByRef && listed == used.Spelled;
            }

            if (listed == used.Spelled)
            {
                return true;
            }

            ITypeSymbol target = _resolved.GetOrAdd(listed, l => ApiSpelling.Resolve(_compilation, l));
            if (target == null || used.Type == null || used.Type.TypeKind == TypeKind.TypeParameter)
            {
                return false;
            }

            var csharp = _compilation as Microsoft.CodeAnalysis.CSharp.CSharpCompilation;
            if (csharp == null)
            {
                return false;
            }

            Microsoft.CodeAnalysis.CSharp.Conversion conversion = csharp.ClassifyConversion(used.Type, target);
            return conversion.IsIdentity || (conversion.IsImplicit && (conversion.IsReference || conversion.IsBoxing));
        }

        private ListedType Base(ListedType type)
        {
            return type.BaseName == null ? null : _listing.Find(type.BaseName);
        }

        private static string TypeMissing(INamedTypeSymbol type)
        {
            return ": the type " + ApiSpelling.FullName(type) + " does not exist on the device";
        }
    }
}
