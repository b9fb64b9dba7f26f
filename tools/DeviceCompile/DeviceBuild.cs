using System.Collections.Concurrent;

namespace AliyunIot.DeviceCompile;

/// <summary>
/// Compiles .nfproj device projects the way the nanoFramework project system does, as far as a machine without it
/// can: the project's listed sources, its project references compiled first as their own assemblies, and the package
/// assemblies it references (each from a package its packages.config restores): the real mscorlib and the reference
/// assemblies generated from build/nanoframework-api. C# 9 (the nanoFramework extension's default), -nostdlib,
/// warning level 4, the project's DefineConstants, XML documentation when the project writes it, and NanoGuard's rules
/// as an analyzer. A project whose conditions tell board profiles apart (Esp32App: <c>-p:BoardProfile=esp32-wroom</c>
/// leaves out optional components) is also compiled once per profile (<see cref="FindBuilds"/>). Not produced or
/// checked: the .pe files (nanoFramework's metadata processor), and anything at run time.
/// </summary>
internal sealed class DeviceBuild
{
    private readonly ConcurrentDictionary<string, Lazy<ProjectCompilation>> _projects = new(StringComparer.Ordinal);
    private readonly Lazy<ReferenceAssemblies> _references;

    public DeviceBuild(string repositoryRoot, string outputRoot)
    {
        RepositoryRoot = Path.GetFullPath(repositoryRoot);
        OutputRoot = Path.GetFullPath(outputRoot);
        _references = new Lazy<ReferenceAssemblies>(() =>
            ReferenceAssemblies.Build(ListingFolder, MscorlibPath, Path.Combine(OutputRoot, "reference-assemblies")));
    }

    public string RepositoryRoot { get; }

    public string OutputRoot { get; }

    public string ListingFolder => Path.Combine(RepositoryRoot, "build", "nanoframework-api");

    /// <summary>nanoFramework.CoreLibrary's lib/mscorlib.dll, copied next to this tool at build time.</summary>
    public static string MscorlibPath => Path.Combine(AppContext.BaseDirectory, "nanoFramework", "mscorlib.dll");

    /// <summary>The NanoGuard analyzer, copied next to this tool at build time.</summary>
    public static string AnalyzerPath => Path.Combine(AppContext.BaseDirectory, "NanoGuard.dll");

    /// <summary>The generated reference assemblies (built on first use).</summary>
    public ReferenceAssemblies References => _references.Value;

    /// <summary>Every .nfproj under the repository (bin, obj, packages and .git skipped), repository-relative, sorted.</summary>
    public static IReadOnlyList<string> FindProjects(string repositoryRoot)
    {
        return System.IO.Directory.EnumerateFiles(repositoryRoot, "*.nfproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(repositoryRoot, p).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(part => part is "bin" or "obj" or "packages" or ".git"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Every build CI compiles: each project as it is (no properties), then, for each board profile its conditions tell
    /// apart (<see cref="NfProject.BoardProfiles"/>), the project with <c>BoardProfile</c> set to it. Sorted by project.
    /// </summary>
    public static IReadOnlyList<DeviceBuildCase> FindBuilds(string repositoryRoot)
    {
        var builds = new List<DeviceBuildCase>();
        foreach (string project in FindProjects(repositoryRoot))
        {
            builds.Add(new DeviceBuildCase(project, null));
            foreach (string profile in NfProject.Load(Path.Combine(repositoryRoot, project)).BoardProfiles.OrderBy(p => p, StringComparer.Ordinal))
            {
                builds.Add(new DeviceBuildCase(project, profile));
            }
        }

        return builds;
    }

    /// <summary>Compiles a project (once per instance), its project references first.</summary>
    public ProjectCompilation Compile(string nfproj) => Compile(nfproj, new Dictionary<string, string>());

    /// <summary>
    /// Compiles a project evaluated with these global properties (once per instance and set of properties). Its
    /// project references are compiled with the same properties where these change their evaluation, as they are
    /// passed down in MSBuild, and otherwise shared with the plain build.
    /// </summary>
    public ProjectCompilation Compile(string nfproj, IReadOnlyDictionary<string, string> properties)
    {
        string path = Path.GetFullPath(Path.Combine(RepositoryRoot, nfproj));
        var sorted = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string> property in properties)
        {
            sorted[property.Key] = property.Value;
        }

        string key = path + string.Concat(sorted.Select(p => "|" + p.Key + "=" + p.Value));
        return _projects.GetOrAdd(key, _ => new Lazy<ProjectCompilation>(() => CompileNow(path, sorted))).Value;
    }

    // The properties a reference is compiled with: none when they do not change what it compiles.
    private static IReadOnlyDictionary<string, string> PropertiesFor(string reference, IReadOnlyDictionary<string, string> properties)
    {
        if (properties.Count == 0)
        {
            return properties;
        }

        NfProject plain = NfProject.Load(reference);
        NfProject with = NfProject.Load(reference, properties);
        bool same = plain.Sources.SequenceEqual(with.Sources) && plain.ProjectReferences.SequenceEqual(with.ProjectReferences)
            && plain.Defines.SequenceEqual(with.Defines) && plain.References.SequenceEqual(with.References);
        return same ? new Dictionary<string, string>() : properties;
    }

    /// <summary>Compiles C# source against the named assemblies (listing names or "mscorlib"), as a library.</summary>
    public CscResult CompileSnippet(string name, string source, IEnumerable<string> assemblies)
    {
        return CompileLibrary(name, source, assemblies.Select(a => References.PathOf(a) ?? throw new ArgumentException("no listing for " + a)));
    }

    /// <summary>Compiles C# source into snippets/&lt;name&gt;/&lt;name&gt;.dll against the real mscorlib and these files.</summary>
    public CscResult CompileLibrary(string name, string source, IEnumerable<string> referencePaths)
    {
        string dir = Path.Combine(OutputRoot, "snippets", name);
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, name + ".cs");
        File.WriteAllText(file, source);
        List<string> arguments = CommonArguments("Library", Path.Combine(dir, name + ".dll"));
        arguments.AddRange(referencePaths.Prepend(MscorlibPath).Distinct(StringComparer.Ordinal).Select(r => "-reference:" + r));
        arguments.Add(file);
        return Csc.Run(dir, name, arguments);
    }

    private ProjectCompilation CompileNow(string path, IReadOnlyDictionary<string, string> properties)
    {
        NfProject project = NfProject.Load(path, properties);
        string relative = Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/')
            + string.Concat(properties.Select(p => " -p:" + p.Key + "=" + p.Value));
        var failed = new ProjectCompilation(relative, null, null);

        var references = new List<string>();
        foreach (string reference in project.ProjectReferences)
        {
            ProjectCompilation dependency = Compile(reference, PropertiesFor(reference, properties));
            if (!dependency.Succeeded)
            {
                return failed with { Problem = $"{relative}: its project reference {dependency.Project} does not compile:{Environment.NewLine}{dependency.Report(RepositoryRoot)}" };
            }

            references.Add(dependency.OutputPath);
        }

        var problems = new List<string>();
        if (!project.Packages.ContainsKey(NanoPackages.CoreLibrary) || !project.References.Any(r => r.Assembly == "mscorlib"))
        {
            problems.Add($"{relative}: does not reference mscorlib from {NanoPackages.CoreLibrary}");
        }

        foreach ((string assembly, string package, string version) in project.References)
        {
            if (!NanoPackages.All.TryGetValue(package, out var known) || !known.Assemblies.Contains(assembly, StringComparer.Ordinal))
            {
                problems.Add($"{relative}: references {assembly} from {package}, which build/nanoframework-api does not describe (tools/DeviceCompile/NanoPackages.cs)");
                continue;
            }

            if (known.Version != version)
            {
                problems.Add($"{relative}: packages.config pins {package} {version}, but build/nanoframework-api describes {known.Version}: update the listing and tools/DeviceCompile/NanoPackages.cs together");
                continue;
            }

            references.Add(References.PathOf(assembly) ?? throw new InvalidOperationException("no reference assembly for " + assembly));
        }

        if (problems.Count > 0)
        {
            return failed with { Problem = string.Join(Environment.NewLine, problems) };
        }

        string outDir = Path.Combine(OutputRoot, "projects", relative.Replace('/', '_').Replace(' ', '_').Replace(':', '_'));
        if (Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
        }

        Directory.CreateDirectory(outDir);
        string extension = project.OutputType.EndsWith("Exe", StringComparison.OrdinalIgnoreCase) ? ".exe" : ".dll";
        string output = Path.Combine(outDir, project.AssemblyName + extension);
        List<string> arguments = CommonArguments(project.OutputType, output);
        if (project.WritesDocumentation)
        {
            arguments.Add("-doc:" + Path.Combine(outDir, project.AssemblyName + ".xml"));
        }

        if (project.Defines.Count > 0)
        {
            arguments.Add("-define:" + string.Join(";", project.Defines));
        }

        arguments.AddRange(references.Select(r => "-reference:" + r));
        // NanoGuard's rules (generics, async, Nullable, ... and the API listing) on every device project, portable or not.
        arguments.Add("-analyzer:" + AnalyzerPath);
        arguments.AddRange(Directory.GetFiles(ListingFolder, "*.txt").OrderBy(f => f, StringComparer.Ordinal).Select(f => "-additionalfile:" + f));
        arguments.AddRange(project.Sources);
        CscResult result = Csc.Run(outDir, project.AssemblyName, arguments);
        return new ProjectCompilation(relative, output, result);
    }

    private static List<string> CommonArguments(string outputType, string output)
    {
        string target = outputType.ToLowerInvariant() switch
        {
            "exe" => "exe",
            "winexe" => "winexe",
            _ => "library",
        };
        return new List<string>
        {
            "-nologo", "-nostdlib+", "-langversion:9.0", "-target:" + target, "-deterministic+", "-warn:4", "-fullpaths",
            "-utf8output", "-out:" + output,
        };
    }
}

/// <summary>One build CI compiles: a project, and the board profile it is built for (null: none given).</summary>
internal sealed record DeviceBuildCase(string Project, string BoardProfile)
{
    /// <summary>The global properties of this build.</summary>
    public IReadOnlyDictionary<string, string> Properties =>
        BoardProfile == null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["BoardProfile"] = BoardProfile };

    /// <summary>"path" or "path -p:BoardProfile=x", as a test name and in reports.</summary>
    public override string ToString() => BoardProfile == null ? Project : Project + " -p:BoardProfile=" + BoardProfile;
}

/// <summary>The outcome of one project's compile.</summary>
internal sealed record ProjectCompilation(string Project, string OutputPath, CscResult Result)
{
    /// <summary>Why it could not be compiled at all (a reference that failed, a package the listing lacks), or null.</summary>
    public string Problem { get; init; }

    /// <summary>Compiled with no error and no warning (the real build has none).</summary>
    public bool Succeeded => Problem == null && Result != null && Result.ExitCode == 0 && !Result.Warnings.Any();

    /// <summary>Every error and warning, "file(line,col): error CSxxxx: message", paths relative to the repository.</summary>
    public string Report(string root)
    {
        if (Problem != null)
        {
            return Problem;
        }

        if (Result.Messages.Count == 0)
        {
            return Result.ExitCode == 0 ? "" : Result.Output;
        }

        return string.Join(Environment.NewLine, Result.Messages.Select(m => m.Format(root)));
    }
}
