using AliyunIot.DeviceCompile;
using Xunit;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// Every .nfproj compiles for the device: its listed sources, its project references as their own assemblies, and
    /// only the package assemblies its packages.config restores — the real nanoFramework mscorlib (NuGet
    /// nanoFramework.CoreLibrary) and reference assemblies generated from build/nanoframework-api — with the SDK's csc,
    /// C# 9, -nostdlib, and NanoGuard as an analyzer. One test per project; a failure lists the compiler's errors and
    /// warnings with file and line (the real build has none of either). tools/DeviceCompile does the work.
    /// </summary>
    public sealed class DeviceCompileTests
    {
        /// <summary>One build per test run: project references and the reference assemblies are compiled once.</summary>
        internal static readonly Lazy<DeviceBuild> Build = new Lazy<DeviceBuild>(() =>
            new DeviceBuild(GuardHarness.RepositoryRoot, Path.Combine(AppContext.BaseDirectory, "device-compile")));

        public static TheoryData<string> Projects
        {
            get
            {
                var data = new TheoryData<string>();
                foreach (string project in DeviceBuild.FindProjects(GuardHarness.RepositoryRoot))
                {
                    data.Add(project);
                }

                return data;
            }
        }

        [Theory]
        [MemberData(nameof(Projects))]
        public void Device_project_compiles_against_the_nanoFramework_libraries(string project)
        {
            ProjectCompilation result = Build.Value.Compile(project);

            Assert.True(result.Succeeded, project + " does not compile for the device:" + Environment.NewLine + result.Report(GuardHarness.RepositoryRoot));
        }
    }
}
