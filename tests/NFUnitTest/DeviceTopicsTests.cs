using AliyunIot.Alink;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>Every topic of a device is built from its own ProductKey and DeviceName (aliyun-protocol.md §3, §4).</summary>
    [TestClass]
    public class DeviceTopicsTests
    {
        [TestMethod]
        public void Thing_model_topics()
        {
            DeviceTopics topics = new DeviceTopics("a1B2c3", "dev-01");
            Assert.AreEqual("/sys/a1B2c3/dev-01/thing/event/property/post", topics.PropertyPost, "post");
            Assert.AreEqual("/sys/a1B2c3/dev-01/thing/event/property/post_reply", topics.PropertyPostReply, "post reply");
            Assert.AreEqual("/sys/a1B2c3/dev-01/thing/service/property/set", topics.PropertySet, "set");
            Assert.AreEqual("/sys/a1B2c3/dev-01/thing/service/property/set_reply", topics.PropertySetReply, "set reply");
            Assert.AreEqual("/sys/a1B2c3/dev-01/thing/service/+", topics.ServiceFilter, "services");
            Assert.AreEqual("/sys/a1B2c3/dev-01/rrpc/request/+", topics.RrpcRequestFilter, "rrpc");
        }

        [TestMethod]
        public void Ota_and_ntp_topics()
        {
            DeviceTopics topics = new DeviceTopics("a1B2c3", "dev-01");
            Assert.AreEqual("/ota/device/inform/a1B2c3/dev-01", topics.OtaInform, "inform");
            Assert.AreEqual("/ota/device/upgrade/a1B2c3/dev-01", topics.OtaUpgrade, "upgrade");
            Assert.AreEqual("/ota/device/progress/a1B2c3/dev-01", topics.OtaProgress, "progress");
            Assert.AreEqual("/sys/a1B2c3/dev-01/thing/ota/firmware/get", topics.OtaFirmwareGet, "firmware get");
            Assert.AreEqual("/ext/ntp/a1B2c3/dev-01/request", topics.NtpRequest, "ntp request");
            Assert.AreEqual("/ext/ntp/a1B2c3/dev-01/response", topics.NtpResponse, "ntp response");
        }
    }
}
