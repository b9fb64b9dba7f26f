namespace AliyunIot.Crypto
{
    /// <summary>SHA-1 (FIPS 180-4), incremental. Needed for <c>signmethod=hmacsha1</c>.</summary>
    public sealed class Sha1 : HashBase
    {
        private readonly uint[] _w = new uint[80];
        private readonly uint[] _h = new uint[5];

        /// <summary>Creates a fresh SHA-1.</summary>
        public Sha1()
            : base(true)
        {
            InitializeState();
        }

        /// <inheritdoc />
        public override int HashSize
        {
            get { return 20; }
        }

        /// <inheritdoc />
        protected override void InitializeState()
        {
            _h[0] = 0x67452301;
            _h[1] = 0xEFCDAB89;
            _h[2] = 0x98BADCFE;
            _h[3] = 0x10325476;
            _h[4] = 0xC3D2E1F0;
        }

        /// <inheritdoc />
        protected override void Compress(byte[] block, int offset)
        {
            uint[] w = _w;
            LoadBigEndianWords(block, offset, w);

            for (int i = 16; i < 80; i++)
            {
                uint v = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
                w[i] = (v << 1) | (v >> 31);
            }

            uint a = _h[0];
            uint b = _h[1];
            uint c = _h[2];
            uint d = _h[3];
            uint e = _h[4];
            for (int i = 0; i < 80; i++)
            {
                uint f;
                uint k;
                if (i < 20)
                {
                    f = (b & c) | (~b & d);
                    k = 0x5A827999;
                }
                else if (i < 40)
                {
                    f = b ^ c ^ d;
                    k = 0x6ED9EBA1;
                }
                else if (i < 60)
                {
                    f = (b & c) | (b & d) | (c & d);
                    k = 0x8F1BBCDC;
                }
                else
                {
                    f = b ^ c ^ d;
                    k = 0xCA62C1D6;
                }

                uint temp = ((a << 5) | (a >> 27)) + f + e + k + w[i];
                e = d;
                d = c;
                c = (b << 30) | (b >> 2);
                b = a;
                a = temp;
            }

            _h[0] += a;
            _h[1] += b;
            _h[2] += c;
            _h[3] += d;
            _h[4] += e;
        }

        /// <inheritdoc />
        protected override void WriteDigest(byte[] output, int offset)
        {
            StoreBigEndianWords(_h, output, offset);
        }
    }
}
