using System.Text;
using AliyunIot.Crypto;
using AliyunIot.Ota;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The portable RSA verifier on the nanoCLR with fixed literal vectors: the committed TEST-ONLY public key
    /// (testdata/ota-signing-test-key/test-only.pem) and openssl's RSASSA-PKCS1-v1_5 SHA-256 signature of "abc"
    /// (sig-abc.hex). One verification is what the OTA agent does per image (17 modular multiplications).
    /// </summary>
    [TestClass]
    public class RsaVerifyTests
    {
        private const string TestOnlyPublicKey =
            "-----BEGIN PUBLIC KEY-----\n" +
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsYWm0p8QP6kYwOoR1D0X\n" +
            "xqPv8Qp+9/4ZUnEJ0ps5kDcLir6H8Hu7l2wDwOk1rYWprKeZ+sVofIX9lKd66oJ7\n" +
            "BnaX+OmOJSzT5D8e5RjRkHCdUzoAQzeyxsCO9Ski0/Uj7ysXhiIaX+i76Cyx33Bh\n" +
            "fmmWoMDncL+3xZmfVMsSc3Mme1jvLqBOh6nVVQlWOsl5AeDPDOQYCmph4JDdITam\n" +
            "o9yfn4TxGTvfZRIfb7l7p8D7GCDBSBTdqQv2LPsWNwM6HiUbywow0rL11XpxlUk/\n" +
            "rYMDIGoE+fdUhQMI33glEKLkhAzGF6YEOcdHwOJZP7pzeUuyw//9lRIjH5FOnXCv\n" +
            "AQIDAQAB\n" +
            "-----END PUBLIC KEY-----\n";

        private const string OpensslSignatureOfAbc =
            "8cd2aeb7216235b0213d809500de7a653e5086aeb63d650ebba65e8414601ebf0c3868bdc54f8ce489858fbebbee413075f56498991c5ee7aaf3f5dc5f55766a" +
            "993953dcbcc55473e9c62264cbe343fd908299211d344f860fd06bedf48c8cf6cc4a13267ec8180023bf4c561b759301cac76db51f02d4be0b789d2dacc10b0a" +
            "7297f42ee120c8c2c9241c6f657fea0459c9c1e844d5ebd078c6e648b115c80367d4047ec93f8fe0ffc63bdefafaacdcd2b9ff3b34c76609762160d6250c646b" +
            "e89f36304789d46242cdea445ab3be2a8e7c2dd75a42ae39d8074e9e81d35b85904d2d73cffd0593c4d006af12d031be08087930cb4bd46bf44cd910250c5402";

        [TestMethod]
        public void Openssl_signature_of_the_test_vector_verifies()
        {
            string error;
            RsaPublicKey key = RsaPublicKey.FromPem(TestOnlyPublicKey, out error);
            Assert.IsNotNull(key, "key parsed: " + error);
            Assert.AreEqual(256, key.SignatureLength, "RSA-2048");
            Assert.IsTrue(key.VerifySha256(Sha("abc"), Hex.Decode(OpensslSignatureOfAbc)), "valid signature");
        }

        [TestMethod]
        public void A_changed_message_or_signature_is_refused()
        {
            string error;
            RsaPublicKey key = RsaPublicKey.FromPem(TestOnlyPublicKey, out error);
            byte[] signature = Hex.Decode(OpensslSignatureOfAbc);
            Assert.IsFalse(key.VerifySha256(Sha("abd"), signature), "other message");
            signature[100] ^= 0x01;
            Assert.IsFalse(key.VerifySha256(Sha("abc"), signature), "flipped bit");
            Assert.IsFalse(key.VerifySha256(Sha("abc"), new byte[255]), "short signature");
        }

        private static byte[] Sha(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            Sha256 sha = new Sha256();
            sha.Append(bytes, 0, bytes.Length);
            return sha.Finish();
        }
    }
}
