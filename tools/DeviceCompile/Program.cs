namespace AliyunIot.DeviceCompile;

/// <summary>
/// devicecompile [project.nfproj ...] [-p:Name=Value ...]: compiles the named device projects with those global
/// properties (e.g. -p:BoardProfile=esp32-wroom), or by default every build CI compiles (each .nfproj in the repository
/// that holds the current folder, and each board profile a project tells apart), and prints each one's errors and
/// warnings. Exit code 0 when all compile cleanly.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        string root = FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (root == null)
        {
            Console.Error.WriteLine("run inside the repository (no build/nanoframework-api above " + Directory.GetCurrentDirectory() + ")");
            return 2;
        }

        var build = new DeviceBuild(root, Path.Combine(AppContext.BaseDirectory, "device-compile"));
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string option in args.Where(a => a.StartsWith("-p:", StringComparison.OrdinalIgnoreCase)))
        {
            int equals = option.IndexOf('=');
            if (equals < 4)
            {
                Console.Error.WriteLine("expected -p:Name=Value, got " + option);
                return 2;
            }

            properties[option.Substring(3, equals - 3)] = option.Substring(equals + 1);
        }

        string[] named = args.Where(a => !a.StartsWith("-p:", StringComparison.OrdinalIgnoreCase)).ToArray();
        IEnumerable<(string Project, IReadOnlyDictionary<string, string> Properties)> builds = named.Length > 0 || properties.Count > 0
            ? (named.Length > 0 ? named.Select(a => Path.GetRelativePath(root, Path.GetFullPath(a))) : DeviceBuild.FindProjects(root))
                .Select(p => (p, (IReadOnlyDictionary<string, string>)properties))
            : DeviceBuild.FindBuilds(root).Select(b => (b.Project, b.Properties));
        int failures = 0;
        foreach ((string project, IReadOnlyDictionary<string, string> buildProperties) in builds)
        {
            ProjectCompilation result = build.Compile(project, buildProperties);
            Console.WriteLine($"{(result.Succeeded ? "ok  " : "FAIL")} {result.Project}");
            string report = result.Report(root);
            if (report.Length > 0)
            {
                Console.WriteLine(report);
            }

            failures += result.Succeeded ? 0 : 1;
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>The first folder at or above <paramref name="start"/> holding build/nanoframework-api, or null.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (DirectoryInfo dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "build", "nanoframework-api")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
