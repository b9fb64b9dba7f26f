using System.Diagnostics;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Esp32App has no host build (it is the device shell): to count its .pe rows the bench compiles
    /// firmware/Esp32App/Esp32App.nfproj with tools/DeviceCompile (the SDK's C# compiler against the real nanoFramework
    /// mscorlib and the reference assemblies of build/nanoframework-api) and models that DLL. For the core the host and
    /// the device compile differ by 12 B of modelled heap (docs/benchmarks.md, "Budget").
    /// </summary>
    public static class DeviceCompiledApp
    {
        /// <summary>The compiled Esp32App.dll, or null with <paramref name="problem"/> saying why.</summary>
        /// <param name="boardProfile">The build's <c>-p:BoardProfile</c> (esp32-wroom: the lean composition), or null for the default (full) build.</param>
        /// <param name="problem">Why there is no DLL, or a note on how it was compiled.</param>
        public static string Compile(string boardProfile, out string problem)
        {
            return CompileProject("firmware/Esp32App/Esp32App.nfproj", "Esp32App.dll", boardProfile, out problem);
        }

        /// <summary>The compiled firmware/Loader (Loader.exe), or null with <paramref name="problem"/> saying why.</summary>
        public static string CompileLoader(out string problem)
        {
            return CompileProject("firmware/Loader/Loader.nfproj", "Loader.exe", null, out problem);
        }

        private static string CompileProject(string project, string file, string boardProfile, out string problem)
        {
            string root = RepositoryRoot();
            string tool = root == null ? null : Path.Combine(root, "tools", "DeviceCompile", "bin", "Release", "net10.0", "devicecompile.dll");
            if (tool == null || !File.Exists(tool))
            {
                problem = "tools/DeviceCompile is not built (tools/bench.sh builds it)";
                return null;
            }

            // tools/DeviceCompile names a build's folder after the project and its -p: properties.
            string folder = project.Replace('/', '_') + (boardProfile == null ? "" : "_-p_BoardProfile=" + boardProfile);
            string output = Path.Combine(Path.GetDirectoryName(tool), "device-compile", "projects", folder, file);
            DateTime started = DateTime.UtcNow.AddSeconds(-1);
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(tool);
            start.ArgumentList.Add(project);
            if (boardProfile != null)
            {
                start.ArgumentList.Add("-p:BoardProfile=" + boardProfile);
            }

            using Process process = Process.Start(start);
            string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (!File.Exists(output) || File.GetLastWriteTimeUtc(output) < started)
            {
                problem = "devicecompile did not produce " + file + ": " + text.Trim();
                return null;
            }

            problem = process.ExitCode == 0 ? null : "compiled with warnings";
            return output;
        }

        private static string RepositoryRoot()
        {
            for (DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "firmware", "Esp32App", "Esp32App.nfproj")))
                {
                    return dir.FullName;
                }
            }

            return null;
        }
    }
}
