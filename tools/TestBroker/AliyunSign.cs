using System.Security.Cryptography;
using System.Text;

namespace AliyunIot.TestBroker
{
    /// <summary>
    /// The platform's HMAC password rule for test tooling (the cloud side and test conveniences). Deliberately
    /// independent of the firmware core's signer so tests can check one against the other.
    /// </summary>
    public static class AliyunSign
    {
        /// <summary>Upper-case hex HMAC of <paramref name="content"/> keyed with <paramref name="key"/> (both UTF-8).</summary>
        /// <param name="signMethod">hmacsha256, hmacsha1 or hmacmd5.</param>
        /// <param name="key">Device secret or product secret.</param>
        /// <param name="content">Sign content, e.g. <c>clientId..deviceName..productKey..timestamp..</c>.</param>
        public static string Hex(string signMethod, string key, string content)
        {
            byte[] k = Encoding.UTF8.GetBytes(key);
            byte[] m = Encoding.UTF8.GetBytes(content);
            byte[] mac = signMethod switch
            {
                "hmacsha256" => HMACSHA256.HashData(k, m),
                "hmacsha1" => HMACSHA1.HashData(k, m),
                "hmacmd5" => HMACMD5.HashData(k, m),
                _ => throw new ArgumentException("Unknown sign method: " + signMethod, nameof(signMethod)),
            };
            return Convert.ToHexString(mac);
        }
    }
}
