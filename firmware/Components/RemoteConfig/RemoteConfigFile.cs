using OtaPartition;

namespace AliyunIot.RemoteConfig
{
    /// <summary>A verified config file on the device's flash (the candidate being applied, or the stored one).</summary>
    public sealed class RemoteConfigFile
    {
        private readonly IFlashStorage _storage;
        private readonly string _name;

        internal RemoteConfigFile(IFlashStorage storage, string name, string configId, long size, string sign, RemoteConfigSource source)
        {
            _storage = storage;
            _name = name;
            ConfigId = configId;
            Size = size;
            Sign = sign;
            Source = source;
        }

        /// <summary>The platform's config id.</summary>
        public string ConfigId { get; private set; }

        /// <summary>Size in bytes (checked against the download).</summary>
        public long Size { get; private set; }

        /// <summary>SHA-256 of the content, lower-case hex (checked).</summary>
        public string Sign { get; private set; }

        /// <summary>Stored at boot, fetched on request, or pushed.</summary>
        public RemoteConfigSource Source { get; private set; }

        /// <summary>Opens the file for reading (dispose it); for configs too large to hold in memory at once.</summary>
        public IFlashFile OpenRead()
        {
            return _storage.OpenRead(_name);
        }

        /// <summary>The whole content (one array of <see cref="Size"/> bytes), or null when it cannot be read whole.</summary>
        public byte[] ReadAll()
        {
            return FlashFiles.ReadAll(_storage, _name, Size);
        }
    }
}
