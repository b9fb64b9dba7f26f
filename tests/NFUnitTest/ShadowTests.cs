using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.DeviceInfo;
using AliyunIot.Shadow;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>The shadow and tag components on the device's runtime: exact bytes, versions, refusals.</summary>
    [TestClass]
    public class ShadowTests
    {
        private const string Get = "/shadow/get/a1B2c3D4e5F/dev1";

        [TestMethod]
        public void Shadow_requests_have_the_sdks_exact_bytes_and_versions()
        {
            RecordingPublisher publisher = new RecordingPublisher();
            DeviceShadow shadow = new DeviceShadow(new DeviceTopics("a1B2c3D4e5F", "dev1"), publisher, new SilentLog(), 1024, 9);
            Hashtable reported = new Hashtable();
            reported["temp"] = 21.5;
            reported["mode"] = "eco";
            shadow.Get();
            shadow.UpdateReported(reported);
            shadow.DeleteReported(new string[] { "mode" });
            shadow.ClearDesired();

            Assert.AreEqual("/shadow/update/a1B2c3D4e5F/dev1", publisher.Topic(0), "update topic");
            Assert.AreEqual("{\"method\":\"get\"}", publisher.Text(0), "get");
            Assert.AreEqual(0, publisher.Qos(0), "get at QoS 0");
            Assert.AreEqual("{\"method\":\"update\",\"state\":{\"reported\":{\"mode\":\"eco\",\"temp\":21.5}},\"version\":10}", publisher.Text(1), "update");
            Assert.AreEqual(1, publisher.Qos(1), "update at QoS 1");
            Assert.AreEqual("{\"method\":\"delete\",\"state\":{\"reported\":{\"mode\":\"null\"}},\"version\":11}", publisher.Text(2), "delete");
            Assert.AreEqual("{\"method\":\"update\",\"state\":{\"desired\":\"null\"},\"version\":12}", publisher.Text(3), "clear desired");
        }

        [TestMethod]
        public void A_newer_desired_state_is_applied_and_a_stale_one_refused()
        {
            RecordingPublisher publisher = new RecordingPublisher();
            SilentLog log = new SilentLog();
            DeviceShadow shadow = new DeviceShadow(new DeviceTopics("a1B2c3D4e5F", "dev1"), publisher, log, 1024, 4);
            string seen = null;
            shadow.DesiredReceived = (desired, version) =>
            {
                seen = version.ToString() + ":" + (string)desired["mode"];
                return desired;
            };

            shadow.Handle(Get, Encoding.UTF8.GetBytes("{\"method\":\"control\",\"payload\":{\"status\":\"success\",\"state\":{\"desired\":{\"mode\":\"away\"}}},\"version\":4,\"timestamp\":1}"));
            Assert.IsNull(seen, "version 4 is not newer than 4");
            Assert.AreEqual(1, shadow.StaleRefused, "counted");
            Assert.Contains("409", log.Last, "the platform's version conflict");
            Assert.AreEqual(0, publisher.Count, "nothing sent for a stale state");

            shadow.Handle(Get, Encoding.UTF8.GetBytes("{\"method\":\"control\",\"payload\":{\"status\":\"success\",\"state\":{\"desired\":{\"mode\":\"eco\"}}},\"version\":6,\"timestamp\":1}"));
            Assert.AreEqual("6:eco", seen, "applied");
            Assert.AreEqual("{\"method\":\"update\",\"state\":{\"reported\":{\"mode\":\"eco\"}},\"version\":7}", publisher.Text(0), "reported");
            Assert.AreEqual("{\"method\":\"update\",\"state\":{\"desired\":\"null\"},\"version\":8}", publisher.Text(1), "desired cleared");

            shadow.Handle(Get, Encoding.UTF8.GetBytes("{\"method\":\"control\",\"payload\":{\"state\":{\"desired\":[1]}},\"version\":9}"));
            Assert.AreEqual(1, shadow.MalformedRefused, "a desired state that is not an object");
            Assert.AreEqual((long)6, shadow.Version, "version unchanged by the malformed push");
        }

        [TestMethod]
        public void Tags_have_the_platform_shape_and_bad_keys_never_leave_the_device()
        {
            RecordingPublisher publisher = new RecordingPublisher();
            DeviceTags tags = new DeviceTags(new DeviceTopics("a1B2c3D4e5F", "dev1"), publisher, new AlinkIds(), new StepClock(), new SilentLog(), 1024, 5000);

            Assert.IsNull(tags.Update(new string[] { "model" }, new string[] { "ESP32" }), "valid tag");
            Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"params\":[{\"attrKey\":\"model\",\"attrValue\":\"ESP32\"}],\"method\":\"thing.deviceinfo.update\"}", publisher.Text(0), "update bytes");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/deviceinfo/update", publisher.Topic(0), "update topic");

            Assert.Contains("must not start with a digit", tags.Update(new string[] { "1st" }, new string[] { "x" }), "digit first");
            Assert.Contains("only letters, digits and _", tags.Delete(new string[] { "a.b" }), "dot");
            Assert.Contains("the platform takes 2 to 32", tags.Delete(new string[] { "k" }), "too short");
            Assert.AreEqual(1, publisher.Count, "refused tags are not sent");
        }
    }
}
