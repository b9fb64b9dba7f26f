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
        public void The_lean_composition_leaves_out_ota_shadow_log_post_and_provisioning_and_the_full_one_is_the_default()
        {
            string root = GuardHarness.RepositoryRoot;
            Assert.Contains(new DeviceBuildCase("firmware/Esp32App/Esp32App.nfproj", "esp32-wroom"), DeviceBuild.FindBuilds(root));
            string[] optional = { "AliyunIot.Ota", "AliyunIot.Shadow", "AliyunIot.LogPost", "AliyunIot.Provisioning" };
            string esp32App = Path.Combine(root, "firmware", "Esp32App", "Esp32App.nfproj");

            string[] full = References(NfProject.Load(esp32App));
            string[] lean = References(NfProject.Load(esp32App, new DeviceBuildCase("", "esp32-wroom").Properties));
            string[] psram = References(NfProject.Load(esp32App, new DeviceBuildCase("", "esp32-wrover").Properties));

            // OtaPartition stays: remote config keeps its files on the loader's storage (IFlashStorage), the app reads the slot manifest.
            Assert.Equal(new[] { "AliyunIot", "AliyunIot.Thing", "AliyunIot.Sensors", "AliyunIot.Time", "AliyunIot.RemoteConfig", "OtaPartition" }, lean);
            Assert.All(optional, component => Assert.Contains(component, full));
            Assert.Equal(full, psram);

            // One override brings one component back into the lean build.
            var withShadow = new Dictionary<string, string> { ["BoardProfile"] = "esp32-wroom", ["WithShadow"] = "true" };
            Assert.Equal(lean.Length + 1, References(NfProject.Load(esp32App, withShadow)).Length);
            Assert.Contains("ALIYUN_SHADOW", NfProject.Load(esp32App, withShadow).Defines);
            Assert.DoesNotContain("ALIYUN_SHADOW", NfProject.Load(esp32App, new DeviceBuildCase("", "esp32-wroom").Properties).Defines);

            // Code OTA back on a WROOM build: the OTA agent instead of the core's version reporter (DeviceApplication.Ota.cs).
            var withOta = new Dictionary<string, string> { ["BoardProfile"] = "esp32-wroom", ["WithOta"] = "true" };
            Assert.Contains("AliyunIot.Ota", References(NfProject.Load(esp32App, withOta)));
            Assert.Contains("ALIYUN_OTA", NfProject.Load(esp32App, withOta).Defines);
            Assert.Contains("ALIYUN_OTA", NfProject.Load(esp32App).Defines);
            Assert.DoesNotContain("ALIYUN_OTA", NfProject.Load(esp32App, new DeviceBuildCase("", "esp32-wroom").Properties).Defines);
        }

        [Fact]
        public void Conditions_are_evaluated_as_msbuild_does_and_anything_else_is_refused()
        {
            var properties = new Dictionary<string, string> { ["BoardProfile"] = "ESP32-WROOM", ["WithShadow"] = "" };
            string dir = GuardHarness.RepositoryRoot;

            // Case-insensitive comparison, and/or/!/parentheses, unset properties are empty.
            Assert.True(MsbuildCondition.Holds(" '$(BoardProfile)' == 'esp32-wroom' ", properties, dir, "test"));
            Assert.True(MsbuildCondition.Holds(" '$(WithShadow)' == '' and '$(BoardProfile)' != 'esp32-wrover' ", properties, dir, "test"));
            Assert.False(MsbuildCondition.Holds(" '$(Unset)' != '' or !('$(BoardProfile)' == 'esp32-wroom') ", properties, dir, "test"));
            Assert.True(MsbuildCondition.Holds("Exists('flash.ps1')", properties, dir, "test"));
            Assert.Equal(new[] { "esp32-wroom", "esp32c3" }, MsbuildCondition.ComparedValues("'$(BoardProfile)' == 'esp32-wroom' or 'esp32c3' != '$(BoardProfile)' or '$(BoardProfile)' == ''", "BoardProfile"));

            // What tools/DeviceCompile does not evaluate is an error naming the text, never a guess.
            var e = Assert.Throws<FormatException>(() => MsbuildCondition.Holds("$([System.String]::Copy('a').StartsWith('a'))", properties, dir, "x.nfproj"));
            Assert.Contains("x.nfproj", e.Message);
            Assert.Throws<FormatException>(() => MsbuildCondition.Holds("'$(A)' > '1'", properties, dir, "x.nfproj"));
            Assert.Throws<FormatException>(() => MsbuildCondition.Expand("@(Compile)", properties, "x.nfproj"));
        }

        private static string[] References(NfProject project) =>
            project.ProjectReferences.Select(Path.GetFileNameWithoutExtension).ToArray();
    }
}
