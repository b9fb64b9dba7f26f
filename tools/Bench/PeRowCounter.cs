using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Counts the rows the nanoFramework metadata processor (MDP, nanoframework/metadata-processor v3.0.100, the 1.x .pe
    /// format) would write for an assembly, from its ECMA metadata. What the MDP keeps (nanoTablesContext.cs and
    /// nanoAssemblyBuilder.Minimize/BuildDependencyList):
    /// - TypeDef: every type but &lt;Module&gt;, ThisAssembly, RefSafetyRulesAttribute, AccessedThroughPropertyAttribute
    ///   and types marked [ExcludeType] (SetDefaultTypesToExclude, ProcessTypesToExclude).
    /// - FieldDef: the kept types' fields without a constant (`Fields.Where(field => !field.HasConstant)`).
    /// - MethodDef: all methods of the kept types.
    /// - TypeRef / MemberRef / AssemblyRef: only what the kept definitions use (Minimize drops the rest): base types,
    ///   interfaces, field / method / local signatures, IL operands, and custom attributes the MDP keeps (its
    ///   IgnoringAttributes list is dropped, e.g. Nullable*, Debugger*, AttributeUsage). The ECMA MemberRef table is split
    ///   into TBL_FieldRef and TBL_MethodRef by signature kind. Assembly-level attributes are not in the .pe.
    /// - No Property/Event/Param tables exist in the .pe; TypeSpec, attribute, resource, string and signature tables
    ///   cost no RAM at load (CLR_RT_Assembly::CreateInstance allocates nothing for them). GenericParam / MethodSpec
    ///   tables exist only in the 2.x format (MDP 4.x previews, nanoCLR 2.x); the 1.12.4 runtime has TBL_Max = 16 tables
    ///   and our portable code uses no generics.
    /// </summary>
    public static class PeRowCounter
    {
        /// <summary>Attributes the MDP leaves out of the .pe (v3.0.100 nanoTablesContext.IgnoringAttributes).</summary>
        internal static readonly HashSet<string> IgnoredAttributes = new(StringComparer.Ordinal)
        {
            "System.Reflection.AssemblyFileVersionAttribute", "System.Runtime.InteropServices.ComVisibleAttribute",
            "System.Runtime.InteropServices.GuidAttribute", "System.ParamArrayAttribute", "System.SerializableAttribute",
            "System.NonSerializedAttribute", "System.Runtime.InteropServices.StructLayoutAttribute",
            "System.Runtime.InteropServices.LayoutKind", "System.Runtime.InteropServices.OutAttribute",
            "System.Runtime.CompilerServices.ExtensionAttribute", "System.Runtime.CompilerServices.MethodImplAttribute",
            "System.Runtime.CompilerServices.NullableAttribute", "System.Runtime.CompilerServices.NullableContextAttribute",
            "System.Runtime.CompilerServices.InternalsVisibleToAttribute", "System.Runtime.CompilerServices.IndexerNameAttribute",
            "System.Runtime.CompilerServices.MethodImplOptions", "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
            "System.Reflection.FieldNoReflectionAttribute", "System.Diagnostics.DebuggableAttribute",
            "System.Diagnostics.DebuggerBrowsableAttribute", "System.Diagnostics.DebuggerBrowsableState",
            "System.Diagnostics.DebuggerHiddenAttribute", "System.Diagnostics.DebuggerNonUserCodeAttribute",
            "System.Diagnostics.DebuggerStepThroughAttribute", "System.Diagnostics.DebuggerDisplayAttribute",
            "System.AttributeUsageAttribute", "System.CLSCompliantAttribute", "System.FlagsAttribute", "System.ObsoleteAttribute",
            "System.Diagnostics.ConditionalAttribute", "System.ComponentModel.EditorBrowsableAttribute",
            "System.Reflection.DefaultMemberAttribute", "System.MTAThreadAttribute", "System.STAThreadAttribute",
        };

        /// <summary>Types the MDP never writes (v3.0.100 nanoTablesContext.SetDefaultTypesToExclude).</summary>
        internal static readonly HashSet<string> ExcludedTypes = new(StringComparer.Ordinal)
        {
            "ThisAssembly", "System.Runtime.CompilerServices.RefSafetyRulesAttribute", "System.Runtime.CompilerServices.AccessedThroughPropertyAttribute",
        };

        /// <summary>Counts the .pe rows of the assembly at <paramref name="path"/> (a .NET DLL).</summary>
        public static PeRows Count(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            return Count(pe);
        }

        /// <summary>Counts the .pe rows of an assembly already open.</summary>
        public static PeRows Count(PEReader pe)
        {
            MetadataReader md = pe.GetMetadataReader();
            var refs = new PeReferenceCollector(md);
            int types = 0, fields = 0, statics = 0, methods = 0;
            var done = new HashSet<TypeDefinitionHandle>();
            var work = new Queue<TypeDefinitionHandle>(KeptTypes(md));
            while (work.Count > 0)
            {
                TypeDefinitionHandle handle = work.Dequeue();
                if (!done.Add(handle))
                {
                    continue;
                }

                types++;
                TypeDefinition type = md.GetTypeDefinition(handle);
                if (type.IsNested)
                {
                    refs.Definitions.Add(type.GetDeclaringType());
                }
                refs.AddType(type.BaseType);
                foreach (InterfaceImplementationHandle i in type.GetInterfaceImplementations())
                {
                    refs.AddType(md.GetInterfaceImplementation(i).Interface);
                }

                refs.AddAttributes(type.GetCustomAttributes());
                foreach (FieldDefinitionHandle f in type.GetFields())
                {
                    FieldDefinition field = md.GetFieldDefinition(f);
                    if ((field.Attributes & System.Reflection.FieldAttributes.Literal) != 0)
                    {
                        continue;
                    }

                    fields++;
                    statics += (field.Attributes & System.Reflection.FieldAttributes.Static) != 0 ? 1 : 0;
                    field.DecodeSignature(refs, null);
                    refs.AddAttributes(field.GetCustomAttributes());
                }

                foreach (MethodDefinitionHandle m in type.GetMethods())
                {
                    methods++;
                    MethodDefinition method = md.GetMethodDefinition(m);
                    method.DecodeSignature(refs, null);
                    refs.AddAttributes(method.GetCustomAttributes());
                    if (method.RelativeVirtualAddress != 0)
                    {
                        refs.AddBody(pe.GetMethodBody(method.RelativeVirtualAddress));
                    }
                }

                // An excluded type that kept code uses is written after all (Minimize's dependency closure keeps it).
                foreach (TypeDefinitionHandle used in refs.Definitions)
                {
                    if (!used.IsNil && !done.Contains(used))
                    {
                        work.Enqueue(used);
                    }
                }

                refs.Definitions.Clear();
            }

            return new PeRows(refs.AssemblyRefs.Count, refs.TypeRefs.Count, refs.FieldRefs, refs.MethodRefs, types, fields, methods, statics);
        }

        /// <summary>The type definitions the MDP writes, in metadata order.</summary>
        public static IEnumerable<TypeDefinitionHandle> KeptTypes(MetadataReader md)
        {
            foreach (TypeDefinitionHandle handle in md.TypeDefinitions)
            {
                if (!IsExcluded(md, handle))
                {
                    yield return handle;
                }
            }
        }

        /// <summary>The namespace-qualified name of a type definition or reference (nested: Outer/Inner as Cecil writes it).</summary>
        public static string FullName(MetadataReader md, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    TypeDefinition def = md.GetTypeDefinition((TypeDefinitionHandle)handle);
                    return def.IsNested
                        ? FullName(md, def.GetDeclaringType()) + "/" + md.GetString(def.Name)
                        : Join(md.GetString(def.Namespace), md.GetString(def.Name));
                case HandleKind.TypeReference:
                    TypeReference tr = md.GetTypeReference((TypeReferenceHandle)handle);
                    return tr.ResolutionScope.Kind == HandleKind.TypeReference
                        ? FullName(md, (EntityHandle)tr.ResolutionScope) + "/" + md.GetString(tr.Name)
                        : Join(md.GetString(tr.Namespace), md.GetString(tr.Name));
                default:
                    return "";
            }
        }

        private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

        internal static bool IsExcluded(MetadataReader md, TypeDefinitionHandle handle)
        {
            TypeDefinition type = md.GetTypeDefinition(handle);
            string name = md.GetString(type.Name);
            if (MetadataTokens.GetRowNumber(handle) == 1 && name == "<Module>")
            {
                return true;
            }

            if (ExcludedTypes.Contains(FullName(md, handle)) || ExcludedTypes.Contains(name) || (type.IsNested && IsExcluded(md, type.GetDeclaringType())))
            {
                return true;
            }

            foreach (CustomAttributeHandle a in type.GetCustomAttributes())
            {
                if (AttributeName(md, md.GetCustomAttribute(a)) == "System.Runtime.CompilerServices.ExcludeTypeAttribute")
                {
                    return true;
                }
            }

            return false;
        }

        internal static string AttributeName(MetadataReader md, CustomAttribute attribute)
        {
            EntityHandle ctor = attribute.Constructor;
            return ctor.Kind switch
            {
                HandleKind.MemberReference => FullName(md, md.GetMemberReference((MemberReferenceHandle)ctor).Parent),
                HandleKind.MethodDefinition => FullName(md, md.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType()),
                _ => "",
            };
        }
    }
}
