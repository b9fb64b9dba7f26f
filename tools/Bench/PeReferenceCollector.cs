using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace AliyunIot.Bench
{
    /// <summary>Collects the references the kept definitions use; a signature provider, so decoding a signature visits its types.</summary>
    internal sealed class PeReferenceCollector : ISignatureTypeProvider<int, object>
    {
        private readonly MetadataReader md;
        private readonly HashSet<MemberReferenceHandle> members = new();
        private readonly HashSet<TypeSpecificationHandle> specs = new();

        public PeReferenceCollector(MetadataReader md)
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
                string name = PeRowCounter.AttributeName(md, attribute);
                bool excludedType = attribute.Constructor.Kind == HandleKind.MethodDefinition
                    && PeRowCounter.IsExcluded(md, md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType());
                if (!PeRowCounter.IgnoredAttributes.Contains(name) && !PeRowCounter.ExcludedTypes.Contains(name) && !excludedType)
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
