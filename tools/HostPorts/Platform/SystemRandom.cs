using System.Security.Cryptography;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Platform
{
    /// <summary>Randomness from the operating system's CSPRNG.</summary>
    public sealed class SystemRandom : IRandom
    {
        /// <inheritdoc />
        public int Next(int maxExclusive) => maxExclusive <= 0 ? 0 : RandomNumberGenerator.GetInt32(maxExclusive);

        /// <inheritdoc />
        public void NextBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);
    }
}
