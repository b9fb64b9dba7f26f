using System.Diagnostics;
using Xunit;

namespace AliyunIot.Tests.Device;

/// <summary>
/// A fact that needs PowerShell 7: reported as SKIPPED (with the reason) when <c>pwsh</c> is not on PATH, so a run
/// without PowerShell never counts these as passed. xunit 2.9 has no Assert.Skip; setting <see cref="FactAttribute.Skip"/>
/// in the attribute's constructor is its supported way to skip at discovery time.
/// </summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        if (Pwsh.Path == null)
        {
            Skip = "pwsh (PowerShell 7) is not on PATH: flash.ps1 -WhatIf cannot run here.";
        }
    }
}

/// <summary>The same for theories.</summary>
public sealed class PwshTheoryAttribute : TheoryAttribute
{
    public PwshTheoryAttribute()
    {
        if (Pwsh.Path == null)
        {
            Skip = "pwsh (PowerShell 7) is not on PATH: flash.ps1 -WhatIf cannot run here.";
        }
    }
}

/// <summary>Finds and runs pwsh.</summary>
internal static class Pwsh
{
    public static readonly string Path = Find();

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
