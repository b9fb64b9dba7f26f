using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AliyunIot.Bench
{
    /// <summary>One heap allocation a static constructor makes (or a boxed value-type static field), with its nanoCLR size.</summary>
    /// <param name="Target">The static field it is stored into ("Type.Field"), or "Type..cctor" when not stored directly.</param>
    /// <param name="What">What is allocated ("byte[256] from RVA data", "new Foo()", ...).</param>
    /// <param name="Bytes">Heap bytes in 12-byte blocks.</param>
    public sealed record StaticAllocation(string Target, string What, long Bytes);

    /// <summary>
    /// Estimates what the static constructors of an assembly leave in the managed heap. nanoCLR runs every type's .cctor
    /// when the assembly is prepared (deployed: at startup; Assembly.Load: before it returns, corlib_native_System_Reflection_Assembly.cpp
    /// SpawnStaticConstructor), so static readonly tables live for the whole run. The scan reads each .cctor's IL once, straight
    /// through: newarr with a constant length (sizes of primitive elements, 12 B per reference element; the contents of an
    /// InitializeArray come from the RVA data, the array itself is in the heap), newobj (a type of this assembly: 12 B + 12 B per
    /// instance field; a delegate: 36 B; a framework type: <see cref="ExternalObjectBytes"/>, its constructor not followed),
    /// ldstr (a 12 B string header pointing into the assembly). Calls to other methods are not followed (counted instead).
    /// Sizes from nf-interpreter 1.12.4 (32-bit): sizeof(CLR_RT_HeapBlock) 12, sizeof(CLR_RT_HeapBlock_Array) 20 (header +
    /// m_numOfElements + 4 one-byte fields), CLR_RT_ExecutionEngine::NewObject allocates m_totalFields + 1 blocks,
    /// CLR_RT_HeapBlock_String::CreateInstance(…, szText, assm) only a header; every allocation is rounded up to 12-byte blocks.
    /// </summary>
    public static class StaticAllocationScanner
    {
        /// <summary>sizeof(CLR_RT_HeapBlock) on a 32-bit build: one heap block.</summary>
        public const int HeapBlock = 12;

        /// <summary>sizeof(CLR_RT_HeapBlock_Array) on a 32-bit build (elements follow it).</summary>
        public const int ArrayHeader = 20;

        /// <summary>CLR_RT_HeapBlock_Delegate without app domains: node 12 + m_cls 4 + m_ftn 4 + m_numOfStackFrames 4 + m_object 12.</summary>
        public const int DelegateBytes = 36;

        /// <summary>A guess for an object of a framework type (header + 2 fields); its constructor's own allocations are not followed.</summary>
        public const int ExternalObjectBytes = 36;

        private static readonly Dictionary<string, int> PrimitiveSizes = new(StringComparer.Ordinal)
        {
            ["System.Boolean"] = 1, ["System.Byte"] = 1, ["System.SByte"] = 1, ["System.Char"] = 2, ["System.Int16"] = 2,
            ["System.UInt16"] = 2, ["System.Int32"] = 4, ["System.UInt32"] = 4, ["System.Single"] = 4, ["System.Int64"] = 8,
            ["System.UInt64"] = 8, ["System.Double"] = 8,
        };

        // Value types nanoCLR keeps inside one heap block (DATATYPE_DATETIME / DATATYPE_TIMESPAN): never boxed, never allocated.
        private static readonly HashSet<string> InlineValueTypes = new(StringComparer.Ordinal) { "System.DateTime", "System.TimeSpan" };

        /// <summary>Rounds <paramref name="bytes"/> up to whole heap blocks.</summary>
        public static long Blocks(long bytes) => (bytes + HeapBlock - 1) / HeapBlock * HeapBlock;

        /// <summary>The static allocations of the kept types of <paramref name="pe"/>; <paramref name="unfollowedCalls"/> counts calls the scan did not follow.</summary>
        public static List<StaticAllocation> Scan(PEReader pe, out int unfollowedCalls)
        {
            MetadataReader md = pe.GetMetadataReader();
            var found = new List<StaticAllocation>();
            unfollowedCalls = 0;
            foreach (TypeDefinitionHandle handle in PeRowCounter.KeptTypes(md))
            {
                TypeDefinition type = md.GetTypeDefinition(handle);
                string typeName = PeRowCounter.FullName(md, handle);
                foreach (FieldDefinitionHandle f in type.GetFields())
                {
                    FieldDefinition field = md.GetFieldDefinition(f);
                    if ((field.Attributes & (System.Reflection.FieldAttributes.Static | System.Reflection.FieldAttributes.Literal)) == System.Reflection.FieldAttributes.Static
                        && BoxedStruct(md, field) is TypeDefinitionHandle boxed)
                    {
                        // CLR_RT_ExecutionEngine::InitializeReference: a static field of a (non-enum) struct is a boxed object.
                        found.Add(new StaticAllocation(typeName + "." + md.GetString(field.Name), "boxed " + PeRowCounter.FullName(md, boxed), ObjectBytes(md, boxed)));
                    }
                }

                foreach (MethodDefinitionHandle m in type.GetMethods())
                {
                    MethodDefinition method = md.GetMethodDefinition(m);
                    if (md.GetString(method.Name) == ".cctor" && method.RelativeVirtualAddress != 0)
                    {
                        unfollowedCalls += ScanConstructor(md, pe.GetMethodBody(method.RelativeVirtualAddress), typeName, found);
                    }
                }
            }

            return found;
        }

        private static int ScanConstructor(MetadataReader md, MethodBodyBlock body, string typeName, List<StaticAllocation> found)
        {
            var pending = new List<(string What, long Bytes)>();
            int? constant = null;
            OpCode previous = OpCodes.Nop;
            int calls = 0;
            foreach (IlWalker.Instruction i in IlWalker.Read(body))
            {
                short op = i.OpCode.Value;
                EntityHandle token = i.OpCode.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType
                    ? MetadataTokens.EntityHandle(i.Operand)
                    : default;
                if (op == OpCodes.Newarr.Value)
                {
                    int length = constant ?? 0;
                    string element = PeRowCounter.FullName(md, token);
                    pending.Add(($"{(element.Length == 0 ? "array" : element)}[{(constant.HasValue ? length.ToString() : "?")}]", Blocks(ArrayHeader + ((long)length * ElementSize(md, token)))));
                }
                else if (op == OpCodes.Newobj.Value)
                {
                    EntityHandle owner = DeclaringType(md, token);
                    string name = PeRowCounter.FullName(md, owner);
                    if (previous.Value == OpCodes.Ldftn.Value || previous.Value == OpCodes.Ldvirtftn.Value)
                    {
                        pending.Add(("delegate " + name, DelegateBytes));
                    }
                    else if (InlineValueTypes.Contains(name))
                    {
                        // new DateTime(...) / new TimeSpan(...): the value lives in the static field's own block.
                    }
                    else if (owner.Kind == HandleKind.TypeDefinition)
                    {
                        pending.Add(("new " + name + "()", ObjectBytes(md, (TypeDefinitionHandle)owner)));
                    }
                    else
                    {
                        pending.Add(("new " + name + "() (framework type, estimated)", ExternalObjectBytes));
                    }
                }
                else if (op == OpCodes.Ldstr.Value)
                {
                    pending.Add(("string literal", HeapBlock));
                }
                else if (op == OpCodes.Call.Value || op == OpCodes.Callvirt.Value)
                {
                    string callee = MemberName(md, token);
                    if (callee == "InitializeArray" && pending.Count > 0)
                    {
                        pending[^1] = (pending[^1].What + " from RVA data", pending[^1].Bytes);
                    }
                    else if (callee != ".ctor")
                    {
                        calls++;
                    }
                }
                else if (op == OpCodes.Stsfld.Value && token.Kind == HandleKind.FieldDefinition)
                {
                    FieldDefinition field = md.GetFieldDefinition((FieldDefinitionHandle)token);
                    string target = PeRowCounter.FullName(md, field.GetDeclaringType()) + "." + md.GetString(field.Name);
                    found.AddRange(pending.Select(p => new StaticAllocation(target, p.What, p.Bytes)));
                    pending.Clear();
                }

                constant = IlWalker.Constant(i) ?? (op == OpCodes.Dup.Value ? constant : null);
                previous = i.OpCode;
            }

            found.AddRange(pending.Select(p => new StaticAllocation(typeName + "..cctor", p.What, p.Bytes)));
            return calls;
        }

        private static long ObjectBytes(MetadataReader md, TypeDefinitionHandle handle)
        {
            long fields = 0;
            EntityHandle current = handle;
            while (!current.IsNil && current.Kind == HandleKind.TypeDefinition)
            {
                TypeDefinition type = md.GetTypeDefinition((TypeDefinitionHandle)current);
                fields += type.GetFields().Select(md.GetFieldDefinition)
                    .Count(f => (f.Attributes & (System.Reflection.FieldAttributes.Static | System.Reflection.FieldAttributes.Literal)) == 0);
                current = type.BaseType;
            }

            return (fields + 1) * HeapBlock;
        }

        private static int ElementSize(MetadataReader md, EntityHandle element)
        {
            if (PrimitiveSizes.TryGetValue(PeRowCounter.FullName(md, element), out int size))
            {
                return size;
            }

            if (element.Kind == HandleKind.TypeDefinition)
            {
                TypeDefinition type = md.GetTypeDefinition((TypeDefinitionHandle)element);
                foreach (FieldDefinitionHandle f in type.GetFields())
                {
                    FieldDefinition field = md.GetFieldDefinition(f);
                    if (md.GetString(field.Name) == "value__")
                    {
                        // An enum array holds its underlying integers.
                        BlobReader sig = md.GetBlobReader(field.Signature);
                        sig.ReadSignatureHeader();
                        return sig.ReadSignatureTypeCode() switch
                        {
                            SignatureTypeCode.Byte or SignatureTypeCode.SByte or SignatureTypeCode.Boolean => 1,
                            SignatureTypeCode.Int16 or SignatureTypeCode.UInt16 or SignatureTypeCode.Char => 2,
                            SignatureTypeCode.Int64 or SignatureTypeCode.UInt64 => 8,
                            _ => 4,
                        };
                    }
                }
            }

            return HeapBlock; // references and structs: one heap block per element
        }

        private static TypeDefinitionHandle? BoxedStruct(MetadataReader md, FieldDefinition field)
        {
            BlobReader sig = md.GetBlobReader(field.Signature);
            sig.ReadSignatureHeader();
            if (sig.ReadSignatureTypeCode() != SignatureTypeCode.TypeHandle)
            {
                return null;
            }

            EntityHandle type = sig.ReadTypeHandle();
            if (type.Kind != HandleKind.TypeDefinition)
            {
                return null;
            }

            TypeDefinition def = md.GetTypeDefinition((TypeDefinitionHandle)type);
            if (InlineValueTypes.Contains(PeRowCounter.FullName(md, type)))
            {
                return null;
            }

            string baseName = PeRowCounter.FullName(md, def.BaseType);
            return baseName == "System.ValueType" ? (TypeDefinitionHandle)type : null;
        }

        private static EntityHandle DeclaringType(MetadataReader md, EntityHandle method) => method.Kind switch
        {
            HandleKind.MethodDefinition => md.GetMethodDefinition((MethodDefinitionHandle)method).GetDeclaringType(),
            HandleKind.MemberReference => md.GetMemberReference((MemberReferenceHandle)method).Parent,
            _ => default,
        };

        private static string MemberName(MetadataReader md, EntityHandle method) => method.Kind switch
        {
            HandleKind.MethodDefinition => md.GetString(md.GetMethodDefinition((MethodDefinitionHandle)method).Name),
            HandleKind.MemberReference => md.GetString(md.GetMemberReference((MemberReferenceHandle)method).Name),
            _ => "",
        };
    }
}
