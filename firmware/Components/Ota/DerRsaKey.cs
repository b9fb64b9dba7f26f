namespace AliyunIot.Ota
{
    /// <summary>
    /// Reads the modulus and exponent out of a DER SubjectPublicKeyInfo for rsaEncryption:
    /// <c>SEQUENCE { SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }, BIT STRING { SEQUENCE { INTEGER n, INTEGER e } } }</c>.
    /// Strict: definite lengths only, everything must be consumed, no exceptions on malformed input.
    /// </summary>
    internal static class DerRsaKey
    {
        private static readonly byte[] RsaEncryptionOid = new byte[] { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };

        /// <summary>False when <paramref name="der"/> is not an RSA public key of that shape.</summary>
        internal static bool TryRead(byte[] der, out byte[] modulus, out long exponent)
        {
            modulus = null;
            exponent = 0;
            int p = 0;
            int outerEnd;
            if (!Enter(der, ref p, der.Length, 0x30, out outerEnd) || outerEnd != der.Length)
            {
                return false;
            }

            int algorithmEnd;
            if (!Enter(der, ref p, outerEnd, 0x30, out algorithmEnd))
            {
                return false;
            }

            int oidEnd;
            if (!Enter(der, ref p, algorithmEnd, 0x06, out oidEnd) || oidEnd - p != RsaEncryptionOid.Length)
            {
                return false;
            }

            for (int i = 0; i < RsaEncryptionOid.Length; i++)
            {
                if (der[p + i] != RsaEncryptionOid[i])
                {
                    return false;
                }
            }

            p = oidEnd;
            if (p < algorithmEnd)
            {
                int nullEnd;
                if (!Enter(der, ref p, algorithmEnd, 0x05, out nullEnd) || nullEnd != p)
                {
                    return false;
                }
            }

            if (p != algorithmEnd)
            {
                return false;
            }

            int bitsEnd;
            if (!Enter(der, ref p, outerEnd, 0x03, out bitsEnd) || bitsEnd != outerEnd || p >= bitsEnd || der[p] != 0)
            {
                return false;
            }

            p++;
            int keyEnd;
            if (!Enter(der, ref p, bitsEnd, 0x30, out keyEnd) || keyEnd != bitsEnd)
            {
                return false;
            }

            int nEnd;
            if (!Enter(der, ref p, keyEnd, 0x02, out nEnd) || nEnd == p || (der[p] & 0x80) != 0)
            {
                return false;
            }

            int nStart = p;
            while (nStart < nEnd - 1 && der[nStart] == 0)
            {
                nStart++;
            }

            modulus = new byte[nEnd - nStart];
            for (int i = 0; i < modulus.Length; i++)
            {
                modulus[i] = der[nStart + i];
            }

            p = nEnd;
            int eEnd;
            if (!Enter(der, ref p, keyEnd, 0x02, out eEnd) || eEnd != keyEnd || eEnd - p < 1 || eEnd - p > 4 || (der[p] & 0x80) != 0)
            {
                modulus = null;
                return false;
            }

            for (; p < eEnd; p++)
            {
                exponent = (exponent << 8) | der[p];
            }

            return true;
        }

        // Reads tag + definite length at p; on success p points at the content and end after it.
        private static bool Enter(byte[] der, ref int p, int limit, byte tag, out int end)
        {
            end = 0;
            if (p + 2 > limit || der[p] != tag)
            {
                return false;
            }

            int length = der[p + 1];
            p += 2;
            if (length >= 0x80)
            {
                int bytes = length & 0x7f;
                if (bytes == 0 || bytes > 2 || p + bytes > limit)
                {
                    return false;
                }

                length = 0;
                for (int i = 0; i < bytes; i++)
                {
                    length = (length << 8) | der[p++];
                }
            }

            if (length > limit - p)
            {
                return false;
            }

            end = p + length;
            return true;
        }
    }
}
