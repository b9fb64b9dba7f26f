using System;
using System.Text;

namespace AliyunIot.Crypto
{
    /// <summary>
    /// Signs the platform's sign content (MQTT password, dynamic-registration sign): upper-case hex of
    /// HMAC(key, content) with key and content as UTF-8, as Aliyun's C SDKs send it (aliyun-protocol.md §7).
    /// </summary>
    public static class Signer
    {
        /// <summary>Wire name of <paramref name="method"/>: <c>hmacsha256</c>, <c>hmacsha1</c> or <c>hmacmd5</c>.</summary>
        public static string WireName(SignMethod method)
        {
            switch (method)
            {
                case SignMethod.HmacSha1:
                    return "hmacsha1";
                case SignMethod.HmacMd5:
                    return "hmacmd5";
                default:
                    return "hmacsha256";
            }
        }

        /// <summary>Parses a wire name (case-insensitive).</summary>
        /// <returns>false when <paramref name="name"/> is not one of the three names.</returns>
        public static bool TryParse(string name, out SignMethod method)
        {
            method = SignMethod.HmacSha256;
            if (name == null)
            {
                return false;
            }

            string lower = name.ToLower();
            if (lower == "hmacsha256")
            {
                return true;
            }

            if (lower == "hmacsha1")
            {
                method = SignMethod.HmacSha1;
                return true;
            }

            if (lower == "hmacmd5")
            {
                method = SignMethod.HmacMd5;
                return true;
            }

            return false;
        }

        /// <summary>A fresh hash of the algorithm under <paramref name="method"/>.</summary>
        public static IHash CreateHash(SignMethod method)
        {
            switch (method)
            {
                case SignMethod.HmacSha1:
                    return new Sha1();
                case SignMethod.HmacMd5:
                    return new Md5();
                default:
                    return new Sha256();
            }
        }

        /// <summary>Upper-case hex HMAC of <paramref name="content"/> keyed with <paramref name="secret"/>.</summary>
        /// <param name="method">Algorithm.</param>
        /// <param name="secret">DeviceSecret or ProductSecret (UTF-8).</param>
        /// <param name="content">The sorted sign content (UTF-8).</param>
        /// <param name="hmacSha256">Native HMAC-SHA256 to use for <see cref="SignMethod.HmacSha256"/>, or null for the managed one.</param>
        public static string Sign(SignMethod method, string secret, string content, IHmacSha256 hmacSha256)
        {
            if (secret == null)
            {
                throw new ArgumentNullException("secret");
            }

            if (content == null)
            {
                throw new ArgumentNullException("content");
            }

            byte[] key = Encoding.UTF8.GetBytes(secret);
            byte[] message = Encoding.UTF8.GetBytes(content);
            byte[] mac;
            if (method == SignMethod.HmacSha256 && hmacSha256 != null)
            {
                mac = hmacSha256.Compute(key, message);
            }
            else
            {
                mac = Hmac.Compute(CreateHash(method), key, message);
            }

            Array.Clear(key, 0, key.Length);
            return Hex.ToUpper(mac);
        }
    }
}
