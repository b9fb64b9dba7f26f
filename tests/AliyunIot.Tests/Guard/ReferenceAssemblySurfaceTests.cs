using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using AliyunIot.DeviceCompile;
using Xunit;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// Each reference assembly generated from build/nanoframework-api declares exactly the listed surface, read back
    /// from its metadata: every listed type, method (accessors, operators and constructors included), field and enum
    /// value is there with its parameter count, and nothing visible (public or protected) is there that the listing
    /// lacks. The only listed members left out are Finalize (C# cannot declare or call it) and a struct's parameterless
    /// constructor (C# 9 declares none); the only unlisted type is the enclosing type of a listed nested type, empty.
    /// </summary>
    public sealed class ReferenceAssemblySurfaceTests
    {
        public static TheoryData<string> Assemblies()
        {
            var data = new TheoryData<string>();
            foreach (string assembly in ApiListing.Load(Path.Combine(GuardHarness.RepositoryRoot, "build", "nanoframework-api")).Assemblies.Where(a => a != "mscorlib"))
            {
                data.Add(assembly);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Assemblies))]
        public void Generated_assembly_declares_exactly_the_listed_surface(string assembly)
        {
            DeviceBuild build = DeviceCompileTests.Build.Value;
            ApiListing listing = ApiListing.Load(build.ListingFolder);
            HashSet<string> expected = Listed(listing, assembly);
            HashSet<string> actual = Declared(build.References.PathOf(assembly));

            string[] missing = expected.Except(actual).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            string[] extra = actual.Except(expected).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            Assert.True(missing.Length == 0 && extra.Length == 0,
                $"{assembly}: listed but not generated: {string.Join("; ", missing)}{Environment.NewLine}generated but not listed: {string.Join("; ", extra)}");
            Assert.Contains(expected, e => e.StartsWith("type ", StringComparison.Ordinal));
        }

        private static HashSet<string> Listed(ApiListing listing, string assembly)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (ApiType type in listing.TypesOf(assembly))
            {
                result.Add("type " + type.FullName);
                // The enclosing types of nested types exist too (empty when the listing leaves them out).
                for (string container = type.DeclaringTypeName; container != null; container = listing.Find(container)?.DeclaringTypeName ?? (container.Contains('+') ? container.Substring(0, container.LastIndexOf('+')) : null))
                {
                    result.Add("type " + container);
                }

                foreach (ApiMember member in type.Members)
                {
                    if (member.Kind != MemberKind.Method)
                    {
                        result.Add(type.FullName + " field " + member.Name);
                    }
                    else if (!(member.Name == "Finalize" && member.Parameters.Count == 0)
                        && !(type.Kind == "struct" && member.Name == ".ctor" && member.Parameters.Count == 0))
                    {
                        result.Add($"{type.FullName} {member.Name}/{member.Parameters.Count}");
                    }
                }
            }

            return result;
        }

        private static HashSet<string> Declared(string path)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            foreach (TypeDefinitionHandle handle in md.TypeDefinitions)
            {
                TypeDefinition type = md.GetTypeDefinition(handle);
                string name = FullName(md, type);
                if (name == null)
                {
                    continue;
                }

                result.Add("type " + name);
                foreach (MethodDefinitionHandle m in type.GetMethods())
                {
                    MethodDefinition method = md.GetMethodDefinition(m);
                    if (Visible(method.Attributes & MethodAttributes.MemberAccessMask))
                    {
                        BlobReader signature = md.GetBlobReader(method.Signature);
                        signature.ReadSignatureHeader();
                        result.Add($"{name} {md.GetString(method.Name)}/{signature.ReadCompressedInteger()}");
                    }
                }

                foreach (FieldDefinitionHandle f in type.GetFields())
                {
                    FieldDefinition field = md.GetFieldDefinition(f);
                    if (Visible((MethodAttributes)(field.Attributes & FieldAttributes.FieldAccessMask)) && (field.Attributes & FieldAttributes.RTSpecialName) == 0)
                    {
                        result.Add(name + " field " + md.GetString(field.Name));
                    }
                }
            }

            return result;
        }

        /// <summary>"Ns.Outer+Inner" for a type visible outside its assembly, else null.</summary>
        private static string FullName(MetadataReader md, TypeDefinition type)
        {
            TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (type.GetDeclaringType().IsNil)
            {
                string ns = md.GetString(type.Namespace);
                string simple = md.GetString(type.Name);
                return visibility == TypeAttributes.Public && simple != "<Module>" ? (ns.Length > 0 ? ns + "." : "") + simple : null;
            }

            string outer = FullName(md, md.GetTypeDefinition(type.GetDeclaringType()));
            bool visible = visibility == TypeAttributes.NestedPublic || visibility == TypeAttributes.NestedFamily || visibility == TypeAttributes.NestedFamORAssem;
            return outer != null && visible ? outer + "+" + md.GetString(type.Name) : null;
        }

        private static bool Visible(MethodAttributes access)
        {
            return access == MethodAttributes.Public || access == MethodAttributes.Family || access == MethodAttributes.FamORAssem;
        }
    }
}
