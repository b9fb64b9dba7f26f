using AliyunIot.DeviceCompile;
using Xunit;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// Every .nfproj compiles for the device: its listed sources, its project references as their own assemblies, and
    /// only the package assemblies its packages.config restores — the real nanoFramework mscorlib (NuGet
    /// nanoFramework.CoreLibrary) and reference assemblies generated from build/nanoframework-api — with the SDK's csc,
    /// C# 9, -nostdlib, and NanoGuard as an analyzer. One test per project; a failure lists the compiler's errors and
    /// warnings with file and line (the real build has none of either). A project whose conditions tell board profiles
    /// apart is one more test per profile (Esp32App with -p:BoardProfile=esp32-wroom: the lean composition), so both
    /// compositions are proven to build. tools/DeviceCompile does the work.
    /// </summary>
    public sealed class DeviceCompileTests
    {
        /// <summary>One build per test run: project references and the reference assemblies are compiled once.</summary>
        internal static readonly Lazy<DeviceBuild> Build = new Lazy<DeviceBuild>(() =>
            new DeviceBuild(GuardHarness.RepositoryRoot, Path.Combine(AppContext.BaseDirectory, "device-compile")));

        public static TheoryData<string, string> Projects
        {
            get
            {
                var data = new TheoryData<string, string>();
                foreach (DeviceBuildCase build in DeviceBuild.FindBuilds(GuardHarness.RepositoryRoot))
                {
                    data.Add(build.Project, build.BoardProfile ?? "");
                }

                return data;
            }
        }

        [Theory]
        [MemberData(nameof(Projects))]
        public void Device_project_compiles_against_the_nanoFramework_libraries(string project, string boardProfile)
        {
            var build = new DeviceBuildCase(project, boardProfile.Length == 0 ? null : boardProfile);
            ProjectCompilation result = Build.Value.Compile(project, build.Properties);

            Assert.True(result.Succeeded, build + " does not compile for the device:" + Environment.NewLine + result.Report(GuardHarness.RepositoryRoot));
        }

        [Fact]
        public void The_lean_composition_leaves_out_shadow_log_post_and_provisioning_and_the_full_one_is_the_default()
        {
            string root = GuardHarness.RepositoryRoot;
            Assert.Contains(new DeviceBuildCase("firmware/Esp32App/Esp32App.nfproj", "esp32-wroom"), DeviceBuild.FindBuilds(root));
            string[] optional = { "AliyunIot.Shadow", "AliyunIot.LogPost", "AliyunIot.Provisioning" };
            string esp32App = Path.Combine(root, "firmware", "Esp32App", "Esp32App.nfproj");

            string[] full = References(NfProject.Load(esp32App));
            string[] lean = References(NfProject.Load(esp32App, new DeviceBuildCase("", "esp32-wroom").Properties));
            string[] psram = References(NfProject.Load(esp32App, new DeviceBuildCase("", "esp32-wrover").Properties));

            Assert.Equal(new[] { "AliyunIot", "AliyunIot.Thing", "AliyunIot.Sensors", "AliyunIot.Ota", "AliyunIot.Time", "AliyunIot.RemoteConfig", "OtaPartition" }, lean);
            Assert.All(optional, component => Assert.Contains(component, full));
            Assert.Equal(full, psram);

            // One override brings one component back into the lean build.
            var withShadow = new Dictionary<string, string> { ["BoardProfile"] = "esp32-wroom", ["WithShadow"] = "true" };
            Assert.Equal(lean.Length + 1, References(NfProject.Load(esp32App, withShadow)).Length);
            Assert.Contains("ALIYUN_SHADOW", NfProject.Load(esp32App, withShadow).Defines);
            Assert.DoesNotContain("ALIYUN_SHADOW", NfProject.Load(esp32App, new DeviceBuildCase("", "esp32-wroom").Properties).Defines);
        }

        private static string[] References(NfProject project) =>
            project.ProjectReferences.Select(Path.GetFileNameWithoutExtension).ToArray();
    }
}
