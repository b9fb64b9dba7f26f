namespace AliyunIot.DeviceCompile;

/// <summary>
/// build/nanoframework-api/*.txt read into types and members, one listing file per assembly (the file name without
/// .txt is the assembly name). Format (see the folder's README.md): a header line per type
/// (<c>class : Base Full.Name implements I1, I2</c>, <c>struct</c>, <c>interface</c>, <c>enum</c>, <c>delegate</c>;
/// nested types joined by '+'), then its members indented, one a line, with <c>static</c>/<c>virtual</c>/<c>abstract</c>
/// markers; properties as get_X/set_X, events as add_X/remove_X, constructors as .ctor, fields as
/// <c>field [static] T Name</c>, out parameters as <c>ref T</c>, enum members by name.
/// </summary>
internal sealed class ApiListing
{
    private readonly Dictionary<string, ApiType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ApiType>> _byAssembly = new(StringComparer.Ordinal);

    /// <summary>The assembly names, one per listing file, in ordinal order.</summary>
    public IReadOnlyList<string> Assemblies => _byAssembly.Keys.OrderBy(a => a, StringComparer.Ordinal).ToArray();

    /// <summary>Reads every *.txt but README from a folder.</summary>
    public static ApiListing Load(string folder)
    {
        var files = Directory.GetFiles(folder, "*.txt").OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText, StringComparer.Ordinal);
        return Parse(files);
    }

    /// <summary>Parses listings given as assembly name → text.</summary>
    public static ApiListing Parse(IReadOnlyDictionary<string, string> listings)
    {
        var listing = new ApiListing();
        foreach (KeyValuePair<string, string> file in listings)
        {
            listing.ParseFile(file.Key, file.Value);
        }

        return listing;
    }

    /// <summary>The types one listing file declares.</summary>
    public IReadOnlyList<ApiType> TypesOf(string assembly)
    {
        return _byAssembly.TryGetValue(assembly, out List<ApiType> types) ? types : Array.Empty<ApiType>();
    }

    /// <summary>A listed type by its metadata name ("A.B+C"), or null.</summary>
    public ApiType Find(string fullName)
    {
        return fullName != null && _types.TryGetValue(fullName, out ApiType type) ? type : null;
    }

    private void ParseFile(string assembly, string text)
    {
        var types = new List<ApiType>();
        _byAssembly.Add(assembly, types);
        ApiType current = null;
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (line[0] != ' ' && line[0] != '\t')
            {
                current = ParseHeader(assembly, line.Trim());
                if (!_types.TryAdd(current.FullName, current))
                {
                    throw new FormatException($"{assembly}.txt:{lineNumber}: {current.FullName} is listed twice");
                }

                types.Add(current);
                continue;
            }

            if (current == null)
            {
                throw new FormatException($"{assembly}.txt:{lineNumber}: member before any type");
            }

            current.Members.Add(ParseMember(current, line.Trim()));
        }
    }

    private static ApiType ParseHeader(string assembly, string header)
    {
        var type = new ApiType { Assembly = assembly };
        string rest = header;
        int implements = rest.IndexOf(" implements ", StringComparison.Ordinal);
        if (implements >= 0)
        {
            type.Interfaces.AddRange(SplitTopLevel(rest.Substring(implements + " implements ".Length)));
            rest = rest.Substring(0, implements);
        }

        string[] parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        type.Kind = parts[0];
        if (parts.Length >= 4 && parts[1] == ":")
        {
            type.BaseName = parts[2];
            type.FullName = parts[3];
        }
        else
        {
            type.FullName = parts[1];
        }

        // Generic arity marker in mscorlib ("Action`1<1>"): the metadata name is "Action`1".
        int angle = type.FullName.IndexOf('<');
        if (angle > 0)
        {
            type.FullName = type.FullName.Substring(0, angle);
        }

        return type;
    }

    private static ApiMember ParseMember(ApiType owner, string line)
    {
        var member = new ApiMember { Text = line };
        int paren = line.IndexOf('(');
        if (paren < 0)
        {
            string[] tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (owner.Kind == "enum" && tokens.Length == 1)
            {
                member.Kind = MemberKind.EnumValue;
                member.Name = tokens[0];
                return member;
            }

            if (tokens[0] != "field" || tokens.Length < 3)
            {
                throw new FormatException($"{owner.Assembly}.txt: cannot read member '{line}' of {owner.FullName}");
            }

            member.Kind = MemberKind.Field;
            member.IsStatic = tokens.Contains("static");
            member.Type = tokens[^2];
            member.Name = tokens[^1];
            return member;
        }

        member.Kind = MemberKind.Method;
        string[] head = line.Substring(0, paren).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        member.Name = head[^1];
        int i = 0;
        for (; i < head.Length - 2; i++)
        {
            switch (head[i])
            {
                case "static": member.IsStatic = true; break;
                case "virtual": member.IsVirtual = true; break;
                case "abstract": member.IsAbstract = true; break;
                default: throw new FormatException($"{owner.Assembly}.txt: unknown marker '{head[i]}' in '{line}'");
            }
        }

        member.Type = head.Length >= 2 ? head[^2] : "void";
        int close = line.LastIndexOf(')');
        string inner = line.Substring(paren + 1, close - paren - 1).Trim();
        foreach (string p in SplitTopLevel(inner))
        {
            string[] tokens = p.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var parameter = new ApiParameter();
            int t = 0;
            if (tokens[0] == "ref")
            {
                parameter.IsByRef = true;
                t = 1;
            }

            parameter.Type = tokens[t];
            parameter.Name = tokens.Length > t + 1 ? tokens[^1] : "p" + member.Parameters.Count;
            member.Parameters.Add(parameter);
        }

        return member;
    }

    /// <summary>Splits "a, b&lt;c, d&gt;, e" at the top-level commas.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '<' || c == '[')
            {
                depth++;
            }
            else if (c == '>' || c == ']')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                string part = text.Substring(start, i - start).Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }

                start = i + 1;
            }
        }

        string last = text.Substring(start).Trim();
        if (last.Length > 0)
        {
            yield return last;
        }
    }
}

/// <summary>One listed type.</summary>
internal sealed class ApiType
{
    /// <summary>The listing file (= assembly) that declares it.</summary>
    public string Assembly { get; set; }

    /// <summary>class, struct, interface, enum or delegate.</summary>
    public string Kind { get; set; }

    /// <summary>Metadata name, nested types joined by '+'.</summary>
    public string FullName { get; set; }

    /// <summary>The listed base type, or null (structs, enums, delegates, interfaces, System.Object).</summary>
    public string BaseName { get; set; }

    /// <summary>Implemented (or, for an interface, inherited) interfaces.</summary>
    public List<string> Interfaces { get; } = new();

    /// <summary>Members in listing order.</summary>
    public List<ApiMember> Members { get; } = new();

    /// <summary>The enclosing type's metadata name for a nested type, else null.</summary>
    public string DeclaringTypeName => FullName.Contains('+') ? FullName.Substring(0, FullName.LastIndexOf('+')) : null;

    /// <summary>The simple name.</summary>
    public string Name
    {
        get
        {
            int cut = Math.Max(FullName.LastIndexOf('+'), DeclaringTypeName == null ? FullName.LastIndexOf('.') : -1);
            return FullName.Substring(cut + 1);
        }
    }

    /// <summary>The namespace of the outermost type ("" for none).</summary>
    public string Namespace
    {
        get
        {
            string outer = FullName.Split('+')[0];
            int dot = outer.LastIndexOf('.');
            return dot < 0 ? "" : outer.Substring(0, dot);
        }
    }

    public override string ToString() => FullName;
}

/// <summary>What a listing line declares.</summary>
internal enum MemberKind
{
    Method,
    Field,
    EnumValue,
}

/// <summary>One listed member (methods include accessors, operators and constructors).</summary>
internal sealed class ApiMember
{
    public MemberKind Kind { get; set; }

    public string Name { get; set; }

    /// <summary>Return type of a method, type of a field.</summary>
    public string Type { get; set; }

    public bool IsStatic { get; set; }

    public bool IsVirtual { get; set; }

    public bool IsAbstract { get; set; }

    public List<ApiParameter> Parameters { get; } = new();

    /// <summary>The listing line as written.</summary>
    public string Text { get; set; }

    /// <summary>Name and parameter types, the identity used to match overrides and interface members.</summary>
    public string Signature => Name + "(" + string.Join(",", Parameters.Select(p => (p.IsByRef ? "ref " : "") + p.Type)) + ")";

    public override string ToString() => Text;
}

/// <summary>One parameter: type as listed, name, and whether it is passed by reference (ref or out).</summary>
internal sealed class ApiParameter
{
    public string Type { get; set; }

    public string Name { get; set; }

    public bool IsByRef { get; set; }
}
