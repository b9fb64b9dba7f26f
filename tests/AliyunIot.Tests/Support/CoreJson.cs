using AliyunIot.Json;

namespace AliyunIot.Tests.Support
{
    /// <summary>Test shorthand: the core's parser (the device's), throwing on text a test wrote wrong.</summary>
    public static class CoreJson
    {
        /// <summary>Parses <paramref name="json"/> with <see cref="JsonTree"/>; nesting up to 16.</summary>
        public static object Parse(string json)
        {
            object value = JsonTree.Parse(json, 16, out string problem);
            if (problem != null)
            {
                throw new InvalidDataException("test JSON does not parse: " + problem);
            }

            return value;
        }
    }
}
