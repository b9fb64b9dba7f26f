using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Registry;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// The cloud's firmware library, like the platform console's "upload firmware" then "create upgrade job": an
    /// image is uploaded once and kept under <c>{state}/firmware/</c> (folder 0700, files 0600, named by the cloud
    /// from a random id, never by the caller), then OTA jobs name it by id. Each image has a small JSON record next
    /// to it (id, version, size, SHA-256, upload time) so the list survives a restart.
    /// </summary>
    public sealed class FirmwareLibrary
    {
        /// <summary>Largest image kept (the control API's body limit holds its base64 form, 4/3 larger).</summary>
        public const int MaxImageBytes = 12 * 1024 * 1024;

        private const string Prefix = "fw";
        private readonly string _root;
        private readonly string _folder;
        private readonly object _gate = new object();

        /// <summary>A library under <paramref name="stateDirectory"/> (created at the first upload).</summary>
        public FirmwareLibrary(string stateDirectory)
        {
            _root = Path.GetFullPath(stateDirectory);
            _folder = Path.Combine(_root, "firmware");
        }

        /// <summary>Keeps <paramref name="image"/> as version <paramref name="version"/> and returns its record.</summary>
        /// <exception cref="ArgumentException">Empty or too large image, or no version.</exception>
        public FirmwareImage Upload(byte[] image, string version)
        {
            if (image == null || image.Length == 0)
            {
                throw new ArgumentException("the image is empty");
            }

            if (image.Length > MaxImageBytes)
            {
                throw new ArgumentException($"an image is at most {MaxImageBytes / (1024 * 1024)} MiB");
            }

            if (string.IsNullOrWhiteSpace(version) || version.Length > 64)
            {
                throw new ArgumentException("version is required (at most 64 characters)");
            }

            var record = new FirmwareImage(
                Prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(),
                version,
                image.Length,
                Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant(),
                DateTime.UtcNow);
            lock (_gate)
            {
                PrivateFiles.EnsureDirectory(_root, _folder);

                // The image first, its record last: a record always has its image.
                AliyunIot.TestBroker.PrivateFiles.WriteAllBytes(ImagePath(record.Id), image);
                AliyunIot.TestBroker.PrivateFiles.WriteAllText(RecordPath(record.Id), record.ToJson().ToJsonString());
            }

            return record;
        }

        /// <summary>Every uploaded image, oldest first.</summary>
        public IReadOnlyList<FirmwareImage> List()
        {
            if (!Directory.Exists(_folder))
            {
                return Array.Empty<FirmwareImage>();
            }

            return Directory.EnumerateFiles(_folder, Prefix + "*.json")
                .Select(p => Find(Path.GetFileNameWithoutExtension(p)))
                .Where(r => r != null)
                .OrderBy(r => r.UploadedUtc)
                .ThenBy(r => r.Id, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>The record of <paramref name="id"/>, or null when the library holds no such image.</summary>
        public FirmwareImage Find(string id)
        {
            // Only ids of the form the library hands out reach the file system: no path can be named.
            if (!IsWellFormed(id) || !File.Exists(RecordPath(id)) || !File.Exists(ImagePath(id)))
            {
                return null;
            }

            try
            {
                return FirmwareImage.FromJson(JsonNode.Parse(File.ReadAllText(RecordPath(id))) as JsonObject);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or IOException or FormatException or InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>The bytes of image <paramref name="id"/>.</summary>
        /// <exception cref="FirmwareNotFoundException">The library holds no such image.</exception>
        public byte[] Read(string id)
        {
            if (Find(id) == null)
            {
                throw new FirmwareNotFoundException(id);
            }

            return File.ReadAllBytes(ImagePath(id));
        }

        /// <summary>The file an image is kept in (for tests and the doc).</summary>
        public string ImagePath(string id) => Path.Combine(_folder, id + ".bin");

        private string RecordPath(string id) => Path.Combine(_folder, id + ".json");

        private static bool IsWellFormed(string id) =>
            id != null && id.Length == Prefix.Length + 16 && id.StartsWith(Prefix, StringComparison.Ordinal)
            && id.Skip(Prefix.Length).All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
