using Xunit;
using System.Text.Json;

namespace AliyunIot.Tests.Support
{
    /// <summary>Reads testdata/aliyun-vectors.json (the shared protocol vectors).</summary>
    internal static class Vectors
    {
        private static readonly Lazy<JsonDocument> Document = new Lazy<JsonDocument>(() =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "aliyun-vectors.json"))));

        public static JsonElement Root => Document.Value.RootElement;

        public static IEnumerable<object[]> Section(string name) =>
            Root.GetProperty(name).EnumerateArray().Select((e, i) => new object[] { i });

        public static JsonElement Item(string section, int index) => Root.GetProperty(section)[index];

        public static string Str(this JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        /// <summary>The input bytes of a "digests" entry, rebuilt from the notes' definitions.</summary>
        public static byte[] DigestInput(string name, int length)
        {
            byte[] data = new byte[length];
            switch (name)
            {
                case "empty":
                    break;
                case "hello":
                    data = "hello"u8.ToArray();
                    break;
                case "bytes-0-255":
                case "1024-i-and-255":
                    for (int i = 0; i < length; i++)
                    {
                        data[i] = (byte)(i & 0xFF);
                    }

                    break;
                case "1MiB-i-mod-251":
                    for (int i = 0; i < length; i++)
                    {
                        data[i] = (byte)(i % 251);
                    }

                    break;
                default:
                    throw new InvalidOperationException("unknown digest vector " + name);
            }

            Assert.Equal(length, data.Length);
            return data;
        }
    }
}
