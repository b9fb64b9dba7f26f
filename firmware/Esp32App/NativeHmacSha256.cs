using System;
using System.Security.Cryptography;
using AliyunIot.Crypto;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// HMAC-SHA256 by the firmware's native mbedTLS implementation (nanoFramework.System.Security.Cryptography):
    /// much faster than the core's ManagedHmacSha256, which remains the reference (the on-device tests check both agree).
    /// Plugged into the core through <see cref="IHmacSha256"/>.
    /// </summary>
    /// <remarks>
    /// nanoFramework's <see cref="HMACSHA256"/> keeps a reference to the key array it is given and zeroes it on
    /// Dispose (notes §A.9). The DeviceSecret's bytes must survive every signature, so the native code only ever sees a
    /// private copy, which is cleared afterwards so no secret lingers in the heap longer than needed.
    /// </remarks>
    public sealed class NativeHmacSha256 : IHmacSha256
    {
        /// <summary>HMAC-SHA256 of <paramref name="data"/> under <paramref name="key"/>; neither argument is modified.</summary>
        public byte[] Compute(byte[] key, byte[] data)
        {
            if (key == null)
            {
                throw new ArgumentNullException("key");
            }

            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            byte[] keyCopy = new byte[key.Length];
            Array.Copy(key, keyCopy, key.Length);
            try
            {
                return HMACSHA256.HashData(keyCopy, data);
            }
            finally
            {
                Array.Clear(keyCopy, 0, keyCopy.Length);
            }
        }
    }
}
