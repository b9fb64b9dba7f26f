namespace AliyunIot.Ota
{
    /// <summary>
    /// Modular arithmetic on fixed-size unsigned numbers (little-endian <c>uint</c> limbs) modulo an odd modulus
    /// whose top bit is set (an RSA modulus of exactly 32·k bits), in Montgomery form (CIOS multiplication).
    /// Only what RSA signature verification with a small public exponent needs: one conversion, squarings and
    /// multiplications, and the way back. All work arrays are allocated once per instance; no exceptions on data.
    /// </summary>
    /// <remarks>
    /// Cost: one <see cref="MontMul"/> is 2·k² 32×32→64-bit multiply-adds (k = 64 limbs for RSA-2048: 8,192);
    /// e = 65537 needs 17 of them plus 5 to prepare R² mod n — about 180,000 multiply-adds per verification.
    /// </remarks>
    internal sealed class Montgomery
    {
        private readonly uint[] _n;
        private readonly uint _n0Inverse;
        private readonly uint[] _t;
        private readonly uint[] _r2;

        /// <summary>Prepares arithmetic modulo <paramref name="modulus"/> (little-endian limbs, odd, top bit set).</summary>
        internal Montgomery(uint[] modulus)
        {
            _n = modulus;
            int k = modulus.Length;
            _t = new uint[k + 2];

            // -n^-1 mod 2^32 by Newton's iteration (each step doubles the correct low bits: 1 → 2 → 4 → ... → 32).
            uint inverse = 1;
            for (int i = 0; i < 5; i++)
            {
                inverse *= 2 - (modulus[0] * inverse);
            }

            _n0Inverse = (uint)(0 - inverse);
            _r2 = ComputeR2();
        }

        /// <summary>Limbs per number.</summary>
        internal int Length
        {
            get { return _n.Length; }
        }

        /// <summary>
        /// <paramref name="result"/> = <paramref name="value"/>^e mod n for e = 2^<paramref name="squarings"/> + 1
        /// (65537: 16 squarings). <paramref name="value"/> must be below n.
        /// </summary>
        internal void PowFermat(uint[] value, int squarings, uint[] result)
        {
            int k = _n.Length;
            uint[] valueMont = new uint[k];
            uint[] acc = new uint[k];
            uint[] scratch = new uint[k];

            // To Montgomery form: value·R = MontMul(value, R² mod n).
            MontMul(value, _r2, valueMont);
            Copy(valueMont, acc);
            for (int i = 0; i < squarings; i++)
            {
                MontMul(acc, acc, scratch);
                Copy(scratch, acc);
            }

            MontMul(acc, valueMont, scratch);

            // Back from Montgomery form: MontMul(x, 1).
            uint[] one = new uint[k];
            one[0] = 1;
            MontMul(scratch, one, result);
        }

        /// <summary>True when <paramref name="a"/> &lt; n.</summary>
        internal bool IsBelowModulus(uint[] a)
        {
            return Compare(a, _n) < 0;
        }

        /// <summary><paramref name="result"/> = a·b·R⁻¹ mod n (CIOS); a, b &lt; n; result may not alias a or b.</summary>
        internal void MontMul(uint[] a, uint[] b, uint[] result)
        {
            int k = _n.Length;
            uint[] t = _t;
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = 0;
            }

            for (int i = 0; i < k; i++)
            {
                ulong carry = 0;
                ulong ai = a[i];
                for (int j = 0; j < k; j++)
                {
                    ulong sum = t[j] + (ai * b[j]) + carry;
                    t[j] = (uint)sum;
                    carry = sum >> 32;
                }

                ulong top = t[k] + carry;
                t[k] = (uint)top;
                t[k + 1] = (uint)(top >> 32);

                ulong m = (uint)(t[0] * _n0Inverse);
                ulong reduce = t[0] + (m * _n[0]);
                carry = reduce >> 32;
                for (int j = 1; j < k; j++)
                {
                    ulong sum = t[j] + (m * _n[j]) + carry;
                    t[j - 1] = (uint)sum;
                    carry = sum >> 32;
                }

                top = t[k] + carry;
                t[k - 1] = (uint)top;
                t[k] = t[k + 1] + (uint)(top >> 32);
            }

            // t < 2n: one conditional subtraction.
            if (t[k] != 0 || CompareTail(t, _n) >= 0)
            {
                long borrow = 0;
                for (int j = 0; j < k; j++)
                {
                    long diff = (long)t[j] - _n[j] - borrow;
                    result[j] = (uint)diff;
                    borrow = diff < 0 ? 1 : 0;
                }
            }
            else
            {
                for (int j = 0; j < k; j++)
                {
                    result[j] = t[j];
                }
            }
        }

        // R² mod n with R = 2^(32k). x = R − n = R mod n (n > R/2) is the Montgomery form of 2^0; doubling it gives
        // the form of 2^1, 2^2, ...; a Montgomery squaring doubles the exponent. So: double up to a start s ≤ 64 with
        // s·2^m = 32k, then square m times (RSA-2048: 64 doublings + 5 squarings instead of 2048 doublings).
        private uint[] ComputeR2()
        {
            int k = _n.Length;
            uint[] x = new uint[k];
            long borrow = 0;
            for (int j = 0; j < k; j++)
            {
                long diff = 0L - _n[j] - borrow;
                x[j] = (uint)diff;
                borrow = diff < 0 ? 1 : 0;
            }

            int target = 32 * k;
            int start = target;
            while (start > 64 && (start & 1) == 0)
            {
                start >>= 1;
            }

            for (int i = 0; i < start; i++)
            {
                DoubleMod(x);
            }

            uint[] scratch = new uint[k];
            for (int exponent = start; exponent < target; exponent *= 2)
            {
                MontMul(x, x, scratch);
                Copy(scratch, x);
            }

            return x;
        }

        private void DoubleMod(uint[] x)
        {
            int k = x.Length;
            uint carry = 0;
            for (int j = 0; j < k; j++)
            {
                uint next = x[j] >> 31;
                x[j] = (x[j] << 1) | carry;
                carry = next;
            }

            if (carry != 0 || Compare(x, _n) >= 0)
            {
                long borrow = 0;
                for (int j = 0; j < k; j++)
                {
                    long diff = (long)x[j] - _n[j] - borrow;
                    x[j] = (uint)diff;
                    borrow = diff < 0 ? 1 : 0;
                }
            }
        }

        private static void Copy(uint[] from, uint[] to)
        {
            for (int i = 0; i < from.Length; i++)
            {
                to[i] = from[i];
            }
        }

        private static int Compare(uint[] a, uint[] b)
        {
            for (int i = b.Length - 1; i >= 0; i--)
            {
                if (a[i] != b[i])
                {
                    return a[i] < b[i] ? -1 : 1;
                }
            }

            return 0;
        }

        // Compares the low k limbs of t with n.
        private static int CompareTail(uint[] t, uint[] n)
        {
            return Compare(t, n);
        }
    }
}
