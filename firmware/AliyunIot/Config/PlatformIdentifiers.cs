namespace AliyunIot.Config
{
    /// <summary>
    /// The platform's rules for the identifiers in device.json (productKey, deviceName, clientId, region, host),
    /// shared by the config parser, the credential builder and dynamic registration.
    /// </summary>
    internal static class PlatformIdentifiers
    {
        // The platform's identifier rules differ only in length and in the punctuation allowed besides letters and digits.
        private static bool IsMadeOf(string text, int minLength, int maxLength, string punctuation)
        {
            if (text == null || text.Length < minLength || text.Length > maxLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (!letterOrDigit && punctuation.IndexOf(c) < 0)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>productKey and instanceId rule: letters, digits, - and _.</summary>
        internal static bool IsToken(string text, int minLength, int maxLength)
        {
            return IsMadeOf(text, minLength, maxLength, "-_");
        }

        /// <summary>DeviceName rule of the platform: 4–32 letters, digits and <c>- _ @ . :</c>.</summary>
        internal static bool IsDeviceName(string text)
        {
            return IsMadeOf(text, 4, 32, "-_@.:");
        }

        /// <summary>clientId rule: 1–64 characters, none of <c>|</c>, <c>,</c>, <c>=</c> (they delimit the extension block) and no control characters.</summary>
        internal static bool IsClientId(string text)
        {
            if (text == null || text.Length == 0 || text.Length > DeviceConfigParser.MaxClientIdLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '|' || c == ',' || c == '=' || c < ' ')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Region id rule (cn-shanghai): letters, digits and -.</summary>
        internal static bool IsRegion(string text)
        {
            return IsMadeOf(text, 2, 32, "-");
        }

        /// <summary>Host name or address: letters, digits and - . : _ (no spaces, no scheme).</summary>
        internal static bool IsHost(string text)
        {
            return IsMadeOf(text, 1, 253, "-.:_");
        }
    }
}
