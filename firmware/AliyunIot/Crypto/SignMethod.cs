namespace AliyunIot.Crypto
{
    /// <summary>
    /// The HMAC algorithm named by <c>signmethod</c> in the ClientIdentifier and by <c>signMethod</c> in dynamic
    /// registration. Use <see cref="Signer.WireName"/> for the text: enum names print as numbers on nanoFramework.
    /// </summary>
    public enum SignMethod
    {
        /// <summary><c>hmacsha256</c> (default; the device may compute it natively).</summary>
        HmacSha256 = 0,
        /// <summary><c>hmacsha1</c>.</summary>
        HmacSha1 = 1,
        /// <summary><c>hmacmd5</c>.</summary>
        HmacMd5 = 2,
    }
}
