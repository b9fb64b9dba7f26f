namespace AliyunIot.DeviceCompile;

/// <summary>
/// The nanoFramework NuGet packages the device projects use: the assemblies each ships (one listing file in
/// build/nanoframework-api per assembly) and the version the listing describes. The libraries version their
/// assemblies with Nerdbank.GitVersioning at "build" precision, so AssemblyVersion is the package version with a
/// trailing .0 (the real mscorlib of CoreLibrary 1.17.11 is 1.17.11.0).
/// </summary>
internal static class NanoPackages
{
    /// <summary>The package whose real assembly is used (mscorlib); every other one is generated from its listing.</summary>
    public const string CoreLibrary = "nanoFramework.CoreLibrary";

    /// <summary>Package id → (version, assemblies).</summary>
    public static readonly IReadOnlyDictionary<string, (string Version, string[] Assemblies)> All =
        new Dictionary<string, (string, string[])>(StringComparer.Ordinal)
        {
            [CoreLibrary] = ("1.17.11", new[] { "mscorlib" }),
            ["nanoFramework.Hardware.Esp32"] = ("1.6.40", new[] { "nanoFramework.Hardware.Esp32" }),
            ["nanoFramework.Json"] = ("2.2.213", new[] { "nanoFramework.Json" }),
            ["nanoFramework.M2Mqtt"] = ("5.1.220", new[] { "nanoFramework.M2Mqtt" }),
            ["nanoFramework.M2Mqtt.Core"] = ("5.1.220", new[] { "nanoFramework.M2Mqtt.Core" }),
            ["nanoFramework.ResourceManager"] = ("1.2.32", new[] { "nanoFramework.ResourceManager" }),
            ["nanoFramework.Runtime.Events"] = ("1.11.37", new[] { "nanoFramework.Runtime.Events" }),
            ["nanoFramework.Runtime.Native"] = ("1.7.11", new[] { "nanoFramework.Runtime.Native" }),
            ["nanoFramework.System.Collections"] = ("1.5.75", new[] { "nanoFramework.System.Collections" }),
            ["nanoFramework.System.Device.Adc"] = ("1.1.24", new[] { "System.Device.Adc" }),
            ["nanoFramework.System.Device.Gpio"] = ("1.1.62", new[] { "System.Device.Gpio" }),
            ["nanoFramework.System.Device.Wifi"] = ("1.5.149", new[] { "System.Device.Wifi" }),
            ["nanoFramework.System.IO.FileSystem"] = ("1.1.93", new[] { "System.IO.FileSystem" }),
            ["nanoFramework.System.IO.Streams"] = ("1.1.96", new[] { "System.IO.Streams" }),
            ["nanoFramework.System.Math"] = ("1.5.116", new[] { "System.Math" }),
            ["nanoFramework.System.Net"] = ("1.11.60", new[] { "System.Net" }),
            ["nanoFramework.System.Security.Cryptography"] = ("1.0.38", new[] { "nanoFramework.System.Security.Cryptography" }),
            ["nanoFramework.System.Text"] = ("1.3.42", new[] { "nanoFramework.System.Text" }),
            ["nanoFramework.System.Threading"] = ("1.1.52", new[] { "System.Threading" }),
            ["nanoFramework.TestFramework"] = ("3.0.80", new[] { "nanoFramework.TestFramework", "nanoFramework.UnitTestLauncher" }),
            // Listed but referenced by no device project: their version is not pinned anywhere in the repository.
            ["nanoFramework.Logging"] = ("1.0.0", new[] { "nanoFramework.Logging" }),
            ["nanoFramework.Logging.Stream"] = ("1.0.0", new[] { "nanoFramework.Logging.Stream" }),
            ["nanoFramework.Logging.Syslog"] = ("1.0.0", new[] { "nanoFramework.Logging.Syslog" }),
            // No longer deployed (issue 12: the core's AliyunIot.Http replaced it); kept so its listing still builds.
            ["nanoFramework.System.Net.Http"] = ("1.5.210", new[] { "System.Net.Http" }),
        };

    /// <summary>The AssemblyVersion of a listed assembly.</summary>
    public static string AssemblyVersion(string assembly)
    {
        foreach ((string Version, string[] Assemblies) package in All.Values)
        {
            if (package.Assemblies.Contains(assembly, StringComparer.Ordinal))
            {
                return package.Version + ".0";
            }
        }

        throw new InvalidOperationException($"build/nanoframework-api/{assembly}.txt belongs to no package in {nameof(NanoPackages)}: add it");
    }

    /// <summary>The package that ships an assembly, or null.</summary>
    public static string PackageOf(string assembly)
    {
        return All.FirstOrDefault(p => p.Value.Assemblies.Contains(assembly, StringComparer.Ordinal)).Key;
    }
}
