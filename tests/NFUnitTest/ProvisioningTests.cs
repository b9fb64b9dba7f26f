using AliyunIot.Config;
using AliyunIot.Ports;
using AliyunIot.Provisioning;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// Dynamic registration (the AliyunIot.Provisioning assembly) on the nanoCLR, over HTTPS with a scripted poster:
    /// the issued secret is written to the store and read back before use, the product secret leaves the stored
    /// document, a second boot sends nothing, and a refusal leaves the stored config as it was.
    /// </summary>
    [TestClass]
    public class ProvisioningTests
    {
        private const string ProductSecret = "PsQ7productSecret42";
        private const string IssuedSecret = "Ds9issuedDeviceSecret77";
        private const string Url = "https://registration.local/auth/register/device";
        private const string Document = "{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"light-01\",\"productSecret\":\"" + ProductSecret
            + "\",\"registration\":\"https\",\"registrationUrl\":\"" + Url + "\",\"endpoint\":{\"host\":\"127.0.0.1\"}}";

        [TestMethod]
        public void Https_registration_persists_the_issued_secret_and_a_second_boot_sends_nothing()
        {
            var store = new MemoryConfigStore(Document);
            var poster = new ScriptedPoster(200, "{\"code\":200,\"data\":{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"light-01\",\"deviceSecret\":\"" + IssuedSecret + "\"},\"message\":\"success\"}");
            DynamicRegistration registrar = new DynamicRegistration(store, new EdgeRandom(false), new StepClock(), new SilentLog(), poster, null, null);

            RegistrationResult result = registrar.EnsureRegistered(new DeviceConfigParser(null).Parse(store.Read()), null);

            Assert.IsTrue(result.Outcome == RegistrationOutcome.Registered, "registered: " + result.Detail);
            Assert.AreEqual(IssuedSecret, result.Config.DeviceSecret, "the config in use is the one read back");
            Assert.AreEqual(1, poster.Requests, "one request");
            Assert.AreEqual(Url, poster.LastUrl, "the configured registration URL");
            Assert.IsTrue(poster.LastBody.StartsWith("productKey=a1B2c3D4e5F&deviceName=light-01&random=AAAAAAAAAAAAAAA&sign="), "form body: " + poster.LastBody);
            Assert.IsTrue(store.Read().IndexOf(IssuedSecret) >= 0, "the issued secret is stored");
            Assert.IsTrue(store.Read().IndexOf(ProductSecret) < 0, "the product secret left the stored document");

            RegistrationResult again = registrar.EnsureRegistered(new DeviceConfigParser(null).Parse(store.Read()), null);
            Assert.IsTrue(again.Outcome == RegistrationOutcome.AlreadyProvisioned, "second boot: " + again.Detail);
            Assert.AreEqual(1, poster.Requests, "nothing sent on the second boot");
        }

        [TestMethod]
        public void A_refused_registration_names_the_code_and_keeps_the_stored_config()
        {
            var store = new MemoryConfigStore(Document);
            var poster = new ScriptedPoster(200, "{\"code\":6288,\"message\":\"device already registered\"}");
            DynamicRegistration registrar = new DynamicRegistration(store, new EdgeRandom(false), new StepClock(), new SilentLog(), poster, null, null);

            RegistrationResult result = registrar.EnsureRegistered(new DeviceConfigParser(null).Parse(store.Read()), null);

            Assert.IsTrue(result.Outcome == RegistrationOutcome.Refused, "refused: " + result.Detail);
            Assert.AreEqual(6288, result.Code, "the platform's code");
            Assert.IsFalse(result.Succeeded, "not usable");
            Assert.AreEqual(Document, store.Read(), "the stored config is unchanged");
        }

        private sealed class MemoryConfigStore : IConfigStore
        {
            private string _text;

            public MemoryConfigStore(string text)
            {
                _text = text;
            }

            public string Read()
            {
                return _text;
            }

            public void Write(string json)
            {
                _text = json;
            }
        }

        private sealed class ScriptedPoster : IHttpPoster
        {
            private readonly int _status;
            private readonly string _body;

            public ScriptedPoster(int status, string body)
            {
                _status = status;
                _body = body;
            }

            public int Requests { get; private set; }

            public string LastUrl { get; private set; }

            public string LastBody { get; private set; }

            public HttpPostResult Post(string url, string contentType, string body, string caCertificatesPem, int timeoutMs)
            {
                Requests++;
                LastUrl = url;
                LastBody = body;
                return new HttpPostResult(_status, _body, "scripted");
            }
        }
    }
}
