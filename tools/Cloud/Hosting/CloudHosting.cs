using AliyunIot.Cloud.Platform;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary>Starts the local cloud with the real pieces: TestBroker, HttpsTestServer, libmosquitto client.</summary>
    public static class CloudHosting
    {
        /// <summary>Starts a broker, an HTTPS image server and the cloud on <paramref name="stateDirectory"/>.</summary>
        public static LocalCloud Start(string stateDirectory, ILog log)
        {
            throw new NotImplementedException("waiting for TestBroker");
        }
    }
}
