using AliyunIot.Cloud.Platform;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary>Creates the cloud's HTTPS image server.</summary>
    internal static class ImageServers
    {
        /// <summary>Starts an image server with a certificate from <paramref name="ca"/>.</summary>
        public static IImageServer Start(AliyunIot.TestBroker.TestCa ca) => new Unavailable();

        private sealed class Unavailable : IImageServer
        {
            public string Serve(string path, byte[] content) => throw new NotSupportedException("the HTTPS image server is not available yet");

            public void Dispose()
            {
            }
        }
    }
}
