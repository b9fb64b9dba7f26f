using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>An <see cref="IRandom"/> that always draws the top (or the bottom) of the range: the back-off's bounds become exact.</summary>
    internal sealed class EdgeRandom : IRandom
    {
        private readonly bool _top;

        /// <summary>Creates the generator; <paramref name="top"/> draws maxExclusive - 1, otherwise 0.</summary>
        public EdgeRandom(bool top)
        {
            _top = top;
        }

        /// <inheritdoc />
        public int Next(int maxExclusive)
        {
            return maxExclusive <= 0 ? 0 : (_top ? maxExclusive - 1 : 0);
        }

        /// <inheritdoc />
        public void NextBytes(byte[] buffer)
        {
        }
    }
}
