using System;

namespace AliyunIot.Crypto
{
    /// <summary>
    /// Hexadecimal text for digests and signatures. The platform's SDKs send upper-case (C) or lower-case
    /// (Python, Node) and the cloud sends OTA digests in lower case, so decoding and comparing ignore case.
    /// </summary>
    public static class Hex
    {
        private const string UpperDigits = "0123456789ABCDEF";
        private const string LowerDigits = "0123456789abcdef";

        /// <summary>Upper-case hex of the whole array (what Aliyun's C SDKs send as the password).</summary>
        public static string ToUpper(byte[] data)
        {
            return Encode(data, 0, data.Length, true);
        }

        /// <summary>Lower-case hex of the whole array.</summary>
        public static string ToLower(byte[] data)
        {
            return Encode(data, 0, data.Length, false);
        }

        /// <summary>Hex of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        public static string Encode(byte[] data, int offset, int count, bool upperCase)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new ArgumentException("range outside the array");
            }

            string digits = upperCase ? UpperDigits : LowerDigits;
            char[] chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                byte b = data[offset + i];
                chars[2 * i] = digits[b >> 4];
                chars[(2 * i) + 1] = digits[b & 0xF];
            }

            return new string(chars);
        }

        /// <summary>Decodes hex text of either case.</summary>
        /// <exception cref="ArgumentException">Odd length or a character that is not a hex digit.</exception>
        public static byte[] Decode(string hex)
        {
            if (hex == null)
            {
                throw new ArgumentNullException("hex");
            }

            if ((hex.Length & 1) != 0)
            {
                throw new ArgumentException("hex text has an odd length");
            }

            byte[] bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                int high = DigitValue(hex[2 * i]);
                int low = DigitValue(hex[(2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    throw new ArgumentException("not a hex digit at " + (2 * i).ToString());
                }

                bytes[i] = (byte)((high << 4) | low);
            }

            return bytes;
        }

        /// <summary>True when <paramref name="text"/> is non-empty, even-length hex of either case.</summary>
        public static bool IsHex(string text)
        {
            if (text == null || text.Length == 0 || (text.Length & 1) != 0)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (DigitValue(text[i]) < 0)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// True when <paramref name="expectedHex"/> (either case) spells exactly <paramref name="digest"/>.
        /// Runs in time that depends only on the lengths, so a forged digest learns nothing from timing.
        /// </summary>
        public static bool DigestEquals(byte[] digest, string expectedHex)
        {
            if (digest == null || expectedHex == null || expectedHex.Length != digest.Length * 2)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < digest.Length; i++)
            {
                int high = DigitValue(expectedHex[2 * i]);
                int low = DigitValue(expectedHex[(2 * i) + 1]);

                // A non-digit makes the value negative; OR-ing keeps the loop branch-free on the data.
                difference |= (high | low) & 0x100;
                difference |= ((high << 4) | low) ^ digest[i];
            }

            return difference == 0;
        }

        /// <summary>Byte-wise equality in time that depends only on the lengths.</summary>
        public static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < a.Length; i++)
            {
                difference |= a[i] ^ b[i];
            }

            return difference == 0;
        }

        /// <summary>Case-insensitive equality of two hex strings (for example a computed and a received digest).</summary>
        public static bool EqualsIgnoreCase(string a, string b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < a.Length; i++)
            {
                difference |= Fold(a[i]) ^ Fold(b[i]);
            }

            return difference == 0;
        }

        private static int Fold(char c)
        {
            return c >= 'A' && c <= 'Z' ? c + 32 : c;
        }

        /// <summary>The value of one hex digit of either case, or -1.</summary>
        internal static int DigitValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }
    }
}
