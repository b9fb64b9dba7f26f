using System.Xml.Linq;

namespace AliyunIot.DeviceCompile;

/// <summary>
/// What a .nfproj tells the compiler: assembly name and kind, its &lt;Compile&gt; items (in listed order, linked files
/// included), its &lt;ProjectReference&gt;s, its &lt;Reference&gt;s to package assemblies, whether it writes XML
/// documentation, and the packages its packages.config restores. Read at every run, so a file added to a project
/// (and to its .nfproj by tools/nfproj-sync.sh) is compiled without changing anything here.
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

    public static NfProject Load(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(path);
        XDocument doc = XDocument.Load(path);
        string Property(string name) => doc.Root.Elements(Msbuild + "PropertyGroup").Elements(Msbuild + name).Select(e => e.Value.Trim()).LastOrDefault(v => v.Length > 0);
        string Local(string include) => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, include.Replace('\\', '/')));

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
        foreach (XElement reference in doc.Root.Descendants(Msbuild + "Reference"))
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
            Sources = doc.Root.Descendants(Msbuild + "Compile").Select(c => Local((string)c.Attribute("Include"))).ToArray(),
            ProjectReferences = doc.Root.Descendants(Msbuild + "ProjectReference").Select(c => Local((string)c.Attribute("Include"))).ToArray(),
            References = references,
            Packages = packages,
        };
    }
}
