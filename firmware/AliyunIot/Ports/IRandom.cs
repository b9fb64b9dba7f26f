namespace AliyunIot.Ports
{
    /// <summary>Randomness for back-off jitter and dynamic-registration nonces.</summary>
    public interface IRandom
    {
        /// <summary>A value in [0, <paramref name="maxExclusive"/>).</summary>
        int Next(int maxExclusive);

        /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
        void NextBytes(byte[] buffer);
    }
}
