using Xunit;
using System.Security.Cryptography;
using System.Text;
using AliyunIot.Crypto;
using AliyunIot.Tests.Support;

namespace AliyunIot.Tests.Identity
{
    public class CryptoTests
    {

        public static IEnumerable<object[]> DigestVectors => Vectors.Section("digests");

        private static IHash Create(string algorithm) => algorithm switch
        {
            "md5" => new Md5(),
            "sha1" => new Sha1(),
            "sha256" => new Sha256(),
            _ => throw new ArgumentException(algorithm),
        };

        private static byte[] Reference(string algorithm, byte[] data) => algorithm switch
        {
            "md5" => MD5.HashData(data),
            "sha1" => SHA1.HashData(data),
            "sha256" => SHA256.HashData(data),
            _ => throw new ArgumentException(algorithm),
        };

        private static byte[] ReferenceHmac(string algorithm, byte[] key, byte[] data) => algorithm switch
        {
            "md5" => HMACMD5.HashData(key, data),
            "sha1" => HMACSHA1.HashData(key, data),
            "sha256" => HMACSHA256.HashData(key, data),
            _ => throw new ArgumentException(algorithm),
        };

        [Theory]
        [MemberData(nameof(DigestVectors))]
        public void Digest_vectors_match_in_every_algorithm(int index)
        {
            var vector = Vectors.Item("digests", index);
            byte[] data = Vectors.DigestInput(vector.Str("name"), vector.GetProperty("length").GetInt32());
            foreach (string algorithm in new[] { "md5", "sha1", "sha256" })
            {
                IHash hash = Create(algorithm);
                hash.Append(data, 0, data.Length);
                Assert.Equal(vector.Str(algorithm), Hex.ToLower(hash.Finish()));
            }
        }

        [Theory]
        [InlineData("md5")]
        [InlineData("sha1")]
        [InlineData("sha256")]
        public void Every_chunk_size_from_1_to_129_gives_the_one_shot_digest(string algorithm)
        {
            byte[] data = new byte[1024];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 7 + 3);
            }

            byte[] expected = Reference(algorithm, data);
            IHash hash = Create(algorithm);
            for (int chunk = 1; chunk <= 129; chunk++)
            {
                for (int offset = 0; offset < data.Length; offset += chunk)
                {
                    hash.Append(data, offset, Math.Min(chunk, data.Length - offset));
                }

                Assert.True(expected.SequenceEqual(hash.Finish()), algorithm + " differs with chunk size " + chunk);
            }
        }

        [Theory]
        [InlineData("md5")]
        [InlineData("sha1")]
        [InlineData("sha256")]
        public void Random_data_of_every_length_around_the_padding_boundaries_matches_dotnet(string algorithm)
        {
            var random = new Random(1234);
            IHash hash = Create(algorithm);
            var lengths = Enumerable.Range(0, 200).Concat(new[] { 1000, 4095, 4096, 4097, 65537 });
            foreach (int length in lengths)
            {
                byte[] data = new byte[length];
                random.NextBytes(data);
                hash.Append(data, 0, data.Length);
                Assert.True(Reference(algorithm, data).SequenceEqual(hash.Finish()), algorithm + " differs at length " + length);
            }
        }

        [Fact]
        public void Finish_into_a_caller_buffer_writes_at_the_offset_and_resets()
        {
            var hash = new Sha256();
            byte[] output = new byte[40];
            hash.Append("hello"u8.ToArray(), 0, 5);
            hash.Finish(output, 8);
            Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Hex.Encode(output, 8, 32, false));
            Assert.All(output.Take(8), b => Assert.Equal(0, b));

            // Finish resets: the next message starts from scratch.
            Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex.ToLower(hash.Finish()));
            Assert.Throws<ArgumentException>(() => hash.Finish(new byte[31], 0));
            Assert.Throws<ArgumentException>(() => hash.Append(new byte[4], 2, 3));
        }

        [Fact]
        public void Reset_discards_what_was_appended()
        {
            var hash = new Md5();
            hash.Append(new byte[100], 0, 100);
            hash.Reset();
            hash.Append("hello"u8.ToArray(), 0, 5);
            Assert.Equal("5d41402abc4b2a76b9719d911017c592", Hex.ToLower(hash.Finish()));
        }

        [Theory]
        [InlineData("md5")]
        [InlineData("sha1")]
        [InlineData("sha256")]
        public void Hmac_matches_dotnet_for_random_keys_of_every_size_including_longer_than_a_block(string algorithm)
        {
            var random = new Random(99);
            foreach (int keyLength in new[] { 0, 1, 16, 63, 64, 65, 100, 200 })
            {
                byte[] key = new byte[keyLength];
                random.NextBytes(key);
                byte[] data = new byte[random.Next(0, 3000)];
                random.NextBytes(data);

                var hmac = new Hmac(Create(algorithm), key);
                // Feed in uneven pieces to exercise the incremental path.
                int offset = 0;
                while (offset < data.Length)
                {
                    int n = Math.Min(random.Next(1, 150), data.Length - offset);
                    hmac.Append(data, offset, n);
                    offset += n;
                }

                Assert.True(ReferenceHmac(algorithm, key, data).SequenceEqual(hmac.Finish()), algorithm + " key " + keyLength);

                // Reusable after Finish without re-keying.
                Assert.True(ReferenceHmac(algorithm, key, data).SequenceEqual(Hmac.Compute(Create(algorithm), key, data)));
                hmac.Append(data, 0, data.Length);
                Assert.True(ReferenceHmac(algorithm, key, data).SequenceEqual(hmac.Finish()));
            }
        }

        [Fact]
        public void Managed_hmac_sha256_agrees_with_the_native_shape()
        {
            byte[] key = Encoding.UTF8.GetBytes("secret");
            byte[] data = Encoding.UTF8.GetBytes("clientId12345deviceNamedeviceproductKeypktimestamp789");
            byte[] keyCopy = (byte[])key.Clone();
            Assert.Equal("6074A46A91B1EBB2CC4EA42790AD0E80202C9843859FC292E57C4EB19FAD9E57", Hex.ToUpper(new ManagedHmacSha256().Compute(key, data)));
            Assert.Equal(keyCopy, key); // the caller's key is left untouched
        }

        [Fact]
        public void Hex_encodes_both_cases_and_decodes_either()
        {
            byte[] bytes = { 0x00, 0x0f, 0xa5, 0xff };
            Assert.Equal("000FA5FF", Hex.ToUpper(bytes));
            Assert.Equal("000fa5ff", Hex.ToLower(bytes));
            Assert.Equal(bytes, Hex.Decode("000fA5Ff"));
            Assert.Equal("0FA5", Hex.Encode(bytes, 1, 2, true));
            Assert.Throws<ArgumentException>(() => Hex.Decode("abc"));
            Assert.Throws<ArgumentException>(() => Hex.Decode("zz"));
            Assert.True(Hex.IsHex("00aF"));
            Assert.False(Hex.IsHex("0g"));
            Assert.False(Hex.IsHex(""));
        }

        [Fact]
        public void Digest_comparison_ignores_case_and_rejects_any_difference()
        {
            byte[] digest = Convert.FromHexString("5d41402abc4b2a76b9719d911017c592");
            Assert.True(Hex.DigestEquals(digest, "5D41402ABC4B2A76B9719D911017C592"));
            Assert.True(Hex.DigestEquals(digest, "5d41402abc4b2a76b9719d911017c592"));
            Assert.False(Hex.DigestEquals(digest, "5d41402abc4b2a76b9719d911017c593"));
            Assert.False(Hex.DigestEquals(digest, "5d41402abc4b2a76b9719d911017c59"));
            Assert.False(Hex.DigestEquals(digest, "5d41402abc4b2a76b9719d911017c5g2"));
            Assert.False(Hex.DigestEquals(digest, null));
            Assert.True(Hex.EqualsIgnoreCase("abCD", "ABcd"));
            Assert.False(Hex.EqualsIgnoreCase("abCD", "ABce"));
            Assert.True(Hex.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 2 }));
            Assert.False(Hex.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 3 }));
            Assert.False(Hex.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1 }));
        }
    }
}
