using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NanoGuard
{
    /// <summary>
    /// The public API of the nanoFramework 1.x assemblies, read from build/nanoframework-api/*.txt
    /// (passed to the compiler as AdditionalFiles). Format, one type a header line then its members indented:
    /// <code>
    /// class : System.Object System.Math
    ///     field static double PI
    ///     static int Abs(int value)
    /// enum System.IO.SeekOrigin
    ///     Begin
    /// </code>
    /// Properties appear as get_X/set_X, events as add_X/remove_X, constructors as .ctor, out parameters as
    /// "ref T". Types listed in several files are merged.
    /// </summary>
    internal sealed class ApiListing
    {
        private readonly Dictionary<string, ListedType> _types = new Dictionary<string, ListedType>(StringComparer.Ordinal);

        /// <summary>Number of listing files read.</summary>
        public int FileCount { get; private set; }

        /// <summary>Whether a file name looks like one of the listing files (and not the README or BannedSymbols).</summary>
        public static bool IsListingFile(string path)
        {
            if (path == null || !path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            string normalized = path.Replace('\\', '/');
            return normalized.IndexOf("/nanoframework-api/", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <summary>Reads every listing among the additional files; null when there is none.</summary>
        public static ApiListing Load(ImmutableArray<AdditionalText> files, CancellationToken cancellationToken)
        {
            ApiListing listing = null;
            foreach (AdditionalText file in files)
            {
                if (!IsListingFile(file.Path))
                {
                    continue;
                }

                SourceText text = file.GetText(cancellationToken);
                if (text == null)
                {
                    continue;
                }

                if (listing == null)
                {
                    listing = new ApiListing();
                }

                listing.Parse(text);
                listing.FileCount++;
            }

            return listing;
        }

        /// <summary>Parses listing text (also used by tests with an in-memory listing).</summary>
        public static ApiListing Parse(IEnumerable<string> texts)
        {
            var listing = new ApiListing();
            foreach (string t in texts)
            {
                listing.Parse(SourceText.From(t));
                listing.FileCount++;
            }

            return listing;
        }

        /// <summary>The listed type with this full metadata name (nested types joined by '+'), or null.</summary>
        public ListedType Find(string fullName)
        {
            ListedType type;
            return _types.TryGetValue(fullName, out type) ? type : null;
        }

        private void Parse(SourceText text)
        {
            ListedType current = null;
            foreach (TextLine line in text.Lines)
            {
                string raw = line.ToString();
                if (raw.Trim().Length == 0)
                {
                    continue;
                }

                if (raw[0] != ' ' && raw[0] != '\t')
                {
                    current = ParseHeader(raw.Trim());
                    continue;
                }

                if (current != null)
                {
                    current.AddMember(raw.Trim());
                }
            }
        }

        private ListedType ParseHeader(string header)
        {
            // "class : Base Full.Name implements I1, I2", "class System.Object", "struct X", "enum X", "delegate X`1<1>"
            string rest = header;
            int implements = rest.IndexOf(" implements ", StringComparison.Ordinal);
            if (implements >= 0)
            {
                rest = rest.Substring(0, implements);
            }

            string[] parts = rest.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                return null;
            }

            string kind = parts[0];
            string baseName = null;
            string name;
            if (parts.Length >= 4 && parts[1] == ":")
            {
                baseName = parts[2];
                name = parts[3];
            }
            else
            {
                name = parts[1];
            }

            // Generic arity marker "Action`1<1>": the metadata name is "Action`1".
            int angle = name.IndexOf('<');
            if (angle > 0)
            {
                name = name.Substring(0, angle);
            }

            if (baseName == null)
            {
                switch (kind)
                {
                    case "struct":
                        baseName = "System.ValueType";
                        break;
                    case "enum":
                        baseName = "System.Enum";
                        break;
                    case "delegate":
                        baseName = "System.MulticastDelegate";
                        break;
                    default:
                        // Interfaces expose object's members too; classes without a base are System.Object itself.
                        baseName = name == "System.Object" ? null : "System.Object";
                        break;
                }
            }

            ListedType type;
            if (!_types.TryGetValue(name, out type))
            {
                type = new ListedType(name, kind, baseName);
                _types.Add(name, type);
            }

            return type;
        }
    }

    /// <summary>One listed type: its base (as listed) and members by name.</summary>
    internal sealed class ListedType
    {
        private readonly Dictionary<string, List<ListedMethod>> _methods = new Dictionary<string, List<ListedMethod>>(StringComparer.Ordinal);
        private readonly HashSet<string> _fields = new HashSet<string>(StringComparer.Ordinal);

        public ListedType(string fullName, string kind, string baseName)
        {
            FullName = fullName;
            Kind = kind;
            BaseName = baseName;
        }

        public string FullName { get; }

        public string Kind { get; }

        public string BaseName { get; }

        public bool HasField(string name) => _fields.Contains(name);

        public bool HasMethodNamed(string name) => _methods.ContainsKey(name);

        public IReadOnlyList<ListedMethod> Methods(string name)
        {
            List<ListedMethod> list;
            return _methods.TryGetValue(name, out list) ? (IReadOnlyList<ListedMethod>)list : Array.Empty<ListedMethod>();
        }

        public void AddMember(string line)
        {
            int paren = line.IndexOf('(');
            if (paren < 0)
            {
                // "field static int MaxValue", "field object Key" or an enum member "Begin".
                string[] tokens = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                _fields.Add(tokens[tokens.Length - 1]);
                return;
            }

            string head = line.Substring(0, paren);
            string[] headTokens = head.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            string name = headTokens[headTokens.Length - 1];
            int close = line.LastIndexOf(')');
            string inner = close > paren ? line.Substring(paren + 1, close - paren - 1).Trim() : string.Empty;
            var parameters = new List<string>();
            if (inner.Length > 0)
            {
                foreach (string p in inner.Split(','))
                {
                    string[] ptoks = p.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                    // Drop the parameter name (last token); keep "ref" when present.
                    string typeText = ptoks.Length >= 2 ? string.Join(" ", ptoks, 0, ptoks.Length - 1) : ptoks[0];
                    parameters.Add(ApiSpelling.NormalizeListed(typeText));
                }
            }

            List<ListedMethod> overloads;
            if (!_methods.TryGetValue(name, out overloads))
            {
                overloads = new List<ListedMethod>();
                _methods.Add(name, overloads);
            }

            overloads.Add(new ListedMethod(name, parameters.ToArray(), line));
        }
    }

    /// <summary>One listed method (also accessors, operators and constructors).</summary>
    internal sealed class ListedMethod
    {
        public ListedMethod(string name, string[] parameterTypes, string text)
        {
            Name = name;
            ParameterTypes = parameterTypes;
            Text = text;
        }

        public string Name { get; }

        /// <summary>Parameter types spelled as in the listing ("int", "byte[]", "ref int", "System.TimeSpan").</summary>
        public string[] ParameterTypes { get; }

        public string Text { get; }

        public string Signature => Name + "(" + string.Join(", ", ParameterTypes) + ")";
    }
}
