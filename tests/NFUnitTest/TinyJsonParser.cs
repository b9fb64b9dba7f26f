using System;
using AliyunIot.Json;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// Test shorthand: parses JSON text with the core's own <see cref="JsonTree"/> (the parser the device runs) into
    /// Hashtable / ArrayList / scalars, and throws when the text is not JSON, so a test fixture cannot silently
    /// start from nothing.
    /// </summary>
    internal sealed class TinyJsonParser
    {
        /// <summary>Parses <paramref name="json"/>; throws with the parser's reason when it is not valid JSON.</summary>
        public object Parse(string json)
        {
            string problem;
            object value = JsonTree.Parse(json, 32, out problem);
            if (problem != null)
            {
                throw new ArgumentException("test JSON is not valid: " + problem);
            }

            return value;
        }
    }
}
