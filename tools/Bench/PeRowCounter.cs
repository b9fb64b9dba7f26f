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
    ///   cost no RAM at load (CLR_RT_Assembly::CreateInstance allocates nothing for them).
    /// </summary>
    public static class PeRowCounter
    {
        /// <summary>Attributes the MDP leaves out of the .pe (v3.0.100 nanoTablesContext.IgnoringAttributes).</summary>
        private static readonly HashSet<string> IgnoredAttributes = new(StringComparer.Ordinal)
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
        private static readonly HashSet<string> ExcludedTypes = new(StringComparer.Ordinal)
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
            var refs = new References(md);
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

        private static bool IsExcluded(MetadataReader md, TypeDefinitionHandle handle)
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

        private static string AttributeName(MetadataReader md, CustomAttribute attribute)
        {
            EntityHandle ctor = attribute.Constructor;
            return ctor.Kind switch
            {
                HandleKind.MemberReference => FullName(md, md.GetMemberReference((MemberReferenceHandle)ctor).Parent),
                HandleKind.MethodDefinition => FullName(md, md.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType()),
                _ => "",
            };
        }

        /// <summary>Collects the references the kept definitions use; a signature provider, so decoding a signature visits its types.</summary>
        private sealed class References : ISignatureTypeProvider<int, object>
        {
            private readonly MetadataReader md;
            private readonly HashSet<MemberReferenceHandle> members = new();
            private readonly HashSet<TypeSpecificationHandle> specs = new();

            public References(MetadataReader md)
            {
                this.md = md;
            }

            public HashSet<TypeReferenceHandle> TypeRefs { get; } = new();

            /// <summary>Type definitions of this assembly used since the last Clear (so excluded ones can be re-included).</summary>
            public HashSet<TypeDefinitionHandle> Definitions { get; } = new();

            public HashSet<AssemblyReferenceHandle> AssemblyRefs { get; } = new();

            public int FieldRefs { get; private set; }

            public int MethodRefs { get; private set; }

            public void AddType(EntityHandle handle)
            {
                if (handle.IsNil)
                {
                    return;
                }

                switch (handle.Kind)
                {
                    case HandleKind.TypeReference:
                        AddTypeRef((TypeReferenceHandle)handle);
                        break;
                    case HandleKind.TypeDefinition:
                        Definitions.Add((TypeDefinitionHandle)handle);
                        break;
                    case HandleKind.TypeSpecification:
                        var spec = (TypeSpecificationHandle)handle;
                        if (specs.Add(spec))
                        {
                            md.GetTypeSpecification(spec).DecodeSignature(this, null);
                        }

                        break;
                }
            }

            public void AddAttributes(CustomAttributeHandleCollection attributes)
            {
                foreach (CustomAttributeHandle a in attributes)
                {
                    CustomAttribute attribute = md.GetCustomAttribute(a);
                    string name = AttributeName(md, attribute);
                    bool excludedType = attribute.Constructor.Kind == HandleKind.MethodDefinition
                        && IsExcluded(md, md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType());
                    if (!IgnoredAttributes.Contains(name) && !ExcludedTypes.Contains(name) && !excludedType)
                    {
                        AddToken(attribute.Constructor);
                    }
                }
            }

            public void AddBody(MethodBodyBlock body)
            {
                if (!body.LocalSignature.IsNil)
                {
                    md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
                }

                foreach (IlWalker.Instruction i in IlWalker.Read(body))
                {
                    OperandType operand = i.OpCode.OperandType;
                    if (operand is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
                    {
                        AddToken(MetadataTokens.EntityHandle(i.Operand));
                    }
                }
            }

            private void AddToken(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.MemberReference:
                        AddMember((MemberReferenceHandle)handle);
                        break;
                    case HandleKind.MethodDefinition:
                        Definitions.Add(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                        break;
                    case HandleKind.FieldDefinition:
                        Definitions.Add(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                        break;
                    case HandleKind.MethodSpecification:
                        MethodSpecification spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                        AddToken(spec.Method);
                        spec.DecodeSignature(this, null);
                        break;
                    default:
                        AddType(handle);
                        break;
                }
            }

            private void AddMember(MemberReferenceHandle handle)
            {
                if (!members.Add(handle))
                {
                    return;
                }

                MemberReference member = md.GetMemberReference(handle);
                AddType(member.Parent);
                if (member.GetKind() == MemberReferenceKind.Field)
                {
                    FieldRefs++;
                    member.DecodeFieldSignature(this, null);
                }
                else
                {
                    MethodRefs++;
                    member.DecodeMethodSignature(this, null);
                }
            }

            private void AddTypeRef(TypeReferenceHandle handle)
            {
                if (!TypeRefs.Add(handle))
                {
                    return;
                }

                EntityHandle scope = md.GetTypeReference(handle).ResolutionScope;
                if (scope.Kind == HandleKind.TypeReference)
                {
                    AddTypeRef((TypeReferenceHandle)scope);
                }
                else if (scope.Kind == HandleKind.AssemblyReference)
                {
                    AssemblyRefs.Add((AssemblyReferenceHandle)scope);
                }
            }

            public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                AddTypeRef(handle);
                return 0;
            }

            public int GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
            {
                AddType(handle);
                return 0;
            }

            public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
            {
                Definitions.Add(handle);
                return 0;
            }

            public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;

            public int GetSZArrayType(int elementType) => 0;

            public int GetArrayType(int elementType, ArrayShape shape) => 0;

            public int GetByReferenceType(int elementType) => 0;

            public int GetPointerType(int elementType) => 0;

            public int GetPinnedType(int elementType) => 0;

            public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;

            public int GetGenericMethodParameter(object genericContext, int index) => 0;

            public int GetGenericTypeParameter(object genericContext, int index) => 0;

            public int GetFunctionPointerType(MethodSignature<int> signature) => 0;

            public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
        }
    }
}
