using System;

namespace AliyunIot.Crypto
{
    /// <summary>
    /// The Merkle–Damgård frame shared by MD5, SHA-1 and SHA-256: a 64-byte block buffer, a byte counter and
    /// the padding (0x80, zeros, 64-bit length). Subclasses only compress blocks and write out their state;
    /// whole blocks are compressed straight from the caller's array without copying.
    /// </summary>
    public abstract class HashBase : IHash
    {
        private const int Block = 64;
        private readonly byte[] _buffer = new byte[Block];
        private readonly bool _bigEndianLength;
        private int _buffered;
        private long _totalBytes;

        /// <summary>Creates the frame.</summary>
        /// <param name="bigEndianLength">true for SHA (length appended big-endian), false for MD5.</param>
        protected HashBase(bool bigEndianLength)
        {
            _bigEndianLength = bigEndianLength;
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return Block; }
        }

        /// <inheritdoc />
        public abstract int HashSize { get; }

        /// <inheritdoc />
        public void Append(byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new ArgumentException("range outside the array");
            }

            _totalBytes += count;
            if (_buffered > 0)
            {
                int take = Block - _buffered;
                if (take > count)
                {
                    take = count;
                }

                Array.Copy(data, offset, _buffer, _buffered, take);
                _buffered += take;
                offset += take;
                count -= take;
                if (_buffered < Block)
                {
                    return;
                }

                Compress(_buffer, 0);
                _buffered = 0;
            }

            while (count >= Block)
            {
                Compress(data, offset);
                offset += Block;
                count -= Block;
            }

            if (count > 0)
            {
                Array.Copy(data, offset, _buffer, 0, count);
                _buffered = count;
            }
        }

        /// <inheritdoc />
        public byte[] Finish()
        {
            byte[] digest = new byte[HashSize];
            Finish(digest, 0);
            return digest;
        }

        /// <inheritdoc />
        public void Finish(byte[] output, int offset)
        {
            if (output == null || offset < 0 || offset > output.Length - HashSize)
            {
                throw new ArgumentException("output too small for the digest");
            }

            long bitLength = _totalBytes * 8;
            _buffer[_buffered++] = 0x80;
            if (_buffered > Block - 8)
            {
                Array.Clear(_buffer, _buffered, Block - _buffered);
                Compress(_buffer, 0);
                _buffered = 0;
            }

            Array.Clear(_buffer, _buffered, Block - 8 - _buffered);
            for (int i = 0; i < 8; i++)
            {
                byte b = (byte)(bitLength >> (8 * i));
                if (_bigEndianLength)
                {
                    _buffer[Block - 1 - i] = b;
                }
                else
                {
                    _buffer[Block - 8 + i] = b;
                }
            }

            Compress(_buffer, 0);
            WriteDigest(output, offset);
            Reset();
        }

        /// <inheritdoc />
        public void Reset()
        {
            _buffered = 0;
            _totalBytes = 0;
            Array.Clear(_buffer, 0, Block);
            InitializeState();
        }

        /// <summary>Sets the chaining state to the algorithm's initial value.</summary>
        protected abstract void InitializeState();

        /// <summary>Compresses the 64 bytes at <paramref name="offset"/> into the chaining state.</summary>
        protected abstract void Compress(byte[] block, int offset);

        /// <summary>Writes the chaining state as the digest.</summary>
        protected abstract void WriteDigest(byte[] output, int offset);

        /// <summary>Reads the 16 big-endian 32-bit words of the block at <paramref name="offset"/> into <paramref name="words"/> (SHA-1, SHA-256).</summary>
        protected static void LoadBigEndianWords(byte[] block, int offset, uint[] words)
        {
            for (int i = 0; i < 16; i++)
            {
                int p = offset + (i << 2);
                words[i] = ((uint)block[p] << 24) | ((uint)block[p + 1] << 16) | ((uint)block[p + 2] << 8) | block[p + 3];
            }
        }

        /// <summary>Writes <paramref name="state"/> as big-endian 32-bit words at <paramref name="offset"/> (SHA-1, SHA-256).</summary>
        protected static void StoreBigEndianWords(uint[] state, byte[] output, int offset)
        {
            for (int i = 0; i < state.Length; i++)
            {
                uint v = state[i];
                int p = offset + (i << 2);
                output[p] = (byte)(v >> 24);
                output[p + 1] = (byte)(v >> 16);
                output[p + 2] = (byte)(v >> 8);
                output[p + 3] = (byte)v;
            }
        }
    }
}
