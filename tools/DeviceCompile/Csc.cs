using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AliyunIot.DeviceCompile;

/// <summary>
/// The C# compiler the .NET SDK ships (sdk/&lt;version&gt;/Roslyn/bincore/csc.dll, the one MSBuild runs), started with
/// <c>dotnet exec</c>. Arguments go through a response file; <c>-noconfig</c> stays on the command line (csc ignores it
/// in a response file), so the SDK's csc.rsp with its default references is never read.
/// </summary>
internal static class Csc
{
    private static readonly Lazy<(string Dotnet, string Csc)> Paths = new(Locate);

    /// <summary>csc.dll of the newest SDK installed beside the running runtime.</summary>
    public static string CscPath => Paths.Value.Csc;

    /// <summary>Runs csc with these arguments (one per response-file line); the response file is written to workDir.</summary>
    public static CscResult Run(string workDir, string name, IEnumerable<string> arguments)
    {
        Directory.CreateDirectory(workDir);
        string rsp = Path.Combine(workDir, name + ".rsp");
        File.WriteAllLines(rsp, arguments.Select(Quote));
        var start = new ProcessStartInfo(Paths.Value.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Paths.Value.Csc);
        start.ArgumentList.Add("-noconfig");
        start.ArgumentList.Add("@" + rsp);
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Paths.Value.Dotnet);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("csc did not finish within 5 minutes: " + rsp);
        }

        process.WaitForExit();
        return new CscResult(process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Quote(string argument)
    {
        // Response-file lines: a whole option with a path is quoted when it holds a space.
        int colon = argument.StartsWith('-') ? argument.IndexOf(':') : -1;
        string value = colon >= 0 ? argument.Substring(colon + 1) : argument;
        if (!value.Contains(' '))
        {
            return argument;
        }

        return colon >= 0 ? argument.Substring(0, colon + 1) + "\"" + value + "\"" : "\"" + argument + "\"";
    }

    private static (string, string) Locate()
    {
        // The runtime lives in <dotnet>/shared/Microsoft.NETCore.App/<version>/; the SDKs in <dotnet>/sdk/<version>/.
        string runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        string root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string dotnet = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        string sdkFolder = Path.Combine(root, "sdk");
        string csc = Directory.Exists(sdkFolder)
            ? Directory.GetDirectories(sdkFolder)
                .Select(d => (Dir: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version v) ? v : null))
                .Where(s => s.Version != null && File.Exists(Path.Combine(s.Dir, "Roslyn", "bincore", "csc.dll")))
                .OrderByDescending(s => s.Version)
                .Select(s => Path.Combine(s.Dir, "Roslyn", "bincore", "csc.dll"))
                .FirstOrDefault()
            : null;
        if (csc == null || !File.Exists(dotnet))
        {
            throw new InvalidOperationException("no .NET SDK with Roslyn/bincore/csc.dll found under " + root);
        }

        return (dotnet, csc);
    }
}

/// <summary>What one csc run printed: its exit code and the diagnostics it reported.</summary>
internal sealed class CscResult
{
    private static readonly Regex Located = new(@"^(?<file>.+?)\((?<line>\d+),(?<col>\d+)\): (?<sev>error|warning) (?<id>[A-Z]+\d+): (?<msg>.*)$", RegexOptions.Compiled);
    private static readonly Regex Unlocated = new(@"^(?<sev>error|warning) (?<id>[A-Z]+\d+): (?<msg>.*)$", RegexOptions.Compiled);

    public CscResult(int exitCode, string output)
    {
        ExitCode = exitCode;
        Output = output;
        var messages = new List<CompilerMessage>();
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            Match m = Located.Match(line);
            if (m.Success)
            {
                messages.Add(new CompilerMessage(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value), int.Parse(m.Groups["col"].Value),
                    m.Groups["sev"].Value, m.Groups["id"].Value, m.Groups["msg"].Value));
                continue;
            }

            m = Unlocated.Match(line);
            if (m.Success)
            {
                messages.Add(new CompilerMessage(null, 0, 0, m.Groups["sev"].Value, m.Groups["id"].Value, m.Groups["msg"].Value));
            }
        }

        // csc prints each diagnostic once; the same one can come from several files' analysis only by mistake.
        Messages = messages.Distinct().ToArray();
    }

    public int ExitCode { get; }

    /// <summary>Everything csc printed.</summary>
    public string Output { get; }

    /// <summary>Errors and warnings, in the order printed.</summary>
    public IReadOnlyList<CompilerMessage> Messages { get; }

    public IEnumerable<CompilerMessage> Errors => Messages.Where(m => m.Severity == "error");

    public IEnumerable<CompilerMessage> Warnings => Messages.Where(m => m.Severity == "warning");
}

/// <summary>One compiler diagnostic: file (null for none), line, column, severity, id, message.</summary>
internal sealed record CompilerMessage(string File, int Line, int Column, string Severity, string Id, string Text)
{
    /// <summary>"path(line,col): error CS1061: ..." with the path relative to <paramref name="root"/> when inside it.</summary>
    public string Format(string root)
    {
        if (File == null)
        {
            return $"{Severity} {Id}: {Text}";
        }

        string path = File;
        if (root != null && Path.IsPathFullyQualified(path))
        {
            string relative = Path.GetRelativePath(root, path);
            if (!relative.StartsWith("..", StringComparison.Ordinal))
            {
                path = relative.Replace('\\', '/');
            }
        }

        return $"{path}({Line},{Column}): {Severity} {Id}: {Text}";
    }
}
