namespace AliyunIot.DeviceCompile;

/// <summary>
/// devicecompile [project.nfproj ...]: compiles the named device projects (default: every .nfproj in the repository
/// that holds the current folder) and prints each one's errors and warnings. Exit code 0 when all compile cleanly.
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
        IReadOnlyList<string> projects = args.Length > 0
            ? args.Select(a => Path.GetRelativePath(root, Path.GetFullPath(a))).ToArray()
            : DeviceBuild.FindProjects(root);
        int failures = 0;
        foreach (string project in projects)
        {
            ProjectCompilation result = build.Compile(project);
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
