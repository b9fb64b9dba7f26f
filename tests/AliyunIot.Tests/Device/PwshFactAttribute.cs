using System.Diagnostics;
using Xunit;

namespace AliyunIot.Tests.Device;

/// <summary>
/// A fact that needs PowerShell 7: on a developer's machine without <c>pwsh</c> on PATH it is reported as SKIPPED (with
/// the reason), so a run without PowerShell never counts it as passed. In CI (CI=true) it is never skipped:
/// tools/prerequisites.sh installs PowerShell there, so a missing pwsh fails the test and says so. xunit 2.9 has no
/// Assert.Skip; setting <see cref="FactAttribute.Skip"/> in the attribute's constructor is its supported way to skip
/// at discovery time.
/// </summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        Skip = Pwsh.SkipReason;
    }
}

/// <summary>The same for theories.</summary>
public sealed class PwshTheoryAttribute : TheoryAttribute
{
    public PwshTheoryAttribute()
    {
        Skip = Pwsh.SkipReason;
    }
}

/// <summary>Finds and runs pwsh.</summary>
internal static class Pwsh
{
    public static readonly string Path = Find();

    /// <summary>Why the PowerShell tests are skipped, or null when they run (pwsh found, or in CI where they must run).</summary>
    public static string SkipReason =>
        Path != null || IsCi ? null : "pwsh (PowerShell 7) is not on PATH: flash.ps1 -WhatIf cannot run here (tools/prerequisites.sh installs it).";

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string Find()
    {
        string name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            string candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a script file with arguments; returns exit code, stdout and stderr.</summary>
    /// <param name="script">The .ps1 file.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="path">PATH for the process (e.g. with a stand-in tool first), or null to inherit.</param>
    public static (int ExitCode, string Out, string Err) RunFile(string script, IEnumerable<string> arguments, string workingDirectory, string path = null)
    {
        if (Path == null)
        {
            throw new InvalidOperationException("pwsh (PowerShell 7) is not on PATH: in CI tools/prerequisites.sh installs PowerShell 7.6.10 as a .NET tool in ~/.dotnet/tools.");
        }

        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        if (path != null)
        {
            start.Environment["PATH"] = path;
        }

        start.ArgumentList.Add("-NoProfile");
        start.ArgumentList.Add("-NonInteractive");
        start.ArgumentList.Add("-File");
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pwsh did not finish within 2 minutes.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
