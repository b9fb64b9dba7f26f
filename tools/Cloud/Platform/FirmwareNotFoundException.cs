namespace AliyunIot.Cloud.Platform
{
    /// <summary>An OTA job or a read named a firmware id the cloud's library does not hold.</summary>
    public sealed class FirmwareNotFoundException : KeyNotFoundException
    {
        /// <summary>
        /// The error code the control API answers with (HTTP 404), in the style of the platform's OpenAPI codes
        /// (<c>iot.ota.*</c>); the exact code the platform uses for this case is not published in the pages we follow.
        /// </summary>
        public const string Code = "iot.ota.FirmwareNotExist";

        /// <summary>A refusal naming <paramref name="id"/>.</summary>
        public FirmwareNotFoundException(string id)
            : base($"no uploaded firmware has the id '{id}' (list them with GET /firmware or `cloud firmware list`)")
        {
            Id = id;
        }

        /// <summary>The id asked for.</summary>
        public string Id { get; }
    }
}
