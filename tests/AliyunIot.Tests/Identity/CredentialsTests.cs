using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Identity
{
    public class CredentialsTests
    {
        public static IEnumerable<object[]> MqttVectors => Vectors.Section("mqttSign");

        public static IEnumerable<object[]> RegistrationVectors => Vectors.Section("dynamicRegistrationSign");

        private static SignMethod Method(string name)
        {
            Assert.True(Signer.TryParse(name, out SignMethod method));
            return method;
        }

        [Theory]
        [MemberData(nameof(MqttVectors))]
        public void Every_mqtt_vector_gives_the_exact_connect_strings(int index)
        {
            var v = Vectors.Item("mqttSign", index);
            string ts = v.Str("timestamp");
            string method = v.Str("signMethod");
            Assert.Equal(v.Str("content"), MqttCredentials.DeviceSignContent(v.Str("clientId"), v.Str("deviceName"), v.Str("productKey"), ts));

            var credentials = MqttCredentials.ForDeviceSecret(v.Str("productKey"), v.Str("deviceName"), v.Str("deviceSecret"), v.Str("clientId"), Method(method), true, ts, null);

            string expectedId = v.Str("clientId") + "|securemode=2,signmethod=" + method + (ts == null ? string.Empty : ",timestamp=" + ts) + ",_ss=1,ext=1,_v=nf-aliyun-1.0|";
            Assert.Equal(expectedId, credentials.ClientIdentifier);
            Assert.Equal(v.Str("deviceName") + "&" + v.Str("productKey"), credentials.Username);
            Assert.Equal(v.Str("password"), credentials.Password);
        }

        [Fact]
        public void Seed_vector_pinned_literally_for_tls_and_tcp()
        {
            var tls = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacSha256, true, "789", null);
            Assert.Equal("12345|securemode=2,signmethod=hmacsha256,timestamp=789,_ss=1,ext=1,_v=nf-aliyun-1.0|", tls.ClientIdentifier);
            Assert.Equal("device&pk", tls.Username);
            Assert.Equal("6074A46A91B1EBB2CC4EA42790AD0E80202C9843859FC292E57C4EB19FAD9E57", tls.Password);

            var tcp = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacSha1, false, "789", null);
            Assert.Equal("12345|securemode=3,signmethod=hmacsha1,timestamp=789,_ss=1,ext=1,_v=nf-aliyun-1.0|", tcp.ClientIdentifier);
            Assert.Equal("FAFD82A3D602B37FB0FA8B7892F24A477F851A14", tcp.Password);

            var noTimestamp = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacSha1, true, null, null);
            Assert.Equal("12345|securemode=2,signmethod=hmacsha1,_ss=1,ext=1,_v=nf-aliyun-1.0|", noTimestamp.ClientIdentifier);
            Assert.Equal("3504E4DF7CE4766D30F796EE973C9CE7FC5425CB", noTimestamp.Password);

            var md5 = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacMd5, true, "789", null);
            Assert.Equal("12345|securemode=2,signmethod=hmacmd5,timestamp=789,_ss=1,ext=1,_v=nf-aliyun-1.0|", md5.ClientIdentifier);
            Assert.Equal("14B198324FE55E1D3C88F2E705E201EE", md5.Password);
        }

        [Fact]
        public void Each_clientId_form_is_signed_with_exactly_that_clientId()
        {
            // Default {pk}.{dn} (what the C SDKs and the console use): the LinkSDK-style vector.
            var dotted = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "pk.device", SignMethod.HmacSha256, true, "2524608000000", null);
            Assert.Equal("pk.device|securemode=2,signmethod=hmacsha256,timestamp=2524608000000,_ss=1,ext=1,_v=nf-aliyun-1.0|", dotted.ClientIdentifier);
            Assert.Equal("2EAB47D05EC94FAB1A34E7E9F54AEBD34A1E15770F932E05300193007E0091E9", dotted.Password);

            // A serial number (public example), a MAC-style id, and pk&dn (Node/Python form).
            var serial = MqttCredentials.ForDeviceSecret("a14Xib5kdYd", "light1983432", "oLyaKqVxtRvjH284LdhqVgVUx1UPy6zq", "SN1928339", SignMethod.HmacSha1, true, "1539421321846", null);
            Assert.Equal("SN1928339|securemode=2,signmethod=hmacsha1,timestamp=1539421321846,_ss=1,ext=1,_v=nf-aliyun-1.0|", serial.ClientIdentifier);
            Assert.Equal("B2488041F64F425016B467EE1C94959EBD592AD1", serial.Password);

            var mac = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "24:0A:C4:12:34:56", SignMethod.HmacSha256, true, "789", null);
            Assert.StartsWith("24:0A:C4:12:34:56|securemode=2,", mac.ClientIdentifier);
            // Expected passwords computed independently: printf '%s' "<content>" | openssl dgst -sha256 -hmac secret
            // (content "clientId24:0A:C4:12:34:56deviceNamedeviceproductKeypktimestamp789").
            Assert.Equal("F4EB5556054B2E4E81B1A1B15A8E4B299262568181B1DDBD1F3F5E6A932CA7CA", mac.Password);

            var ampersand = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "pk&device", SignMethod.HmacSha256, true, "789", null);
            Assert.StartsWith("pk&device|securemode=2,", ampersand.ClientIdentifier);
            // content "clientIdpk&devicedeviceNamedeviceproductKeypktimestamp789", same openssl command.
            Assert.Equal("162A4422F5B5CD7255DD43F3496BB0A31924BA04CD2CB9A3F17C3635FD7FED70", ampersand.Password);

            // Non-ASCII: the UTF-8 bytes are signed.
            var utf8 = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "设备-01", SignMethod.HmacSha256, true, "789", null);
            Assert.Equal("0CB11C9A24BFFEC857BF20015B0BD00C0F996027A2572685A4727F8644D20C43", utf8.Password);
        }

        [Theory]
        [InlineData("a|b")]
        [InlineData("a,b")]
        [InlineData("a=b")]
        [InlineData("")]
        [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
        public void Invalid_clientIds_are_refused(string clientId)
        {
            Assert.Throws<ArgumentException>(() => MqttCredentials.ForDeviceSecret("pk", "device", "secret", clientId, SignMethod.HmacSha256, true, "1", null));
        }

        [Fact]
        public void Connwl_form_uses_the_token_as_password()
        {
            var token = MqttCredentials.ForDeviceToken("pk", "device", "pk.device.abc", "tok-123");
            Assert.Equal("pk.device.abc|securemode=-2,authType=connwl,_ss=1,ext=1|", token.ClientIdentifier);
            Assert.Equal("device&pk", token.Username);
            Assert.Equal("tok-123", token.Password);
            SecretAssert.NotIn("tok-123", token.ToString(), "token.ToString()");
        }

        [Theory]
        [MemberData(nameof(RegistrationVectors))]
        public void Every_registration_vector_signs_exactly(int index)
        {
            var v = Vectors.Item("dynamicRegistrationSign", index);
            Assert.Equal(v.Str("content"), MqttCredentials.RegistrationSignContent(v.Str("deviceName"), v.Str("productKey"), v.Str("random")));
            var credentials = MqttCredentials.ForRegistration(v.Str("productKey"), v.Str("deviceName"), v.Str("productSecret"), v.Str("random"), Method(v.Str("signMethod")), false, 2, null, null);
            Assert.Equal(v.Str("sign"), credentials.Password);
            Assert.Equal("device.pk|random=" + v.Str("random") + ",authType=register,securemode=2,signmethod=" + v.Str("signMethod") + "|", credentials.ClientIdentifier);
        }

        [Fact]
        public void Registration_connect_strings_pinned_for_both_variants()
        {
            var register = MqttCredentials.ForRegistration("pk", "device", "psecret", "123456", SignMethod.HmacSha256, false, 2, null, null);
            Assert.Equal("device.pk|random=123456,authType=register,securemode=2,signmethod=hmacsha256|", register.ClientIdentifier);
            Assert.Equal("device&pk", register.Username);
            Assert.Equal("F6D44D5DA65076F7B284215C358990CABF95E1C01693140B4ACB0F6169E48B0A", register.Password);

            var regnwl = MqttCredentials.ForRegistration("pk", "device", "psecret", "123456", SignMethod.HmacSha1, true, -2, "iot-06z00abc", null);
            Assert.Equal("device.pk|random=123456,authType=regnwl,securemode=-2,signmethod=hmacsha1,instanceId=iot-06z00abc|", regnwl.ClientIdentifier);
            Assert.Equal("B096CADB8A0635A9DE7980B36CB725DA8781728B", regnwl.Password);
        }

        private sealed class RecordingHmac : IHmacSha256
        {
            public int Calls;

            public byte[] Compute(byte[] key, byte[] data)
            {
                Calls++;
                return System.Security.Cryptography.HMACSHA256.HashData(key, data);
            }
        }

        [Fact]
        public void A_supplied_native_hmac_is_used_for_hmacsha256_only_and_agrees_with_the_managed_one()
        {
            var native = new RecordingHmac();
            var a = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacSha256, true, "789", native);
            Assert.Equal(1, native.Calls);
            Assert.Equal("6074A46A91B1EBB2CC4EA42790AD0E80202C9843859FC292E57C4EB19FAD9E57", a.Password);

            MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacSha1, true, "789", native);
            Assert.Equal(1, native.Calls);
        }

        [Fact]
        public void ToString_never_contains_the_password()
        {
            var credentials = MqttCredentials.ForDeviceSecret("pk", "device", "secret", "12345", SignMethod.HmacSha256, true, "789", null);
            SecretAssert.NotIn(credentials.Password, credentials.ToString(), "credentials.ToString()");
            Assert.DoesNotContain("secret", credentials.ToString());
            Assert.Contains("12345|securemode=2", credentials.ToString());
        }
    }
}
