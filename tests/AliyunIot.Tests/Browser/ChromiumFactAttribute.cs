using Xunit;

namespace AliyunIot.Tests.Browser;

/// <summary>
/// A fact that needs Debian's Chromium at <see cref="Chromium.ExecutablePath"/>: on a developer's machine without it
/// the test is reported as SKIPPED with the reason, so a run without a browser never counts it as passed. In CI
/// (CI=true) it is never skipped: tools/prerequisites.sh installs the package there, so a missing browser fails the
/// test and says so (as <c>PwshFact</c> does for PowerShell).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = Chromium.SkipReason;
    }
}

/// <summary>Where the browser is.</summary>
internal static class Chromium
{
    /// <summary>Debian's <c>chromium</c> package. Playwright's own browser builds are never downloaded.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Why the browser tests are skipped, or null when they run (browser found, or in CI where they must run).</summary>
    public static string SkipReason =>
        File.Exists(ExecutablePath) || IsCi ? null : ExecutablePath + " not found: the console's browser tests need Debian's chromium package (tools/prerequisites.sh installs it).";

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
