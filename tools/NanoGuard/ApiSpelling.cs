using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;

namespace NanoGuard
{
    /// <summary>
    /// Maps between Roslyn type symbols and the way the listing spells types: C# keywords for the built-in
    /// types ("int", "string", "object"), "T[]" for arrays, "ref T" for ref/out parameters, bare "IntPtr",
    /// full names with '+' for nested types, "!0" for a generic type's parameters.
    /// </summary>
    internal static class ApiSpelling
    {
        private static readonly Dictionary<string, SpecialType> Keywords = new Dictionary<string, SpecialType>
        {
            { "object", SpecialType.System_Object },
            { "string", SpecialType.System_String },
            { "bool", SpecialType.System_Boolean },
            { "char", SpecialType.System_Char },
            { "sbyte", SpecialType.System_SByte },
            { "byte", SpecialType.System_Byte },
            { "short", SpecialType.System_Int16 },
            { "ushort", SpecialType.System_UInt16 },
            { "int", SpecialType.System_Int32 },
            { "uint", SpecialType.System_UInt32 },
            { "long", SpecialType.System_Int64 },
            { "ulong", SpecialType.System_UInt64 },
            { "float", SpecialType.System_Single },
            { "double", SpecialType.System_Double },
            { "decimal", SpecialType.System_Decimal },
            { "void", SpecialType.System_Void },
        };

        /// <summary>Normalizes a listing spelling ("System.IntPtr" and "IntPtr" are the same).</summary>
        public static string NormalizeListed(string text)
        {
            string t = text.Trim();
            if (t == "System.IntPtr")
            {
                return "IntPtr";
            }

            if (t == "System.UIntPtr")
            {
                return "UIntPtr";
            }

            return t;
        }

        /// <summary>The listing spelling of a parameter of this type and ref kind.</summary>
        public static string Spell(ITypeSymbol type, RefKind refKind)
        {
            string t = Spell(type);
            return refKind == RefKind.Ref || refKind == RefKind.Out ? "ref " + t : t;
        }

        /// <summary>The listing spelling of a type.</summary>
        public static string Spell(ITypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_Object: return "object";
                case SpecialType.System_String: return "string";
                case SpecialType.System_Boolean: return "bool";
                case SpecialType.System_Char: return "char";
                case SpecialType.System_SByte: return "sbyte";
                case SpecialType.System_Byte: return "byte";
                case SpecialType.System_Int16: return "short";
                case SpecialType.System_UInt16: return "ushort";
                case SpecialType.System_Int32: return "int";
                case SpecialType.System_UInt32: return "uint";
                case SpecialType.System_Int64: return "long";
                case SpecialType.System_UInt64: return "ulong";
                case SpecialType.System_Single: return "float";
                case SpecialType.System_Double: return "double";
                case SpecialType.System_Decimal: return "decimal";
                case SpecialType.System_Void: return "void";
                case SpecialType.System_IntPtr: return "IntPtr";
                case SpecialType.System_UIntPtr: return "UIntPtr";
            }

            var array = type as IArrayTypeSymbol;
            if (array != null)
            {
                return Spell(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]";
            }

            var typeParameter = type as ITypeParameterSymbol;
            if (typeParameter != null)
            {
                return (typeParameter.TypeParameterKind == TypeParameterKind.Method ? "!!" : "!") + typeParameter.Ordinal;
            }

            var named = type as INamedTypeSymbol;
            if (named != null)
            {
                return FullName(named);
            }

            return type.ToDisplayString();
        }

        /// <summary>Full metadata name of a type's definition: "System.IO.IOException+IOExceptionErrorCode", "System.Action`1".</summary>
        public static string FullName(INamedTypeSymbol type)
        {
            INamedTypeSymbol definition = type.OriginalDefinition;
            var sb = new StringBuilder();
            if (definition.ContainingType != null)
            {
                sb.Append(FullName(definition.ContainingType)).Append('+');
            }
            else if (definition.ContainingNamespace != null && !definition.ContainingNamespace.IsGlobalNamespace)
            {
                sb.Append(definition.ContainingNamespace.ToDisplayString()).Append('.');
            }

            sb.Append(definition.MetadataName);
            return sb.ToString();
        }

        /// <summary>Resolves a listing spelling to a type of the compilation (null when unknown or generic).</summary>
        public static ITypeSymbol Resolve(Compilation compilation, string spelled)
        {
            string t = spelled;
            if (t.StartsWith("ref ", System.StringComparison.Ordinal))
            {
                t = t.Substring(4);
            }

            if (t.EndsWith("[]", System.StringComparison.Ordinal))
            {
                ITypeSymbol element = Resolve(compilation, t.Substring(0, t.Length - 2));
                return element == null ? null : compilation.CreateArrayTypeSymbol(element);
            }

            SpecialType special;
            if (Keywords.TryGetValue(t, out special))
            {
                return compilation.GetSpecialType(special);
            }

            if (t == "IntPtr")
            {
                return compilation.GetSpecialType(SpecialType.System_IntPtr);
            }

            if (t == "UIntPtr")
            {
                return compilation.GetSpecialType(SpecialType.System_UIntPtr);
            }

            if (t.StartsWith("!", System.StringComparison.Ordinal))
            {
                return null;
            }

            return compilation.GetTypeByMetadataName(t);
        }
    }
}
