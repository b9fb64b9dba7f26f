using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Crypto;
using AliyunIot.Json;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// What the platform offers in <c>get_reply.data</c> or <c>push.params</c>:
    /// <c>{"configId":"…","configSize":1234,"sign":"…","signMethod":"Sha256","url":"https://…","getType":"file"}</c>
    /// (https://help.aliyun.com/document_detail/89308.html; the Node SDK's getConfig comment shows the same fields).
    /// <see cref="Parse"/> refuses, with the reason, what this device will not download: a size over the limit
    /// (decided on configSize, before any byte is fetched), a sign method other than SHA-256, a sign that is not a
    /// 64-digit hex digest, a URL that is not https://, a getType other than "file".
    /// </summary>
    public sealed class RemoteConfigOffer
    {
        /// <summary>Longest configId accepted (the platform's ids are 32 hex digits).</summary>
        public const int MaxIdLength = 64;

        /// <summary>The platform's config id (changes with every edit of the product's config).</summary>
        public string ConfigId;

        /// <summary>Declared size of the file in bytes.</summary>
        public long Size;

        /// <summary>SHA-256 of the file, lower-case hex.</summary>
        public string Sign;

        /// <summary>Time-limited HTTPS URL of the file (OSS; valid 30 minutes on the platform).</summary>
        public string Url;

        /// <summary>The URL without its query string (safe to log: OSS signatures live in the query).</summary>
        public string UrlForLog
        {
            get
            {
                int q = Url == null ? -1 : Url.IndexOf('?');
                return q >= 0 ? Url.Substring(0, q) : Url;
            }
        }

        /// <summary>Parses and checks an offer.</summary>
        /// <param name="data">The <c>data</c> (get_reply) or <c>params</c> (push) object.</param>
        /// <param name="maxBytes">Largest config file this device accepts.</param>
        /// <exception cref="RemoteConfigRefusedException">Code 460 and the reason.</exception>
        public static RemoteConfigOffer Parse(Hashtable data, long maxBytes)
        {
            RemoteConfigOffer offer = new RemoteConfigOffer();
            try
            {
                offer.ConfigId = JsonValues.GetString(data, "configId");
                if (offer.ConfigId.Length == 0 || offer.ConfigId.Length > MaxIdLength || OrdinalText.HasControlCharacter(offer.ConfigId))
                {
                    throw Refuse("configId must be 1.." + MaxIdLength.ToString() + " printable characters");
                }

                string getType = JsonValues.GetOptionalString(data, "getType");
                if (getType != null && getType != "file")
                {
                    throw Refuse("getType " + Quote(getType) + " is not supported (file is)");
                }

                offer.Size = JsonValues.GetLong(data, "configSize");
                if (offer.Size <= 0)
                {
                    throw Refuse("configSize must be positive");
                }

                if (offer.Size > maxBytes)
                {
                    throw Refuse("configSize " + offer.Size.ToString() + " exceeds this device's limit of " + maxBytes.ToString() + " bytes (remoteConfig.maxBytes)");
                }

                string method = JsonValues.GetString(data, "signMethod");
                if (method.ToLower() != "sha256")
                {
                    throw Refuse("signMethod " + Quote(method) + " is not supported (Sha256 is)");
                }

                string sign = JsonValues.GetString(data, "sign");
                if (sign.Length != 64 || !Hex.IsHex(sign))
                {
                    throw Refuse("sign is not a 64-digit hex SHA-256 digest");
                }

                offer.Sign = sign.ToLower();
                offer.Url = JsonValues.GetString(data, "url");

                // Ordinal: a culture-aware StartsWith would skip a leading U+0000 the device does not skip.
                if (!OrdinalText.StartsWith(offer.Url.ToLower(), "https://") || OrdinalText.HasControlCharacter(offer.Url))
                {
                    throw Refuse("url must be an https:// URL");
                }

                return offer;
            }
            catch (JsonFieldException ex)
            {
                throw Refuse("field " + ex.Field + " " + ex.Expected);
            }
        }

        private static RemoteConfigRefusedException Refuse(string reason)
        {
            return new RemoteConfigRefusedException(ReplyCodes.ParameterError, "config refused: " + reason);
        }

        // Network text in a reason: bounded and without control characters.
        private static string Quote(string text)
        {
            if (text.Length > 16 || OrdinalText.HasControlCharacter(text))
            {
                return "(" + text.Length.ToString() + " characters)";
            }

            return "\"" + text + "\"";
        }
    }
}
