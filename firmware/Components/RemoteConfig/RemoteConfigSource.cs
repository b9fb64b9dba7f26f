namespace AliyunIot.RemoteConfig
{
    /// <summary>Where a config handed to the application came from.</summary>
    public enum RemoteConfigSource
    {
        /// <summary>The last good config, read back from flash at boot.</summary>
        Stored = 0,
        /// <summary>Fetched after this device asked (<c>thing.config.get</c>).</summary>
        Fetched = 1,
        /// <summary>Pushed by the platform (<c>thing.config.push</c>).</summary>
        Pushed = 2,
    }
}
