namespace AliyunIot.DeviceInfo
{
    /// <summary>
    /// The platform's limits on device tags, checked before anything is sent. Sources: "Device tags"
    /// (https://help.aliyun.com/document_detail/89304.html: <c>params</c> holds at most 200 items; replies 460
    /// "request parameter error", 6100 "device not found"), the older Link Kit page "Device Tag"
    /// (https://www.alibabacloud.com/help/doc-detail/97352.htm: attrKey of letters and digits, not starting with a
    /// digit, 2–32 bytes), SaveDeviceProp (https://www.alibabacloud.com/help/doc-detail/69618.htm: at most 100 tags
    /// per device and per call; a value of at most 128 characters, a Chinese character counting as two), and the
    /// Python Link Kit, which sends keys with underscores (SYS_SDK_LANGUAGE). The pages differ over the years;
    /// these rules are the intersection, so every tag this device sends is one every version accepts.
    /// </summary>
    public static class TagRules
    {
        /// <summary>Shortest key.</summary>
        public const int MinKeyLength = 2;

        /// <summary>Longest key.</summary>
        public const int MaxKeyLength = 32;

        /// <summary>Longest value, non-ASCII characters counting as two.</summary>
        public const int MaxValueLength = 128;

        /// <summary>Most tags in one request (a device holds at most 100).</summary>
        public const int MaxTagsPerRequest = 100;

        /// <summary>Why <paramref name="key"/> is not a valid tag key, or null.</summary>
        public static string CheckKey(string key)
        {
            if (key == null || key.Length == 0)
            {
                return "a tag key is empty";
            }

            if (key.Length < MinKeyLength || key.Length > MaxKeyLength)
            {
                return "tag key \"" + Printable(key) + "\": " + key.Length.ToString() + " characters, the platform takes " + MinKeyLength.ToString() + " to " + MaxKeyLength.ToString();
            }

            for (int i = 0; i < key.Length; i++)
            {
                char c = key[i];
                bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
                bool digit = c >= '0' && c <= '9';
                if (!letter && !(digit && i > 0))
                {
                    return "tag key \"" + Printable(key) + "\": " + (digit ? "must not start with a digit" : "only letters, digits and _ are allowed");
                }
            }

            return null;
        }

        /// <summary>Why <paramref name="value"/> is not a valid tag value, or null.</summary>
        public static string CheckValue(string key, string value)
        {
            if (value == null || value.Length == 0)
            {
                return "tag " + Printable(key) + ": the value is empty";
            }

            int length = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < ' ' || c == '\u007f')
                {
                    return "tag " + Printable(key) + ": the value holds a control character";
                }

                length += c < '\u0080' ? 1 : 2;
            }

            if (length > MaxValueLength)
            {
                return "tag " + Printable(key) + ": the value is " + length.ToString() + " characters long (non-ASCII counting two), the platform takes at most " + MaxValueLength.ToString();
            }

            return null;
        }

        // Keys are echoed in errors: control characters are shown as '?' and long keys cut.
        private static string Printable(string text)
        {
            int length = text.Length > 40 ? 40 : text.Length;
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                chars[i] = c < ' ' || c == '\u007f' || c == '"' ? '?' : c;
            }

            return new string(chars) + (text.Length > length ? "…" : string.Empty);
        }
    }
}
