using System;
using System.Text;
using AliyunIot.Crypto;
using AliyunIot.Esp32;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest.Hardware
{
    /// <summary>The firmware's native HMAC-SHA256 gives the same bytes as the core's managed one and leaves the key alone.</summary>
    [TestClass]
    public class NativeHmacTests
    {
        [TestMethod]
        public void Native_equals_managed_for_the_mqtt_sign_vector()
        {
            HardwareGuard.RequireEsp32();
            byte[] key = Encoding.UTF8.GetBytes("secret");
            byte[] data = Encoding.UTF8.GetBytes("clientId12345deviceNamedeviceproductKeypktimestamp789");
            Assert.AreEqual("6074A46A91B1EBB2CC4EA42790AD0E80202C9843859FC292E57C4EB19FAD9E57", Hex.ToUpper(new NativeHmacSha256().Compute(key, data)), "vector seed-hmacsha256");
        }

        [TestMethod]
        public void Native_equals_managed_for_every_key_length_around_the_block_size()
        {
            HardwareGuard.RequireEsp32();
            IHmacSha256 native = new NativeHmacSha256();
            IHmacSha256 managed = new ManagedHmacSha256();
            byte[] data = Encoding.UTF8.GetBytes("deviceNamedeviceproductKeypkrandom123456");

            // Keys longer than the 64-byte block are hashed first: both sides of that boundary matter.
            for (int length = 0; length <= 131; length += (length < 60 || length > 70 ? 13 : 1))
            {
                byte[] key = new byte[length];
                for (int i = 0; i < length; i++)
                {
                    key[i] = (byte)((i * 31) + length);
                }

                Assert.AreEqual(Hex.ToLower(managed.Compute(key, data)), Hex.ToLower(native.Compute(key, data)), "key length " + length.ToString());
            }
        }

        [TestMethod]
        public void The_key_array_is_not_wiped_by_the_native_class()
        {
            HardwareGuard.RequireEsp32();
            byte[] key = Encoding.UTF8.GetBytes("oLyaKqVxtRvjH284LdhqVgVUx1UPy6zq");
            byte[] before = (byte[])key.Clone();
            new NativeHmacSha256().Compute(key, Encoding.UTF8.GetBytes("x"));
            CollectionAssert.AreEqual(before, key, "HMACSHA256.Dispose zeroes its key: the adapter must pass a copy");
        }

        [TestMethod]
        public void Signer_with_the_native_hmac_gives_the_vector_password()
        {
            HardwareGuard.RequireEsp32();
            Assert.AreEqual(
                "E45E5A61C5FA21EA74358D453BF4230C328AFFE0CB892DF591364ECA5E65E3EC",
                Signer.Sign(SignMethod.HmacSha256, "psecret", "deviceNamedeviceproductKeypkrandom8Ygb7ULYh53B6OA", new NativeHmacSha256()),
                "dynamic registration vector");
        }
    }
}
