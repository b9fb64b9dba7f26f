using System;
using AliyunIot.Crypto;

namespace AliyunIot.Ota
{
    /// <summary>
    /// An RSA public key (2048 or 3072 bits, e = 65537) that verifies RSASSA-PKCS1-v1_5 signatures over a SHA-256
    /// digest. Read from the PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) that <c>otapack keygen</c> writes and
    /// <c>openssl</c> understands. Verification rebuilds the whole expected encoded message and compares it byte for
    /// byte (no parsing of the decrypted block, so none of the classic padding-parsing forgeries apply).
    /// </summary>
    public sealed class RsaPublicKey
    {
        // DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1).
        private static readonly byte[] Sha256DigestInfo = new byte[]
        {
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
        };

        private readonly byte[] _modulus;
        private readonly uint[] _limbs;

        private RsaPublicKey(byte[] modulus)
        {
            _modulus = modulus;
            int k = modulus.Length / 4;
            _limbs = new uint[k];
            for (int i = 0; i < k; i++)
            {
                int p = modulus.Length - 4 - (4 * i);
                _limbs[i] = ((uint)modulus[p] << 24) | ((uint)modulus[p + 1] << 16) | ((uint)modulus[p + 2] << 8) | modulus[p + 3];
            }

            KeyId = ComputeKeyId(modulus);
        }

        /// <summary>Modulus size in bytes (256 or 384): also the size of every signature.</summary>
        public int SignatureLength
        {
            get { return _modulus.Length; }
        }

        /// <summary>First 8 bytes of SHA-256 over the big-endian modulus: names the key in images and messages.</summary>
        public byte[] KeyId { get; private set; }

        /// <summary>The key id as 16 lower-case hex digits (for logs and reports; not secret).</summary>
        public string KeyIdHex
        {
            get { return Hex.ToLower(KeyId); }
        }

        /// <summary>
        /// Reads a PEM <c>-----BEGIN PUBLIC KEY-----</c> block. Returns null (never throws) when the text is not an RSA
        /// key of 2048 or 3072 bits with exponent 65537; <paramref name="error"/> then says why.
        /// </summary>
        public static RsaPublicKey FromPem(string pem, out string error)
        {
            error = null;
            byte[] der = PemBody(pem);
            if (der == null)
            {
                error = "not a PEM PUBLIC KEY block";
                return null;
            }

            byte[] modulus;
            long exponent;
            if (!DerRsaKey.TryRead(der, out modulus, out exponent))
            {
                error = "not an RSA SubjectPublicKeyInfo";
                return null;
            }

            if (exponent != 65537)
            {
                error = "only the public exponent 65537 is supported";
                return null;
            }

            if ((modulus.Length != 256 && modulus.Length != 384) || (modulus[0] & 0x80) == 0 || (modulus[modulus.Length - 1] & 1) == 0)
            {
                error = "the modulus must be exactly 2048 or 3072 bits and odd";
                return null;
            }

            return new RsaPublicKey(modulus);
        }

        /// <summary>Computes the key id of a big-endian modulus (the packer uses the same definition).</summary>
        public static byte[] ComputeKeyId(byte[] modulus)
        {
            Sha256 sha = new Sha256();
            sha.Append(modulus, 0, modulus.Length);
            byte[] full = sha.Finish();
            byte[] id = new byte[8];
            Array.Copy(full, id, 8);
            return id;
        }

        /// <summary>
        /// True when <paramref name="signature"/> is this key's RSASSA-PKCS1-v1_5 signature of the SHA-256
        /// <paramref name="digest"/>. Constant work for every input of the right length; false for any other length.
        /// </summary>
        public bool VerifySha256(byte[] digest, byte[] signature)
        {
            if (digest == null || digest.Length != 32 || signature == null || signature.Length != _modulus.Length)
            {
                return false;
            }

            int k = _limbs.Length;
            uint[] s = new uint[k];
            for (int i = 0; i < k; i++)
            {
                int p = signature.Length - 4 - (4 * i);
                s[i] = ((uint)signature[p] << 24) | ((uint)signature[p + 1] << 16) | ((uint)signature[p + 2] << 8) | signature[p + 3];
            }

            Montgomery arithmetic = new Montgomery(_limbs);
            if (!arithmetic.IsBelowModulus(s))
            {
                return false;
            }

            uint[] m = new uint[k];
            arithmetic.PowFermat(s, 16, m);
            byte[] expected = EncodedMessage(digest, signature.Length);
            uint difference = 0;
            for (int i = 0; i < k; i++)
            {
                int p = expected.Length - 4 - (4 * i);
                uint want = ((uint)expected[p] << 24) | ((uint)expected[p + 1] << 16) | ((uint)expected[p + 2] << 8) | expected[p + 3];
                difference |= want ^ m[i];
            }

            return difference == 0;
        }

        // EM = 00 01 FF..FF 00 || DigestInfo(SHA-256) || digest (RFC 8017 §9.2).
        private static byte[] EncodedMessage(byte[] digest, int length)
        {
            byte[] em = new byte[length];
            int tail = Sha256DigestInfo.Length + digest.Length;
            em[1] = 0x01;
            for (int i = 2; i < length - tail - 1; i++)
            {
                em[i] = 0xFF;
            }

            Array.Copy(Sha256DigestInfo, 0, em, length - tail, Sha256DigestInfo.Length);
            Array.Copy(digest, 0, em, length - digest.Length, digest.Length);
            return em;
        }

        private static byte[] PemBody(string pem)
        {
            if (pem == null)
            {
                return null;
            }

            const string Begin = "-----BEGIN PUBLIC KEY-----";
            const string End = "-----END PUBLIC KEY-----";
            int start = pem.IndexOf(Begin);
            int end = pem.IndexOf(End);
            if (start < 0 || end < start)
            {
                return null;
            }

            start += Begin.Length;
            char[] base64 = new char[end - start];
            int count = 0;
            for (int i = start; i < end; i++)
            {
                char c = pem[i];
                if (c != '\r' && c != '\n' && c != ' ' && c != '\t')
                {
                    base64[count++] = c;
                }
            }

            try
            {
                return Convert.FromBase64CharArray(base64, 0, count);
            }
            catch (Exception)
            {
                return null;
            }
        }
    }
}
