namespace AliyunIot.Bench
{
    /// <summary>
    /// The row counts of the .pe tables for which nanoCLR allocates RAM when it loads an assembly
    /// (CLR_RT_Assembly::CreateInstance), plus the static fields it gives one heap block each.
    /// </summary>
    /// <param name="AssemblyRefs">TBL_AssemblyRef rows.</param>
    /// <param name="TypeRefs">TBL_TypeRef rows.</param>
    /// <param name="FieldRefs">TBL_FieldRef rows (the field half of the ECMA MemberRef table).</param>
    /// <param name="MethodRefs">TBL_MethodRef rows (the method half of MemberRef).</param>
    /// <param name="TypeDefs">TBL_TypeDef rows (no &lt;Module&gt;).</param>
    /// <param name="FieldDefs">TBL_FieldDef rows (no const fields: the metadata processor drops literals).</param>
    /// <param name="MethodDefs">TBL_MethodDef rows.</param>
    /// <param name="StaticFields">Static fields of the kept types (the sum of the TypeDef rows' sFields_Num).</param>
    public sealed record PeRows(int AssemblyRefs, int TypeRefs, int FieldRefs, int MethodRefs, int TypeDefs, int FieldDefs, int MethodDefs, int StaticFields)
    {
        /// <summary>All rows that carry a runtime table entry (static fields not included).</summary>
        public int Total => AssemblyRefs + TypeRefs + FieldRefs + MethodRefs + TypeDefs + FieldDefs + MethodDefs;

        /// <summary>A one-line summary for the bench's notes.</summary>
        public override string ToString() =>
            $"{AssemblyRefs} asm refs, {TypeRefs} type refs, {FieldRefs} field refs, {MethodRefs} method refs, {TypeDefs} types, {FieldDefs} fields ({StaticFields} static), {MethodDefs} methods";
    }
}
