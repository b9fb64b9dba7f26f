using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Walks a method body's IL one instruction at a time (opcode, the token or integer operand), so the .pe row counter
    /// can see which references the code uses and the static-constructor scan can follow what a .cctor allocates.
    /// </summary>
    public static class IlWalker
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null))
            .ToDictionary(o => o.Value);

        /// <summary>One instruction: its opcode and its operand when it is a token or an integer constant (else 0).</summary>
        public readonly record struct Instruction(OpCode OpCode, int Operand);

        /// <summary>The instructions of <paramref name="body"/> in order.</summary>
        public static IEnumerable<Instruction> Read(MethodBodyBlock body)
        {
            BlobReader il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                short value = il.ReadByte();
                if (value == 0xFE)
                {
                    value = (short)(0xFE00 | il.ReadByte());
                }

                OpCode op = OpCodesByValue[value];
                int operand = 0;
                switch (op.OperandType)
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineVar:
                        il.ReadByte();
                        break;
                    case OperandType.ShortInlineI:
                        operand = il.ReadSByte();
                        break;
                    case OperandType.InlineVar:
                        il.ReadUInt16();
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.ReadInt64();
                        break;
                    case OperandType.ShortInlineR:
                        il.ReadSingle();
                        break;
                    case OperandType.InlineSwitch:
                        int targets = il.ReadInt32();
                        il.Offset += targets * 4;
                        break;
                    default:
                        // InlineI, InlineBrTarget, and every token operand (InlineField/Method/Type/Tok/String/Sig).
                        operand = il.ReadInt32();
                        break;
                }

                yield return new Instruction(op, operand);
            }
        }

        /// <summary>The integer a load-constant instruction pushes, or null when <paramref name="i"/> is not one.</summary>
        public static int? Constant(Instruction i)
        {
            short v = i.OpCode.Value;
            if (v >= OpCodes.Ldc_I4_M1.Value && v <= OpCodes.Ldc_I4_8.Value)
            {
                return v - OpCodes.Ldc_I4_0.Value;
            }

            return v == OpCodes.Ldc_I4_S.Value || v == OpCodes.Ldc_I4.Value ? i.Operand : null;
        }
    }
}
