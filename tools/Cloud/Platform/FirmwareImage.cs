using System.Globalization;
using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>One uploaded image as the library lists it.</summary>
    /// <param name="Id">The cloud's name for it.</param>
    /// <param name="Version">The version a job pushing it announces.</param>
    /// <param name="Size">Bytes.</param>
    /// <param name="Sha256">Lower-case hex SHA-256 of the bytes.</param>
    /// <param name="UploadedUtc">When it was uploaded.</param>
    public sealed record FirmwareImage(string Id, string Version, long Size, string Sha256, DateTime UploadedUtc)
    {
        /// <summary>The record as the control API shows it.</summary>
        public JsonObject ToJson() => new JsonObject
        {
            ["id"] = Id,
            ["version"] = Version,
            ["size"] = Size,
            ["sha256"] = Sha256,
            ["uploadedUtc"] = UploadedUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };

        /// <summary>Reads a record written by <see cref="ToJson"/>.</summary>
        public static FirmwareImage FromJson(JsonObject json) => new FirmwareImage(
            (string)json["id"],
            (string)json["version"],
            (long)json["size"],
            (string)json["sha256"],
            DateTime.ParseExact((string)json["uploadedUtc"], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
    }
}
