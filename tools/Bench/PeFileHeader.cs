using System.Buffers.Binary;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Reads the row counts out of a real nanoFramework .pe file (the 1.x "NFMRK1" format): the ground truth the row
    /// counter is checked against (tests/AliyunIot.Tests/Guard/PeTableModelTests, with mscorlib.pe of
    /// nanoFramework.CoreLibrary 1.17.11). Layout from nf-interpreter 1.12.4 src/CLR/Include/nanoCLR_Types.h:
    /// CLR_RECORD_ASSEMBLY (startOfTables[16] at byte 40, paddingOfTables[16] at byte 108; a table's size is
    /// startOfTables[t + 1] − startOfTables[t] − paddingOfTables[t]) and the record sizes below.
    /// </summary>
    public static class PeFileHeader
    {
        // sizeof(CLR_RECORD_ASSEMBLYREF / TYPEREF / FIELDREF / METHODREF / TYPEDEF / FIELDDEF / METHODDEF), nanoCLR_Types.h.
        private static readonly int[] RecordSizes = { 12, 8, 8, 8, 24, 8, 16 };

        /// <summary>The rows of the .pe at <paramref name="path"/>; static fields summed from the TypeDef records' sFields_Num.</summary>
        public static PeRows Read(string path)
        {
            byte[] pe = File.ReadAllBytes(path);
            if (pe.Length < 124 || System.Text.Encoding.ASCII.GetString(pe, 0, 6) != "NFMRK1")
            {
                throw new InvalidDataException(path + " is not a nanoFramework 1.x .pe (no NFMRK1 marker)");
            }

            int[] rows = new int[7];
            for (int t = 0; t < 7; t++)
            {
                int size = Start(pe, t + 1) - Start(pe, t) - pe[108 + t];
                if (size % RecordSizes[t] != 0)
                {
                    throw new InvalidDataException($"{path}: table {t} is {size} bytes, not a multiple of {RecordSizes[t]}");
                }

                rows[t] = size / RecordSizes[t];
            }

            int statics = 0;
            int typeDefs = Start(pe, 4);
            for (int i = 0; i < rows[4]; i++)
            {
                statics += pe[typeDefs + (i * 24) + 20]; // CLR_RECORD_TYPEDEF.sFields_Num
            }

            return new PeRows(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], statics);
        }

        private static int Start(byte[] pe, int table) => BinaryPrimitives.ReadInt32LittleEndian(pe.AsSpan(40 + (4 * table)));
    }
}
