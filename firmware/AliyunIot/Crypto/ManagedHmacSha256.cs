namespace AliyunIot.Crypto
{
    /// <summary>HMAC-SHA256 with the core's managed <see cref="Sha256"/>; works on every runtime.</summary>
    public sealed class ManagedHmacSha256 : IHmacSha256
    {
        /// <inheritdoc />
        public byte[] Compute(byte[] key, byte[] data)
        {
            return Hmac.Compute(new Sha256(), key, data);
        }
    }
}
