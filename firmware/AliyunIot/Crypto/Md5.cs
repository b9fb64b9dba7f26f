namespace AliyunIot.Crypto
{
    /// <summary>
    /// MD5 (RFC 1321), incremental. Used for OTA <c>signMethod=Md5</c> and <c>signmethod=hmacmd5</c>; not for
    /// anything that needs collision resistance.
    /// </summary>
    public sealed class Md5 : HashBase
    {
        // T[i] = floor(abs(sin(i + 1)) * 2^32), RFC 1321 §3.4.
        private static readonly uint[] T = new uint[]
        {
            0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
            0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
            0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
            0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
            0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
            0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
            0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
            0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
        };

        private static readonly int[] Shifts = new int[]
        {
            7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21,
        };

        // Message word used by step i of each round.
        private static readonly int[] WordIndex = new int[]
        {
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            1, 6, 11, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12,
            5, 8, 11, 14, 1, 4, 7, 10, 13, 0, 3, 6, 9, 12, 15, 2,
            0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9,
        };

        private readonly uint[] _x = new uint[16];
        private uint _a;
        private uint _b;
        private uint _c;
        private uint _d;

        /// <summary>Creates a fresh MD5.</summary>
        public Md5()
            : base(false)
        {
            InitializeState();
        }

        /// <inheritdoc />
        public override int HashSize
        {
            get { return 16; }
        }

        /// <inheritdoc />
        protected override void InitializeState()
        {
            _a = 0x67452301;
            _b = 0xefcdab89;
            _c = 0x98badcfe;
            _d = 0x10325476;
        }

        /// <inheritdoc />
        protected override void Compress(byte[] block, int offset)
        {
            uint[] x = _x;
            for (int i = 0; i < 16; i++)
            {
                int p = offset + (i << 2);
                x[i] = (uint)block[p] | ((uint)block[p + 1] << 8) | ((uint)block[p + 2] << 16) | ((uint)block[p + 3] << 24);
            }

            uint a = _a;
            uint b = _b;
            uint c = _c;
            uint d = _d;
            for (int i = 0; i < 64; i++)
            {
                uint f;
                int round = i >> 4;
                if (round == 0)
                {
                    f = (b & c) | (~b & d);
                }
                else if (round == 1)
                {
                    f = (d & b) | (~d & c);
                }
                else if (round == 2)
                {
                    f = b ^ c ^ d;
                }
                else
                {
                    f = c ^ (b | ~d);
                }

                uint sum = a + f + T[i] + x[WordIndex[i]];
                int s = Shifts[(round << 2) | (i & 3)];
                uint rotated = (sum << s) | (sum >> (32 - s));
                a = d;
                d = c;
                c = b;
                b = b + rotated;
            }

            _a += a;
            _b += b;
            _c += c;
            _d += d;
        }

        /// <inheritdoc />
        protected override void WriteDigest(byte[] output, int offset)
        {
            WriteLittleEndian(_a, output, offset);
            WriteLittleEndian(_b, output, offset + 4);
            WriteLittleEndian(_c, output, offset + 8);
            WriteLittleEndian(_d, output, offset + 12);
        }

        private static void WriteLittleEndian(uint value, byte[] output, int offset)
        {
            output[offset] = (byte)value;
            output[offset + 1] = (byte)(value >> 8);
            output[offset + 2] = (byte)(value >> 16);
            output[offset + 3] = (byte)(value >> 24);
        }
    }
}
