using System.Xml.Linq;

namespace AliyunIot.DeviceCompile;

/// <summary>
/// What a .nfproj tells the compiler: assembly name and kind, its &lt;Compile&gt; items (in listed order, linked files
/// included), its &lt;ProjectReference&gt;s, its &lt;Reference&gt;s to package assemblies, its DefineConstants, whether
/// it writes XML documentation, and the packages its packages.config restores. Evaluated as MSBuild does for the
/// parts the projects use: properties in document order (global ones, <c>-p:Name=Value</c>, win), then the items,
/// each group and element only when its Condition holds (<see cref="MsbuildCondition"/>); targets are not run. Read at
/// every run, so a file added to a project (and to its .nfproj by tools/nfproj-sync.sh) is compiled without changing
/// anything here.
/// </summary>
internal sealed class NfProject
{
    private static readonly XNamespace Msbuild = "http://schemas.microsoft.com/developer/msbuild/2003";

    public string Path { get; private init; }

    public string Directory => System.IO.Path.GetDirectoryName(Path);

    public string AssemblyName { get; private init; }

    /// <summary>Library, Exe or WinExe.</summary>
    public string OutputType { get; private init; }

    /// <summary>Whether the project sets DocumentationFile (then csc reports undocumented public members).</summary>
    public bool WritesDocumentation { get; private init; }

    /// <summary>Full paths of the sources, as listed.</summary>
    public IReadOnlyList<string> Sources { get; private init; }

    /// <summary>Full paths of the referenced .nfproj files.</summary>
    public IReadOnlyList<string> ProjectReferences { get; private init; }

    /// <summary>The package assemblies it references: (assembly name, package id, package version) from each HintPath.</summary>
    public IReadOnlyList<(string Assembly, string Package, string Version)> References { get; private init; }

    /// <summary>packages.config: id → version.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; private init; }

    /// <summary>The conditional compilation symbols (DefineConstants), in order.</summary>
    public IReadOnlyList<string> Defines { get; private init; }

    /// <summary>
    /// The board profiles the project's evaluation tells apart: the values its property and item conditions compare
    /// <c>$(BoardProfile)</c> with. Each is a build of its own (Esp32App's lean composition for esp32-wroom).
    /// </summary>
    public IReadOnlyList<string> BoardProfiles { get; private init; }

    /// <summary>Reads the project as evaluated with no global properties.</summary>
    public static NfProject Load(string path) => Load(path, new Dictionary<string, string>());

    /// <summary>Reads the project as evaluated with these global properties (<c>-p:Name=Value</c>).</summary>
    public static NfProject Load(string path, IReadOnlyDictionary<string, string> globalProperties)
    {
        path = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(path);
        XDocument doc = XDocument.Load(path);
        string Local(string include) => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, include.Replace('\\', '/')));
        if (doc.Root.Elements(Msbuild + "Choose").Any())
        {
            throw new FormatException($"{path}: <Choose> is more of MSBuild than tools/DeviceCompile evaluates; use Conditions");
        }

        var global = new Dictionary<string, string>(globalProperties, StringComparer.OrdinalIgnoreCase);
        var properties = new Dictionary<string, string>(global, StringComparer.OrdinalIgnoreCase);
        bool Holds(XElement element) => MsbuildCondition.Holds((string)element.Attribute("Condition"), properties, dir, path);
        var conditions = new List<string>();
        foreach (XElement group in doc.Root.Elements(Msbuild + "PropertyGroup"))
        {
            conditions.Add((string)group.Attribute("Condition"));
            conditions.AddRange(group.Elements().Select(e => (string)e.Attribute("Condition")));
            if (!Holds(group))
            {
                continue;
            }

            foreach (XElement property in group.Elements())
            {
                // A global property cannot be changed by the project (MSBuild semantics).
                if (!global.ContainsKey(property.Name.LocalName) && Holds(property))
                {
                    properties[property.Name.LocalName] = MsbuildCondition.Expand(property.Value.Trim(), properties, path);
                }
            }
        }

        string Property(string name) => properties.TryGetValue(name, out string value) && value.Length > 0 ? value : null;
        var items = new List<XElement>();
        foreach (XElement group in doc.Root.Elements(Msbuild + "ItemGroup"))
        {
            conditions.Add((string)group.Attribute("Condition"));
            conditions.AddRange(group.Elements().Select(e => (string)e.Attribute("Condition")));
            if (Holds(group))
            {
                items.AddRange(group.Elements().Where(Holds));
            }
        }

        IEnumerable<string> Includes(string kind) =>
            items.Where(i => i.Name == Msbuild + kind).Select(i => MsbuildCondition.Expand((string)i.Attribute("Include"), properties, path));

        string packagesConfig = System.IO.Path.Combine(dir, "packages.config");
        var packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(packagesConfig))
        {
            foreach (XElement package in XDocument.Load(packagesConfig).Root.Elements("package"))
            {
                packages[(string)package.Attribute("id")] = (string)package.Attribute("version");
            }
        }

        var references = new List<(string, string, string)>();
        foreach (XElement reference in items.Where(i => i.Name == Msbuild + "Reference"))
        {
            string hint = (string)reference.Element(Msbuild + "HintPath") ?? throw new FormatException($"{path}: <Reference Include=\"{reference.Attribute("Include")}\"> has no HintPath");
            string[] parts = hint.Replace('\\', '/').Split('/');
            int at = Array.IndexOf(parts, "packages");
            // ..\packages\<id>.<version>\lib\<assembly>.dll|.exe: the id and version must be a package packages.config restores.
            string folder = at >= 0 && at + 1 < parts.Length ? parts[at + 1] : "";
            KeyValuePair<string, string> package = packages.FirstOrDefault(p => string.Equals(folder, p.Key + "." + p.Value, StringComparison.OrdinalIgnoreCase));
            if (package.Key == null)
            {
                throw new FormatException($"{path}: {hint} is not in a package its packages.config restores ({string.Join(", ", packages.Select(p => p.Key + " " + p.Value))})");
            }

            references.Add((System.IO.Path.GetFileNameWithoutExtension(parts[^1]), package.Key, package.Value));
        }

        return new NfProject
        {
            Path = path,
            AssemblyName = Property("AssemblyName") ?? System.IO.Path.GetFileNameWithoutExtension(path),
            OutputType = Property("OutputType") ?? "Library",
            WritesDocumentation = Property("DocumentationFile") != null,
            Sources = Includes("Compile").Select(Local).ToArray(),
            ProjectReferences = Includes("ProjectReference").Select(Local).ToArray(),
            References = references,
            Packages = packages,
            Defines = (Property("DefineConstants") ?? "").Split(';', ',').Select(d => d.Trim()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToArray(),
            BoardProfiles = conditions.SelectMany(c => MsbuildCondition.ComparedValues(c, "BoardProfile")).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
        };
    }
}
