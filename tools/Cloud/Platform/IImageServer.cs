namespace AliyunIot.Cloud.Platform
{
    /// <summary>Serves OTA images over HTTPS (with Range) for the cloud's jobs.</summary>
    public interface IImageServer : IDisposable
    {
        /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> and returns its https:// URL.</summary>
        string Serve(string path, byte[] content);
    }
}
