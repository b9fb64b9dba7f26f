using System;

namespace AliyunIot.Crypto
{
    /// <summary>
    /// HMAC (RFC 2104) over any <see cref="IHash"/>, incremental. Keys longer than the hash's block are hashed
    /// first, as the RFC requires. One hash instance does both passes, and the padded keys are kept so
    /// <see cref="Reset"/> and <see cref="Finish(byte[], int)"/> never allocate.
    /// </summary>
    public sealed class Hmac : IHash
    {
        private readonly IHash _hash;
        private readonly byte[] _innerPad;
        private readonly byte[] _outerPad;
        private readonly byte[] _innerDigest;

        /// <summary>Creates an HMAC keyed with <paramref name="key"/>.</summary>
        /// <param name="hash">A hash used only by this HMAC from now on (for example <c>new Sha256()</c>).</param>
        /// <param name="key">The key; copied, so the caller may clear its array.</param>
        public Hmac(IHash hash, byte[] key)
        {
            if (hash == null)
            {
                throw new ArgumentNullException("hash");
            }

            if (key == null)
            {
                throw new ArgumentNullException("key");
            }

            _hash = hash;
            int blockSize = hash.BlockSize;
            _innerPad = new byte[blockSize];
            _outerPad = new byte[blockSize];
            _innerDigest = new byte[hash.HashSize];

            hash.Reset();
            if (key.Length > blockSize)
            {
                hash.Append(key, 0, key.Length);
                hash.Finish(_innerPad, 0);
            }
            else
            {
                Array.Copy(key, _innerPad, key.Length);
            }

            for (int i = 0; i < blockSize; i++)
            {
                byte k = _innerPad[i];
                _innerPad[i] = (byte)(k ^ 0x36);
                _outerPad[i] = (byte)(k ^ 0x5c);
            }

            Reset();
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return _hash.BlockSize; }
        }

        /// <inheritdoc />
        public int HashSize
        {
            get { return _hash.HashSize; }
        }

        /// <summary>One-shot HMAC of a whole array.</summary>
        /// <param name="hash">A hash instance to use (it is reset first and left reset).</param>
        /// <param name="key">The key.</param>
        /// <param name="data">The message.</param>
        public static byte[] Compute(IHash hash, byte[] key, byte[] data)
        {
            Hmac hmac = new Hmac(hash, key);
            hmac.Append(data, 0, data.Length);
            byte[] mac = hmac.Finish();
            hmac.Clear();
            return mac;
        }

        /// <inheritdoc />
        public void Append(byte[] data, int offset, int count)
        {
            _hash.Append(data, offset, count);
        }

        /// <inheritdoc />
        public byte[] Finish()
        {
            byte[] mac = new byte[_hash.HashSize];
            Finish(mac, 0);
            return mac;
        }

        /// <inheritdoc />
        public void Finish(byte[] output, int offset)
        {
            _hash.Finish(_innerDigest, 0);
            _hash.Append(_outerPad, 0, _outerPad.Length);
            _hash.Append(_innerDigest, 0, _innerDigest.Length);
            _hash.Finish(output, offset);
            Reset();
        }

        /// <inheritdoc />
        public void Reset()
        {
            _hash.Reset();
            _hash.Append(_innerPad, 0, _innerPad.Length);
        }

        /// <summary>Wipes the key material held by this instance; it cannot be used afterwards.</summary>
        public void Clear()
        {
            Array.Clear(_innerPad, 0, _innerPad.Length);
            Array.Clear(_outerPad, 0, _outerPad.Length);
            Array.Clear(_innerDigest, 0, _innerDigest.Length);
            _hash.Reset();
        }
    }
}
