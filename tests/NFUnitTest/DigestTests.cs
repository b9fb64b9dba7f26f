using System.Text;
using AliyunIot.Crypto;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The core's managed MD5, SHA-1 and SHA-256 on the nanoCLR: the digest vectors of testdata/aliyun-vectors.json
    /// ("digests": empty, hello, bytes-0-255, 1024-i-and-255), fed at once and in chunks of awkward sizes.
    /// The 1 MiB vector runs on the host only: managed hashing of 1 MiB takes minutes on the interpreter.
    /// </summary>
    [TestClass]
    public class DigestTests
    {
        private const string EmptyMd5 = "d41d8cd98f00b204e9800998ecf8427e";
        private const string EmptySha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        private const string HelloMd5 = "5d41402abc4b2a76b9719d911017c592";
        private const string HelloSha1 = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d";
        private const string HelloSha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        private const string Bytes256Md5 = "e2c865db4162bed963bfaa9ef6ac18f0";
        private const string Bytes256Sha1 = "4916d6bdb7f78e6803698cab32d1586ea457dfc8";
        private const string Bytes256Sha256 = "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880";
        private const string Bytes1024Md5 = "b2ea9f7fcea831a4a63b213f41a8855b";
        private const string Bytes1024Sha1 = "5b00669c480d5cffbdfa8bdba99561160f2d1b77";
        private const string Bytes1024Sha256 = "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9";

        [TestMethod]
        public void Empty_input_gives_the_published_digests()
        {
            byte[] empty = new byte[0];
            Assert.AreEqual(EmptyMd5, Digest(new Md5(), empty, 0), "md5");
            Assert.AreEqual(EmptySha1, Digest(new Sha1(), empty, 0), "sha1");
            Assert.AreEqual(EmptySha256, Digest(new Sha256(), empty, 0), "sha256");
        }

        [TestMethod]
        public void Hello_gives_the_published_digests()
        {
            byte[] hello = Encoding.UTF8.GetBytes("hello");
            Assert.AreEqual(HelloMd5, Digest(new Md5(), hello, 0), "md5");
            Assert.AreEqual(HelloSha1, Digest(new Sha1(), hello, 0), "sha1");
            Assert.AreEqual(HelloSha256, Digest(new Sha256(), hello, 0), "sha256");
        }

        [TestMethod]
        public void Bytes_0_to_255_give_the_vector_digests()
        {
            byte[] data = Counting(256);
            Assert.AreEqual(Bytes256Md5, Digest(new Md5(), data, 0), "md5");
            Assert.AreEqual(Bytes256Sha1, Digest(new Sha1(), data, 0), "sha1");
            Assert.AreEqual(Bytes256Sha256, Digest(new Sha256(), data, 0), "sha256");
        }

        [TestMethod]
        public void Chunked_input_of_awkward_sizes_gives_the_same_vector_digests()
        {
            // Sizes around the 64-byte block and the 56-byte padding boundary, as an OTA download delivers them.
            int[] chunkSizes = new int[] { 1, 3, 7, 55, 56, 63, 64, 65, 100, 1000, 1024 };
            byte[] data = Counting(1024);
            for (int i = 0; i < chunkSizes.Length; i++)
            {
                string size = chunkSizes[i].ToString();
                Assert.AreEqual(Bytes1024Md5, Digest(new Md5(), data, chunkSizes[i]), "md5, chunks of " + size);
                Assert.AreEqual(Bytes1024Sha1, Digest(new Sha1(), data, chunkSizes[i]), "sha1, chunks of " + size);
                Assert.AreEqual(Bytes1024Sha256, Digest(new Sha256(), data, chunkSizes[i]), "sha256, chunks of " + size);
            }
        }

        [TestMethod]
        public void Finish_resets_so_one_instance_hashes_message_after_message()
        {
            IHash sha = new Sha256();
            byte[] hello = Encoding.UTF8.GetBytes("hello");
            Assert.AreEqual(HelloSha256, Digest(sha, hello, 0), "first message");
            Assert.AreEqual(HelloSha256, Digest(sha, hello, 0), "second message on the same instance");
            Assert.AreEqual(EmptySha256, Digest(sha, new byte[0], 0), "then an empty one");
        }

        [TestMethod]
        public void Reset_forgets_what_was_appended()
        {
            IHash md5 = new Md5();
            byte[] junk = Counting(100);
            md5.Append(junk, 0, junk.Length);
            md5.Reset();
            Assert.AreEqual(HelloMd5, Digest(md5, Encoding.UTF8.GetBytes("hello"), 0), "after Reset");
        }

        // Bytes i & 0xFF, the vector file's "bytes-0-255" and "1024-i-and-255" inputs.
        internal static byte[] Counting(int length)
        {
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++)
            {
                data[i] = (byte)(i & 0xFF);
            }

            return data;
        }

        // Hex of the digest, data fed in chunks of chunkSize (0 = at once).
        private static string Digest(IHash hash, byte[] data, int chunkSize)
        {
            if (chunkSize <= 0)
            {
                hash.Append(data, 0, data.Length);
            }
            else
            {
                for (int offset = 0; offset < data.Length; offset += chunkSize)
                {
                    int count = data.Length - offset < chunkSize ? data.Length - offset : chunkSize;
                    hash.Append(data, offset, count);
                }
            }

            return Hex.ToLower(hash.Finish());
        }
    }
}
