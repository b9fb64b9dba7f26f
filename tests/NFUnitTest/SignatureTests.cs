using System.Text;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// MQTT passwords and dynamic-registration signatures with the MANAGED HMAC on the nanoCLR: the vectors of
    /// testdata/aliyun-vectors.json ("mqttSign", "dynamicRegistrationSign") and the exact CONNECT strings the host
    /// tests pin. (Native HMACSHA256 is compared with these on real hardware: NFUnitTest.Hardware.)
    /// </summary>
    [TestClass]
    public class SignatureTests
    {
        private const string SeedContent = "clientId12345deviceNamedeviceproductKeypktimestamp789";
        private const string RegistrationContent = "deviceNamedeviceproductKeypkrandom8Ygb7ULYh53B6OA";
        private const string RegistrationContent2 = "deviceNamedeviceproductKeypkrandom123456";

        [TestMethod]
        public void Rfc4231_case_2_with_the_managed_hmac()
        {
            byte[] mac = new ManagedHmacSha256().Compute(Encoding.UTF8.GetBytes("Jefe"), Encoding.UTF8.GetBytes("what do ya want for nothing?"));
            Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Hex.ToLower(mac), "RFC 4231 test case 2");
        }

        [TestMethod]
        public void Mqtt_sign_vectors_in_every_sign_method()
        {
            IHmacSha256 hmac = new ManagedHmacSha256();
            Assert.AreEqual("FAFD82A3D602B37FB0FA8B7892F24A477F851A14", Signer.Sign(SignMethod.HmacSha1, "secret", SeedContent, hmac), "seed-hmacsha1");
            Assert.AreEqual("6074A46A91B1EBB2CC4EA42790AD0E80202C9843859FC292E57C4EB19FAD9E57", Signer.Sign(SignMethod.HmacSha256, "secret", SeedContent, hmac), "seed-hmacsha256");
            Assert.AreEqual("14B198324FE55E1D3C88F2E705E201EE", Signer.Sign(SignMethod.HmacMd5, "secret", SeedContent, hmac), "seed-hmacmd5");
            Assert.AreEqual("3504E4DF7CE4766D30F796EE973C9CE7FC5425CB", Signer.Sign(SignMethod.HmacSha1, "secret", "clientId12345deviceNamedeviceproductKeypk", hmac), "seed-no-timestamp");
            Assert.AreEqual(
                "B2488041F64F425016B467EE1C94959EBD592AD1",
                Signer.Sign(SignMethod.HmacSha1, "oLyaKqVxtRvjH284LdhqVgVUx1UPy6zq", "clientIdSN1928339deviceNamelight1983432productKeya14Xib5kdYdtimestamp1539421321846", hmac),
                "public-example");
        }

        [TestMethod]
        public void Dynamic_registration_sign_vectors()
        {
            IHmacSha256 hmac = new ManagedHmacSha256();
            Assert.AreEqual("E45E5A61C5FA21EA74358D453BF4230C328AFFE0CB892DF591364ECA5E65E3EC", Signer.Sign(SignMethod.HmacSha256, "psecret", RegistrationContent, hmac), "sha256");
            Assert.AreEqual("A886B8C2E76520B7A42C776B17824916AD1FC3CA", Signer.Sign(SignMethod.HmacSha1, "psecret", RegistrationContent, hmac), "sha1");
            Assert.AreEqual("063AD01814F2ABAF9F6324443A0EAA22", Signer.Sign(SignMethod.HmacMd5, "psecret", RegistrationContent, hmac), "md5");
            Assert.AreEqual("F6D44D5DA65076F7B284215C358990CABF95E1C01693140B4ACB0F6169E48B0A", Signer.Sign(SignMethod.HmacSha256, "psecret", RegistrationContent2, hmac), "sha256, random 123456");
            Assert.AreEqual("B096CADB8A0635A9DE7980B36CB725DA8781728B", Signer.Sign(SignMethod.HmacSha1, "psecret", RegistrationContent2, hmac), "sha1, random 123456");
            Assert.AreEqual("C0FDC658573F7529C37E14081D7F7ECB", Signer.Sign(SignMethod.HmacMd5, "psecret", RegistrationContent2, hmac), "md5, random 123456");
        }

        [TestMethod]
        public void Sign_content_is_built_in_the_platform_order()
        {
            Assert.AreEqual(SeedContent, MqttCredentials.DeviceSignContent("12345", "device", "pk", "789"), "device sign content");
            Assert.AreEqual(RegistrationContent2, MqttCredentials.RegistrationSignContent("device", "pk", "123456"), "registration sign content");
        }

        [TestMethod]
        public void Connect_strings_are_exact_for_tls_and_tcp()
        {
            IHmacSha256 hmac = new ManagedHmacSha256();
            MqttCredentials tls = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacSha256, true, "789", hmac);
            Assert.AreEqual("12345|securemode=2,signmethod=hmacsha256,timestamp=789,_ss=1,ext=1,_v=nf-aliyun-1.0|", tls.ClientIdentifier, "TLS client identifier");
            Assert.AreEqual("device&pk", tls.Username, "username");
            Assert.AreEqual("6074A46A91B1EBB2CC4EA42790AD0E80202C9843859FC292E57C4EB19FAD9E57", tls.Password, "password");

            MqttCredentials tcp = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacSha1, false, "789", hmac);
            Assert.AreEqual("12345|securemode=3,signmethod=hmacsha1,timestamp=789,_ss=1,ext=1,_v=nf-aliyun-1.0|", tcp.ClientIdentifier, "TCP client identifier");
            Assert.AreEqual("FAFD82A3D602B37FB0FA8B7892F24A477F851A14", tcp.Password, "TCP password");
        }

        [TestMethod]
        public void Non_ascii_client_id_signs_its_utf8_bytes()
        {
            MqttCredentials utf8 = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "设备-01", SignMethod.HmacSha256, true, "789", new ManagedHmacSha256());
            Assert.AreEqual("0CB11C9A24BFFEC857BF20015B0BD00C0F996027A2572685A4727F8644D20C43", utf8.Password, "UTF-8 client id");
        }

        [TestMethod]
        public void The_secret_never_appears_in_ToString()
        {
            MqttCredentials credentials = MqttCredentials.ForDeviceSecret("pk", "device", "oLyaKqVxtRvjH284LdhqVgVUx1UPy6zq", "12345", SignMethod.HmacSha256, true, "789", new ManagedHmacSha256());
            string text = credentials.ToString();
            Assert.DoesNotContains("oLyaKqVxtRvjH284LdhqVgVUx1UPy6zq", text, "secret");
            Assert.DoesNotContains(credentials.Password, text, "password");
        }
    }
}
