using AliyunIot.Config;
using AliyunIot.Esp32;
using AliyunIot.Http;
using AliyunIot.Ports;
using AliyunIot.Provisioning;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest.Hardware
{
    /// <summary>
    /// The core's HTTP client over the board's SslStream (<see cref="SslSocketOpener"/>) against the platform's real
    /// registration endpoint, with the embedded CA bundle: proves on the device what the host can only assume from the
    /// nanoFramework sources — that a read returns 0 only at the end of the connection and that the whole response
    /// (head and body) arrives. The request is deliberately invalid (unknown product), so nothing is registered.
    /// </summary>
    [TestClass]
    public class HttpsOnBoardTests
    {
        [TestMethod]
        public void Post_to_the_registration_endpoint_gets_a_whole_answer()
        {
            ILog log = new DebugLog(LogLevel.Info);
            string ca;
            DeviceConfig config = OnlineBoard.Prepare(log, false, out ca);
            if (config.RegistrationUrl == null && config.Region == null)
            {
                Assert.SkipTest("I:\\device.json names neither a region nor a registration URL.");
            }

            string url = DynamicRegistration.RegistrationUrl(config);

            HttpPostResult result = new HttpsPoster(new SslSocketOpener()).Post(url, "application/x-www-form-urlencoded",
                "productKey=a1NoSuchProd&deviceName=none&random=1&sign=00&signMethod=hmacsha256", ca, 20000);

            Assert.IsTrue(result.StatusCode >= 200, "an HTTP answer: " + result.Detail);
            Assert.IsNotNull(result.Body, "the body arrived");
            Assert.IsTrue(result.Body.Length > 0, "the body is not empty");
        }

        [TestMethod]
        public void Get_of_the_registration_host_ends_with_a_status_not_a_network_error()
        {
            ILog log = new DebugLog(LogLevel.Info);
            string ca;
            DeviceConfig config = OnlineBoard.Prepare(log, false, out ca);
            if (config.Region == null)
            {
                Assert.SkipTest("I:\\device.json names no region.");
            }

            string url = "https://iot-auth." + config.Region + ".aliyuncs.com/";

            HttpDownloadResult result = new HttpsDownloader(new SslSocketOpener(), 30000, 20000).Download(url, 0, new byte[1024], ca, new RecordingSink());

            Assert.IsTrue(result.StatusCode >= 200, "an HTTP status: " + result.Detail);
            Assert.IsTrue(result.Status == HttpDownloadStatus.Completed || result.Status == HttpDownloadStatus.HttpError, "completed or refused by HTTP: " + result.Detail);
        }

        private sealed class RecordingSink : IDownloadSink
        {
            public bool OnStart(int statusCode, long rangeStart, long contentLength)
            {
                return true;
            }

            public bool OnChunk(byte[] buffer, int count)
            {
                return true;
            }
        }
    }
}
