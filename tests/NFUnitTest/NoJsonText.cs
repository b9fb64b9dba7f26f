using System;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An <see cref="IJsonParser"/> for tests that hand the core ready-made Hashtables: any attempt to parse text is a
    /// test bug and says so.
    /// </summary>
    internal sealed class NoJsonText : IJsonParser
    {
        /// <inheritdoc />
        public object Parse(string json)
        {
            throw new InvalidOperationException("This test passes Hashtables; it must not parse JSON text.");
        }
    }
}
