using AliyunIot.Cloud.Platform;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary>Creates the cloud's HTTPS image server.</summary>
    internal static class ImageServers
    {
        /// <summary>Starts the project's HttpsTestServer with a certificate for localhost/127.0.0.1 from <paramref name="ca"/>.</summary>
        public static IImageServer Start(AliyunIot.TestBroker.TestCa ca) => new HttpsImageServer(ca);
    }
}
