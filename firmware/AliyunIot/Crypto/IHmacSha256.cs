namespace AliyunIot.Crypto
{
    /// <summary>
    /// One-shot HMAC-SHA256. The device shell may supply the native <c>System.Security.Cryptography.HMACSHA256</c>
    /// (mbedTLS) through this; the core's default is <see cref="ManagedHmacSha256"/>. Both give identical bytes.
    /// </summary>
    public interface IHmacSha256
    {
        /// <summary>HMAC-SHA256 of <paramref name="data"/> keyed with <paramref name="key"/> (32 bytes).</summary>
        /// <remarks>Implementations must not modify or keep <paramref name="key"/> (the native class wipes its key on Dispose: pass a copy).</remarks>
        byte[] Compute(byte[] key, byte[] data);
    }
}
