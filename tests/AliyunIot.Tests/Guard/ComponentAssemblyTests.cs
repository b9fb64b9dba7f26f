using System.Xml.Linq;
using Xunit;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// The assembly layout (docs/architecture.md, "Assemblies"): the core in firmware/AliyunIot, each component in
    /// firmware/Components/&lt;Name&gt; as its own device project AliyunIot.&lt;Name&gt;.nfproj with a host build of the
    /// same files in tools/Portable/AliyunIot.&lt;Name&gt; under the portable guard, and components depending on the core
    /// (and OtaPartition below it) only — except the edges named here, which the docs explain.
    /// </summary>
    public sealed class ComponentAssemblyTests
    {
        private static readonly XNamespace Msbuild = "http://schemas.microsoft.com/developer/msbuild/2003";

        /// <summary>Component-to-component references that are allowed: Sensors and Shadow are built on the thing model.</summary>
        private static readonly string[] AllowedComponentEdges = { "AliyunIot.Sensors -> AliyunIot.Thing", "AliyunIot.Shadow -> AliyunIot.Thing" };

        private static string Root => GuardHarness.RepositoryRoot;

        public static TheoryData<string> Components
        {
            get
            {
                var data = new TheoryData<string>();
                foreach (string name in ComponentNames())
                {
                    data.Add(name);
                }

                return data;
            }
        }

        private static IEnumerable<string> ComponentNames() =>
            Directory.GetDirectories(Path.Combine(Root, "firmware", "Components")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);

        [Fact]
        public void The_components_are_the_documented_ones()
        {
            Assert.Equal(
                new[] { "DeviceInfo", "LogPost", "Ota", "Provisioning", "RemoteConfig", "Sensors", "Shadow", "Thing", "Time" },
                ComponentNames().ToArray());
        }

        [Theory]
        [MemberData(nameof(Components))]
        public void A_component_is_its_own_device_assembly_with_a_guarded_host_build_of_the_same_files(string component)
        {
            string assembly = "AliyunIot." + component;
            string nfproj = Path.Combine(Root, "firmware", "Components", component, assembly + ".nfproj");
            Assert.True(File.Exists(nfproj), "firmware/Components/" + component + " has no " + assembly + ".nfproj");
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(nfproj), "*.nfproj"));
            Assert.Equal(assembly, Property(XDocument.Load(nfproj), "AssemblyName"));

            string csproj = Path.Combine(Root, "tools", "Portable", assembly, assembly + ".csproj");
            Assert.True(File.Exists(csproj), "no host build tools/Portable/" + assembly + "/" + assembly + ".csproj");
            XDocument host = XDocument.Load(csproj);
            Assert.Equal(assembly, host.Root.Descendants("AssemblyName").Single().Value);
            Assert.Equal(
                new[] { "../../../firmware/Components/" + component + "/**/*.cs" },
                host.Root.Descendants("Compile").Select(c => (string)c.Attribute("Include")).ToArray());
        }

        [Fact]
        public void Every_portable_host_build_is_under_the_nanoFramework_guard()
        {
            string[] projects = Directory.GetFiles(Path.Combine(Root, "tools", "Portable"), "*.csproj", SearchOption.AllDirectories);
            Assert.Equal(11, projects.Length); // the core, OtaPartition and the nine components
            foreach (string project in projects)
            {
                string[] imports = XDocument.Load(project).Root.Elements("Import").Select(i => (string)i.Attribute("Project")).ToArray();
                Assert.True(imports.Contains("../../../build/Portable.props"), Path.GetRelativePath(Root, project) + " does not import build/Portable.props (NanoGuard, banned APIs, API conformance)");
            }
        }

        [Theory]
        [MemberData(nameof(Components))]
        public void A_component_depends_on_the_core_only(string component)
        {
            string assembly = "AliyunIot." + component;
            string[] device = DeviceReferences(Path.Combine(Root, "firmware", "Components", component, assembly + ".nfproj"));
            Assert.Contains("AliyunIot", device);
            foreach (string reference in device.Where(r => r != "AliyunIot" && r != "OtaPartition"))
            {
                Assert.True(AllowedComponentEdges.Contains(assembly + " -> " + reference),
                    assembly + " references " + reference + ": components depend on the core only (docs/architecture.md); move the shared piece into the core");
            }

            // The host build has the same references, so the host tests see the same assembly boundaries.
            string[] host = XDocument.Load(Path.Combine(Root, "tools", "Portable", assembly, assembly + ".csproj")).Root
                .Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")))
                .OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.Equal(device, host);
        }

        [Fact]
        public void The_core_references_no_component()
        {
            string[] references = DeviceReferences(Path.Combine(Root, "firmware", "AliyunIot", "AliyunIot.nfproj"));
            Assert.Equal(new[] { "OtaPartition" }, references);
        }

        // The assembly names of a device project's project references, sorted.
        private static string[] DeviceReferences(string nfproj)
        {
            string dir = Path.GetDirectoryName(nfproj);
            return XDocument.Load(nfproj).Root.Descendants(Msbuild + "ProjectReference")
                .Select(r => Path.GetFullPath(Path.Combine(dir, ((string)r.Attribute("Include")).Replace('\\', Path.DirectorySeparatorChar))))
                .Select(p => Property(XDocument.Load(p), "AssemblyName"))
                .OrderBy(n => n, StringComparer.Ordinal).ToArray();
        }

        private static string Property(XDocument nfproj, string name) =>
            nfproj.Root.Elements(Msbuild + "PropertyGroup").Elements(Msbuild + name).Select(e => e.Value.Trim()).Last(v => v.Length > 0);
    }
}
