using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// The device projects (.nfproj) cannot be built here, so their shape is checked instead: every .cs on disk is
    /// compiled (the nanoFramework project system does not glob), packages.config agrees with the HintPaths, and
    /// nano.sln / host.slnf list what they should.
    /// </summary>
    public sealed class DeviceProjectTests
    {
        private static readonly XNamespace Msbuild = "http://schemas.microsoft.com/developer/msbuild/2003";
        private const string NanoProjectType = "{11A8DD76-328B-46DF-9F39-F559912D0360}";

        private static string Root => GuardHarness.RepositoryRoot;

        public static TheoryData<string> Projects
        {
            get
            {
                var data = new TheoryData<string>();
                foreach (string p in NfProjects())
                {
                    data.Add(p);
                }

                return data;
            }
        }

        private static IEnumerable<string> NfProjects() => AliyunIot.DeviceCompile.DeviceBuild.FindProjects(Root);

        [Fact]
        public void The_device_projects_exist()
        {
            Assert.Equal(
                new[]
                {
                    "OtaPartition/OtaPartition.nfproj", "firmware/AliyunIot/AliyunIot.nfproj",
                    "firmware/Components/DeviceInfo/AliyunIot.DeviceInfo.nfproj", "firmware/Components/LogPost/AliyunIot.LogPost.nfproj",
                    "firmware/Components/Ota/AliyunIot.Ota.nfproj", "firmware/Components/Provisioning/AliyunIot.Provisioning.nfproj",
                    "firmware/Components/RemoteConfig/AliyunIot.RemoteConfig.nfproj", "firmware/Components/Sensors/AliyunIot.Sensors.nfproj",
                    "firmware/Components/Shadow/AliyunIot.Shadow.nfproj", "firmware/Components/Thing/AliyunIot.Thing.nfproj",
                    "firmware/Components/Time/AliyunIot.Time.nfproj", "firmware/Esp32App/Esp32App.nfproj", "firmware/Loader/Loader.nfproj",
                    "tests/NFUnitTest.Hardware/NFUnitTest.Hardware.nfproj", "tests/NFUnitTest/NFUnitTest.nfproj",
                },
                NfProjects().ToArray());
        }

        [Theory]
        [MemberData(nameof(Projects))]
        public void Nfproj_compiles_exactly_the_cs_files_in_its_folder(string project)
        {
            string projectPath = Path.Combine(Root, project);
            string projectDir = Path.GetDirectoryName(projectPath);
            XDocument doc = XDocument.Load(projectPath);
            XElement sources = doc.Root.Elements(Msbuild + "ItemGroup").SingleOrDefault(g => (string)g.Attribute("Label") == "Sources");
            Assert.True(sources != null, project + " has no <ItemGroup Label=\"Sources\">: add one and run tools/nfproj-sync.sh");

            // Files linked from outside the project folder (<Link>) must exist; everything else must be the folder's own .cs files.
            foreach (XElement linked in doc.Root.Descendants(Msbuild + "Compile").Where(c => c.Element(Msbuild + "Link") != null))
            {
                string include = (string)linked.Attribute("Include");
                Assert.True(File.Exists(Path.Combine(projectDir, include.Replace('\\', Path.DirectorySeparatorChar))), project + " links a missing file: " + include);
            }

            string[] listed = doc.Root.Descendants(Msbuild + "Compile").Where(c => c.Element(Msbuild + "Link") == null).Select(c => (string)c.Attribute("Include")).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            string[] onDisk = Directory.EnumerateFiles(projectDir, "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(projectDir, f))
                .Where(r => !r.Replace('\\', '/').Split('/').Any(p => p == "bin" || p == "obj"))
                .Select(r => r.Replace('/', '\\'))
                .OrderBy(s => s, StringComparer.Ordinal).ToArray();

            string[] missing = onDisk.Except(listed).ToArray();
            string[] stale = listed.Except(onDisk).ToArray();
            Assert.True(missing.Length == 0 && stale.Length == 0,
                project + " is out of date; run tools/nfproj-sync.sh. Not compiled: [" + string.Join(", ", missing) + "]; listed but missing: [" + string.Join(", ", stale) + "]");
            Assert.True(listed.Distinct().Count() == listed.Length, project + " lists a file twice; run tools/nfproj-sync.sh");
        }

        [Theory]
        [MemberData(nameof(Projects))]
        public void Packages_config_matches_the_hint_paths(string project)
        {
            string projectPath = Path.Combine(Root, project);
            string configPath = Path.Combine(Path.GetDirectoryName(projectPath), "packages.config");
            Assert.True(File.Exists(configPath), project + ": packages.config missing");

            XDocument config = XDocument.Load(configPath);
            var packages = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (XElement package in config.Root.Elements("package"))
            {
                string id = (string)package.Attribute("id");
                Assert.True((string)package.Attribute("targetFramework") == "netnano1.0",
                    project + ": packages.config entry " + id + " lacks targetFramework=\"netnano1.0\"");
                packages.Add(id, (string)package.Attribute("version"));
            }

            XDocument doc = XDocument.Load(projectPath);
            var used = new HashSet<string>(StringComparer.Ordinal);
            var hint = new Regex(@"(^|\\)packages\\(?<folder>[^\\]+)\\lib\\[^\\]+$");
            foreach (XElement path in doc.Root.Descendants(Msbuild + "HintPath"))
            {
                Match m = hint.Match(path.Value);
                Assert.True(m.Success, project + ": HintPath " + path.Value + " does not point into the solution's packages\\ folder");
                string folder = m.Groups["folder"].Value;
                KeyValuePair<string, string> owner = packages.FirstOrDefault(p => folder == p.Key + "." + p.Value);
                Assert.True(owner.Key != null,
                    project + ": HintPath " + path.Value + " names a package/version that packages.config does not have (" + string.Join(", ", packages.Select(p => p.Key + " " + p.Value)) + ")");
                used.Add(owner.Key);

                string expectedPrefix = string.Concat(Enumerable.Repeat("..\\", project.Count(c => c == '/'))) + "packages\\";
                Assert.StartsWith(expectedPrefix, path.Value);
            }

            string[] unused = packages.Keys.Where(k => !used.Contains(k)).ToArray();
            Assert.True(unused.Length == 0, project + ": packages.config has packages no Reference uses: " + string.Join(", ", unused));
        }

        [Fact]
        public void A_package_has_one_version_across_all_device_projects()
        {
            var versions = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (string project in NfProjects())
            {
                XDocument config = XDocument.Load(Path.Combine(Root, Path.GetDirectoryName(project), "packages.config"));
                foreach (XElement package in config.Root.Elements("package"))
                {
                    string id = (string)package.Attribute("id");
                    if (!versions.TryGetValue(id, out HashSet<string> set))
                    {
                        versions[id] = set = new HashSet<string>();
                    }

                    set.Add((string)package.Attribute("version"));
                }
            }

            string[] split = versions.Where(v => v.Value.Count > 1).Select(v => v.Key + ": " + string.Join(", ", v.Value)).ToArray();
            Assert.True(split.Length == 0, "packages with several versions: " + string.Join("; ", split));
        }

        [Theory]
        [MemberData(nameof(Projects))]
        public void Project_references_point_at_existing_device_projects(string project)
        {
            string projectDir = Path.GetDirectoryName(Path.Combine(Root, project));
            XDocument doc = XDocument.Load(Path.Combine(Root, project));
            foreach (XElement reference in doc.Root.Descendants(Msbuild + "ProjectReference"))
            {
                string include = (string)reference.Attribute("Include");
                string target = Path.GetFullPath(Path.Combine(projectDir, include.Replace('\\', Path.DirectorySeparatorChar)));
                Assert.True(File.Exists(target), project + ": ProjectReference " + include + " does not exist");
                Assert.EndsWith(".nfproj", target);
            }
        }

        /// <summary>
        /// What a project deploys to the board is its own packages: a test or application project that references
        /// another project must list that project's packages too, or the referenced assembly cannot load there.
        /// </summary>
        [Theory]
        [MemberData(nameof(Projects))]
        public void A_project_lists_the_packages_of_the_projects_it_references(string project)
        {
            string projectDir = Path.GetDirectoryName(Path.Combine(Root, project));
            HashSet<string> own = PackageIds(Path.Combine(projectDir, "packages.config"));
            XDocument doc = XDocument.Load(Path.Combine(Root, project));
            foreach (XElement reference in doc.Root.Descendants(Msbuild + "ProjectReference"))
            {
                string target = Path.GetFullPath(Path.Combine(projectDir, ((string)reference.Attribute("Include")).Replace('\\', Path.DirectorySeparatorChar)));
                string[] missing = PackageIds(Path.Combine(Path.GetDirectoryName(target), "packages.config")).Where(id => !own.Contains(id)).OrderBy(id => id, StringComparer.Ordinal).ToArray();
                Assert.True(missing.Length == 0, project + " references " + Path.GetFileName(target) + " but does not deploy its packages: " + string.Join(", ", missing));
            }
        }

        private static HashSet<string> PackageIds(string packagesConfig)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            if (File.Exists(packagesConfig))
            {
                foreach (XElement package in XDocument.Load(packagesConfig).Root.Elements("package"))
                {
                    if ((string)package.Attribute("developmentDependency") != "true")
                    {
                        ids.Add((string)package.Attribute("id"));
                    }
                }
            }

            return ids;
        }

        [Fact]
        public void Nano_sln_lists_every_device_project_with_build_and_deploy()
        {
            string sln = File.ReadAllText(Path.Combine(Root, "nano.sln"));
            foreach (string project in NfProjects())
            {
                string windowsPath = project.Replace('/', '\\');
                Match entry = Regex.Match(sln, "Project\\(\"" + Regex.Escape(NanoProjectType) + "\"\\) = \"[^\"]+\", \"" + Regex.Escape(windowsPath) + "\", \"(?<guid>\\{[0-9A-F-]+\\})\"");
                Assert.True(entry.Success, "nano.sln does not list " + windowsPath + " with the nanoFramework project type");
                string guid = entry.Groups["guid"].Value;
                foreach (string line in new[] { "Debug|Any CPU.ActiveCfg", "Debug|Any CPU.Build.0", "Debug|Any CPU.Deploy.0", "Release|Any CPU.ActiveCfg", "Release|Any CPU.Build.0", "Release|Any CPU.Deploy.0" })
                {
                    Assert.True(sln.Contains(guid + "." + line + " = ", StringComparison.Ordinal), "nano.sln lacks " + guid + "." + line + " for " + windowsPath);
                }

                string nfprojGuid = (string)XDocument.Load(Path.Combine(Root, project)).Root.Descendants(Msbuild + "ProjectGuid").Single();
                Assert.Equal(nfprojGuid, guid);
            }
        }

        [Fact]
        public void Host_slnf_lists_exactly_the_host_projects_of_nano_sln()
        {
            string sln = File.ReadAllText(Path.Combine(Root, "nano.sln"));
            string[] inSolution = Regex.Matches(sln, "\"(?<path>[^\"]+\\.csproj)\"").Select(m => m.Groups["path"].Value).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            using JsonDocument slnf = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "host.slnf")));
            JsonElement solution = slnf.RootElement.GetProperty("solution");
            Assert.Equal("nano.sln", solution.GetProperty("path").GetString());
            string[] filtered = solution.GetProperty("projects").EnumerateArray().Select(e => e.GetString()).OrderBy(s => s, StringComparer.Ordinal).ToArray();

            // Every host project of the solution, and nothing else (no .nfproj: those need the nanoFramework project
            // system, which Linux does not have). New host projects go into nano.sln and host.slnf together.
            Assert.Equal(inSolution, filtered);
            foreach (string project in inSolution)
            {
                Assert.True(File.Exists(Path.Combine(Root, project.Replace('\\', Path.DirectorySeparatorChar))), "nano.sln lists a missing project: " + project);
            }
        }
    }
}
