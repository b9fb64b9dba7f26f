namespace AliyunIot.Crypto
{
    /// <summary>
    /// MD5 (RFC 1321), incremental. Used for OTA <c>signMethod=Md5</c> and <c>signmethod=hmacmd5</c>; not for
    /// anything that needs collision resistance.
    /// </summary>
    public sealed class Md5 : HashBase
    {
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

        // Fully unrolled (RFC 1321 §3.4): constants inline, message words in locals. On the device's interpreter
        // this avoids 4 array reads and a branch per step, which is most of MD5's cost there.

        /// <inheritdoc />
        protected override void Compress(byte[] block, int offset)
        {
            uint x0 = (uint)block[offset + 0] | ((uint)block[offset + 1] << 8) | ((uint)block[offset + 2] << 16) | ((uint)block[offset + 3] << 24);
            uint x1 = (uint)block[offset + 4] | ((uint)block[offset + 5] << 8) | ((uint)block[offset + 6] << 16) | ((uint)block[offset + 7] << 24);
            uint x2 = (uint)block[offset + 8] | ((uint)block[offset + 9] << 8) | ((uint)block[offset + 10] << 16) | ((uint)block[offset + 11] << 24);
            uint x3 = (uint)block[offset + 12] | ((uint)block[offset + 13] << 8) | ((uint)block[offset + 14] << 16) | ((uint)block[offset + 15] << 24);
            uint x4 = (uint)block[offset + 16] | ((uint)block[offset + 17] << 8) | ((uint)block[offset + 18] << 16) | ((uint)block[offset + 19] << 24);
            uint x5 = (uint)block[offset + 20] | ((uint)block[offset + 21] << 8) | ((uint)block[offset + 22] << 16) | ((uint)block[offset + 23] << 24);
            uint x6 = (uint)block[offset + 24] | ((uint)block[offset + 25] << 8) | ((uint)block[offset + 26] << 16) | ((uint)block[offset + 27] << 24);
            uint x7 = (uint)block[offset + 28] | ((uint)block[offset + 29] << 8) | ((uint)block[offset + 30] << 16) | ((uint)block[offset + 31] << 24);
            uint x8 = (uint)block[offset + 32] | ((uint)block[offset + 33] << 8) | ((uint)block[offset + 34] << 16) | ((uint)block[offset + 35] << 24);
            uint x9 = (uint)block[offset + 36] | ((uint)block[offset + 37] << 8) | ((uint)block[offset + 38] << 16) | ((uint)block[offset + 39] << 24);
            uint x10 = (uint)block[offset + 40] | ((uint)block[offset + 41] << 8) | ((uint)block[offset + 42] << 16) | ((uint)block[offset + 43] << 24);
            uint x11 = (uint)block[offset + 44] | ((uint)block[offset + 45] << 8) | ((uint)block[offset + 46] << 16) | ((uint)block[offset + 47] << 24);
            uint x12 = (uint)block[offset + 48] | ((uint)block[offset + 49] << 8) | ((uint)block[offset + 50] << 16) | ((uint)block[offset + 51] << 24);
            uint x13 = (uint)block[offset + 52] | ((uint)block[offset + 53] << 8) | ((uint)block[offset + 54] << 16) | ((uint)block[offset + 55] << 24);
            uint x14 = (uint)block[offset + 56] | ((uint)block[offset + 57] << 8) | ((uint)block[offset + 58] << 16) | ((uint)block[offset + 59] << 24);
            uint x15 = (uint)block[offset + 60] | ((uint)block[offset + 61] << 8) | ((uint)block[offset + 62] << 16) | ((uint)block[offset + 63] << 24);

            uint a = _a;
            uint b = _b;
            uint c = _c;
            uint d = _d;
            uint t;
            t = a + ((b & c) | (~b & d)) + 0xd76aa478 + x0;
            a = b + ((t << 7) | (t >> 25));
            t = d + ((a & b) | (~a & c)) + 0xe8c7b756 + x1;
            d = a + ((t << 12) | (t >> 20));
            t = c + ((d & a) | (~d & b)) + 0x242070db + x2;
            c = d + ((t << 17) | (t >> 15));
            t = b + ((c & d) | (~c & a)) + 0xc1bdceee + x3;
            b = c + ((t << 22) | (t >> 10));
            t = a + ((b & c) | (~b & d)) + 0xf57c0faf + x4;
            a = b + ((t << 7) | (t >> 25));
            t = d + ((a & b) | (~a & c)) + 0x4787c62a + x5;
            d = a + ((t << 12) | (t >> 20));
            t = c + ((d & a) | (~d & b)) + 0xa8304613 + x6;
            c = d + ((t << 17) | (t >> 15));
            t = b + ((c & d) | (~c & a)) + 0xfd469501 + x7;
            b = c + ((t << 22) | (t >> 10));
            t = a + ((b & c) | (~b & d)) + 0x698098d8 + x8;
            a = b + ((t << 7) | (t >> 25));
            t = d + ((a & b) | (~a & c)) + 0x8b44f7af + x9;
            d = a + ((t << 12) | (t >> 20));
            t = c + ((d & a) | (~d & b)) + 0xffff5bb1 + x10;
            c = d + ((t << 17) | (t >> 15));
            t = b + ((c & d) | (~c & a)) + 0x895cd7be + x11;
            b = c + ((t << 22) | (t >> 10));
            t = a + ((b & c) | (~b & d)) + 0x6b901122 + x12;
            a = b + ((t << 7) | (t >> 25));
            t = d + ((a & b) | (~a & c)) + 0xfd987193 + x13;
            d = a + ((t << 12) | (t >> 20));
            t = c + ((d & a) | (~d & b)) + 0xa679438e + x14;
            c = d + ((t << 17) | (t >> 15));
            t = b + ((c & d) | (~c & a)) + 0x49b40821 + x15;
            b = c + ((t << 22) | (t >> 10));
            t = a + ((d & b) | (~d & c)) + 0xf61e2562 + x1;
            a = b + ((t << 5) | (t >> 27));
            t = d + ((c & a) | (~c & b)) + 0xc040b340 + x6;
            d = a + ((t << 9) | (t >> 23));
            t = c + ((b & d) | (~b & a)) + 0x265e5a51 + x11;
            c = d + ((t << 14) | (t >> 18));
            t = b + ((a & c) | (~a & d)) + 0xe9b6c7aa + x0;
            b = c + ((t << 20) | (t >> 12));
            t = a + ((d & b) | (~d & c)) + 0xd62f105d + x5;
            a = b + ((t << 5) | (t >> 27));
            t = d + ((c & a) | (~c & b)) + 0x02441453 + x10;
            d = a + ((t << 9) | (t >> 23));
            t = c + ((b & d) | (~b & a)) + 0xd8a1e681 + x15;
            c = d + ((t << 14) | (t >> 18));
            t = b + ((a & c) | (~a & d)) + 0xe7d3fbc8 + x4;
            b = c + ((t << 20) | (t >> 12));
            t = a + ((d & b) | (~d & c)) + 0x21e1cde6 + x9;
            a = b + ((t << 5) | (t >> 27));
            t = d + ((c & a) | (~c & b)) + 0xc33707d6 + x14;
            d = a + ((t << 9) | (t >> 23));
            t = c + ((b & d) | (~b & a)) + 0xf4d50d87 + x3;
            c = d + ((t << 14) | (t >> 18));
            t = b + ((a & c) | (~a & d)) + 0x455a14ed + x8;
            b = c + ((t << 20) | (t >> 12));
            t = a + ((d & b) | (~d & c)) + 0xa9e3e905 + x13;
            a = b + ((t << 5) | (t >> 27));
            t = d + ((c & a) | (~c & b)) + 0xfcefa3f8 + x2;
            d = a + ((t << 9) | (t >> 23));
            t = c + ((b & d) | (~b & a)) + 0x676f02d9 + x7;
            c = d + ((t << 14) | (t >> 18));
            t = b + ((a & c) | (~a & d)) + 0x8d2a4c8a + x12;
            b = c + ((t << 20) | (t >> 12));
            t = a + (b ^ c ^ d) + 0xfffa3942 + x5;
            a = b + ((t << 4) | (t >> 28));
            t = d + (a ^ b ^ c) + 0x8771f681 + x8;
            d = a + ((t << 11) | (t >> 21));
            t = c + (d ^ a ^ b) + 0x6d9d6122 + x11;
            c = d + ((t << 16) | (t >> 16));
            t = b + (c ^ d ^ a) + 0xfde5380c + x14;
            b = c + ((t << 23) | (t >> 9));
            t = a + (b ^ c ^ d) + 0xa4beea44 + x1;
            a = b + ((t << 4) | (t >> 28));
            t = d + (a ^ b ^ c) + 0x4bdecfa9 + x4;
            d = a + ((t << 11) | (t >> 21));
            t = c + (d ^ a ^ b) + 0xf6bb4b60 + x7;
            c = d + ((t << 16) | (t >> 16));
            t = b + (c ^ d ^ a) + 0xbebfbc70 + x10;
            b = c + ((t << 23) | (t >> 9));
            t = a + (b ^ c ^ d) + 0x289b7ec6 + x13;
            a = b + ((t << 4) | (t >> 28));
            t = d + (a ^ b ^ c) + 0xeaa127fa + x0;
            d = a + ((t << 11) | (t >> 21));
            t = c + (d ^ a ^ b) + 0xd4ef3085 + x3;
            c = d + ((t << 16) | (t >> 16));
            t = b + (c ^ d ^ a) + 0x04881d05 + x6;
            b = c + ((t << 23) | (t >> 9));
            t = a + (b ^ c ^ d) + 0xd9d4d039 + x9;
            a = b + ((t << 4) | (t >> 28));
            t = d + (a ^ b ^ c) + 0xe6db99e5 + x12;
            d = a + ((t << 11) | (t >> 21));
            t = c + (d ^ a ^ b) + 0x1fa27cf8 + x15;
            c = d + ((t << 16) | (t >> 16));
            t = b + (c ^ d ^ a) + 0xc4ac5665 + x2;
            b = c + ((t << 23) | (t >> 9));
            t = a + (c ^ (b | ~d)) + 0xf4292244 + x0;
            a = b + ((t << 6) | (t >> 26));
            t = d + (b ^ (a | ~c)) + 0x432aff97 + x7;
            d = a + ((t << 10) | (t >> 22));
            t = c + (a ^ (d | ~b)) + 0xab9423a7 + x14;
            c = d + ((t << 15) | (t >> 17));
            t = b + (d ^ (c | ~a)) + 0xfc93a039 + x5;
            b = c + ((t << 21) | (t >> 11));
            t = a + (c ^ (b | ~d)) + 0x655b59c3 + x12;
            a = b + ((t << 6) | (t >> 26));
            t = d + (b ^ (a | ~c)) + 0x8f0ccc92 + x3;
            d = a + ((t << 10) | (t >> 22));
            t = c + (a ^ (d | ~b)) + 0xffeff47d + x10;
            c = d + ((t << 15) | (t >> 17));
            t = b + (d ^ (c | ~a)) + 0x85845dd1 + x1;
            b = c + ((t << 21) | (t >> 11));
            t = a + (c ^ (b | ~d)) + 0x6fa87e4f + x8;
            a = b + ((t << 6) | (t >> 26));
            t = d + (b ^ (a | ~c)) + 0xfe2ce6e0 + x15;
            d = a + ((t << 10) | (t >> 22));
            t = c + (a ^ (d | ~b)) + 0xa3014314 + x6;
            c = d + ((t << 15) | (t >> 17));
            t = b + (d ^ (c | ~a)) + 0x4e0811a1 + x13;
            b = c + ((t << 21) | (t >> 11));
            t = a + (c ^ (b | ~d)) + 0xf7537e82 + x4;
            a = b + ((t << 6) | (t >> 26));
            t = d + (b ^ (a | ~c)) + 0xbd3af235 + x11;
            d = a + ((t << 10) | (t >> 22));
            t = c + (a ^ (d | ~b)) + 0x2ad7d2bb + x2;
            c = d + ((t << 15) | (t >> 17));
            t = b + (d ^ (c | ~a)) + 0xeb86d391 + x9;
            b = c + ((t << 21) | (t >> 11));

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
