namespace AliyunIot.Json
{
    /// <summary>
    /// Converts a JSON number literal (already validated by <see cref="JsonReader"/>) straight from its UTF-8 bytes,
    /// without a string and without culture-dependent parsing. Integers are exact over the whole long range.
    /// Doubles are exact (correctly rounded) when the literal has at most 15 significant digits and a decimal
    /// exponent within ±22 (the values the platform sends); otherwise a 64-bit intermediate keeps the result
    /// within one unit in the last place. A magnitude beyond double's range is refused; one below it becomes 0.
    /// </summary>
    public static class JsonNumber
    {
        private const double TwoTo60 = 1152921504606846976.0;

        private static readonly double[] ExactPowers = new double[]
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        };

        /// <summary>
        /// Finds the end of the JSON number literal at <paramref name="at"/> (RFC 8259 grammar: optional minus, no
        /// leading zeros, digits after a point and in an exponent).
        /// </summary>
        /// <returns>The offset after the literal; minus the offset where it broke when malformed.</returns>
        public static int Scan(byte[] data, int at, int end, out bool isInteger)
        {
            isInteger = true;
            int i = at;
            if (i < end && data[i] == (byte)'-')
            {
                i++;
            }

            if (i >= end || !IsDigit(data[i]))
            {
                return -i;
            }

            i = data[i] == (byte)'0' ? i + 1 : SkipDigits(data, i, end);
            if (i < end && data[i] == (byte)'.')
            {
                isInteger = false;
                i++;
                if (i >= end || !IsDigit(data[i]))
                {
                    return -i;
                }

                i = SkipDigits(data, i, end);
            }

            if (i < end && (data[i] == (byte)'e' || data[i] == (byte)'E'))
            {
                isInteger = false;
                i++;
                if (i < end && (data[i] == (byte)'+' || data[i] == (byte)'-'))
                {
                    i++;
                }

                if (i >= end || !IsDigit(data[i]))
                {
                    return -i;
                }

                i = SkipDigits(data, i, end);
            }

            return i;
        }

        private static bool IsDigit(byte b)
        {
            return b >= (byte)'0' && b <= (byte)'9';
        }

        private static int SkipDigits(byte[] data, int i, int end)
        {
            while (i < end && IsDigit(data[i]))
            {
                i++;
            }

            return i;
        }

        /// <summary>Parses an integer literal (optional minus, digits).</summary>
        /// <returns>False when the literal is not a plain integer or does not fit a long.</returns>
        public static bool TryParseInt64(byte[] data, int offset, int count, out long value)
        {
            value = 0;
            int i = offset;
            int end = offset + count;
            bool negative = i < end && data[i] == (byte)'-';
            if (negative)
            {
                i++;
            }

            if (i >= end)
            {
                return false;
            }

            // Accumulate negatively: long.MinValue has no positive counterpart.
            long result = 0;
            for (; i < end; i++)
            {
                int digit = data[i] - '0';
                if (digit < 0 || digit > 9)
                {
                    return false;
                }

                if (result < (long.MinValue + digit) / 10)
                {
                    return false;
                }

                result = (result * 10) - digit;
            }

            if (!negative)
            {
                if (result == long.MinValue)
                {
                    return false;
                }

                result = -result;
            }

            value = result;
            return true;
        }

        /// <summary>Parses any JSON number literal as a double.</summary>
        /// <returns>False when the literal is malformed or its magnitude exceeds double's range.</returns>
        public static bool TryParseDouble(byte[] data, int offset, int count, out double value)
        {
            value = 0;
            int i = offset;
            int end = offset + count;
            bool negative = i < end && data[i] == (byte)'-';
            if (negative)
            {
                i++;
            }

            // Up to 19 significant digits go into the mantissa; further integer digits raise the exponent.
            ulong mantissa = 0;
            int significant = 0;
            int exponent = 0;
            bool digits = false;
            bool point = false;
            for (; i < end; i++)
            {
                byte b = data[i];
                if (b == (byte)'.')
                {
                    if (point)
                    {
                        return false;
                    }

                    point = true;
                    continue;
                }

                if (b < (byte)'0' || b > (byte)'9')
                {
                    break;
                }

                digits = true;
                int digit = b - '0';
                if (significant < 19)
                {
                    if (mantissa != 0 || digit != 0)
                    {
                        mantissa = (mantissa * 10) + (ulong)digit;
                        significant++;
                    }

                    if (point)
                    {
                        exponent--;
                    }
                }
                else if (!point)
                {
                    exponent++;
                }
            }

            if (!digits)
            {
                return false;
            }

            if (i < end)
            {
                if (data[i] != (byte)'e' && data[i] != (byte)'E')
                {
                    return false;
                }

                i++;
                bool negativeExponent = false;
                if (i < end && (data[i] == (byte)'+' || data[i] == (byte)'-'))
                {
                    negativeExponent = data[i] == (byte)'-';
                    i++;
                }

                if (i >= end)
                {
                    return false;
                }

                int e = 0;
                for (; i < end; i++)
                {
                    int digit = data[i] - '0';
                    if (digit < 0 || digit > 9)
                    {
                        return false;
                    }

                    // Saturate: anything past ±100000 is out of range either way.
                    if (e < 100000)
                    {
                        e = (e * 10) + digit;
                    }
                }

                exponent += negativeExponent ? -e : e;
            }

            double result = Scale(mantissa, significant, exponent);
            if (double.IsInfinity(result))
            {
                return false;
            }

            value = negative ? -result : result;
            return true;
        }

        private static double Scale(ulong mantissa, int significant, int exponent)
        {
            if (mantissa == 0)
            {
                return 0;
            }

            double m = (double)mantissa;

            // Exact: the mantissa and the power are both exact doubles, so one IEEE operation rounds once.
            if (significant <= 15 && exponent >= -22 && exponent <= 22)
            {
                return exponent < 0 ? m / ExactPowers[-exponent] : m * ExactPowers[exponent];
            }

            if (significant + exponent > 310)
            {
                return double.PositiveInfinity;
            }

            if (significant + exponent < -330)
            {
                return 0;
            }

            return ScaleWide(mantissa, exponent);
        }

        // mantissa * 10^exponent in 64-bit binary floating point (f * 2^b): each step truncates to 64 bits, so
        // after the at most ~20 steps a double literal needs the error is below 2^-58, far under half an ulp.
        private static double ScaleWide(ulong mantissa, int exponent)
        {
            ulong f = mantissa;
            int b = 0;
            Normalize(ref f, ref b);
            while (exponent > 0)
            {
                int k = exponent > 19 ? 19 : exponent;
                Multiply(ref f, ref b, PowerOfTen(k));
                exponent -= k;
            }

            while (exponent < 0)
            {
                int k = -exponent > 19 ? 19 : -exponent;
                Divide(ref f, ref b, PowerOfTen(k));
                exponent += k;
            }

            // (double)f rounds 64 to 53 bits once; scaling by powers of two is exact while the value stays normal.
            double result = (double)f;
            while (b > 60)
            {
                result *= TwoTo60;
                b -= 60;
                if (double.IsInfinity(result))
                {
                    return result;
                }
            }

            while (b < -60)
            {
                result /= TwoTo60;
                b += 60;
            }

            return b < 0 ? result / (double)(1UL << -b) : result * (double)(1UL << b);
        }

        private static ulong PowerOfTen(int k)
        {
            ulong p = 1;
            for (int i = 0; i < k; i++)
            {
                p *= 10;
            }

            return p;
        }

        private static void Normalize(ref ulong f, ref int b)
        {
            while ((f & 0x8000000000000000UL) == 0)
            {
                f <<= 1;
                b--;
            }
        }

        // f * 2^b *= p, keeping the top 64 bits of the 128-bit product.
        private static void Multiply(ref ulong f, ref int b, ulong p)
        {
            ulong aHi = f >> 32;
            ulong aLo = f & 0xFFFFFFFFUL;
            ulong bHi = p >> 32;
            ulong bLo = p & 0xFFFFFFFFUL;
            ulong lo = aLo * bLo;
            ulong mid1 = aHi * bLo;
            ulong mid2 = aLo * bHi;
            ulong hi = aHi * bHi;
            ulong carry = ((lo >> 32) + (mid1 & 0xFFFFFFFFUL) + (mid2 & 0xFFFFFFFFUL)) >> 32;
            ulong top = hi + (mid1 >> 32) + (mid2 >> 32) + carry;
            ulong bottom = f * p;
            b += 64;
            while ((top & 0x8000000000000000UL) == 0)
            {
                top = (top << 1) | (bottom >> 63);
                bottom <<= 1;
                b--;
            }

            // Round to nearest rather than truncate: truncation alone biases every step downwards.
            if ((bottom & 0x8000000000000000UL) != 0)
            {
                top++;
                if (top == 0)
                {
                    top = 0x8000000000000000UL;
                    b++;
                }
            }

            f = top;
        }

        // f * 2^b /= p: 64 quotient bits of (f * 2^64) / p by shift-and-subtract.
        private static void Divide(ref ulong f, ref int b, ulong p)
        {
            ulong remainder = f;
            ulong quotient = 0;
            int bits = 0;

            // Integer part first (f / p may be 0 when p > f), then fraction bits until 64 significant bits.
            ulong whole = remainder / p;
            remainder -= whole * p;
            quotient = whole;
            while (quotient != 0 && (quotient & 0x8000000000000000UL) == 0 || (quotient == 0 && bits < 192))
            {
                bool overflow = (remainder & 0x8000000000000000UL) != 0;
                remainder <<= 1;
                quotient <<= 1;
                bits++;
                if (overflow || remainder >= p)
                {
                    remainder -= p;
                    quotient |= 1;
                }
            }

            // Round to nearest: the next quotient bit is 1 when twice the remainder reaches p.
            if ((remainder & 0x8000000000000000UL) != 0 || (remainder << 1) >= p)
            {
                quotient++;
                if (quotient == 0)
                {
                    quotient = 0x8000000000000000UL;
                    bits--;
                }
            }

            f = quotient;
            b -= bits;
        }
    }
}
