namespace AliyunIot.Alink
{
    /// <summary>
    /// Ordinal (char-by-char) prefix and suffix tests. nanoFramework compares ordinally, but .NET's
    /// <c>string.StartsWith(string)</c> is culture-sensitive and ignores characters such as U+0000, so a hostile
    /// topic could match a prefix on the host that it does not match on the device. Topic decisions use this.
    /// </summary>
    public static class OrdinalText
    {
        /// <summary>True when <paramref name="text"/> begins with exactly <paramref name="prefix"/>.</summary>
        public static bool StartsWith(string text, string prefix)
        {
            return StartsWith(text, 0, prefix);
        }

        /// <summary>
        /// True when <paramref name="text"/> holds exactly <paramref name="prefix"/> from index <paramref name="start"/>
        /// (what <c>text.Substring(start)</c> would start with, without the copy).
        /// </summary>
        public static bool StartsWith(string text, int start, string prefix)
        {
            if (text == null || prefix == null || start < 0 || prefix.Length > text.Length - start)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (text[start + i] != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>True when <paramref name="text"/> ends with exactly <paramref name="suffix"/>.</summary>
        public static bool EndsWith(string text, string suffix)
        {
            if (text == null || suffix == null || suffix.Length > text.Length)
            {
                return false;
            }

            int start = text.Length - suffix.Length;
            for (int i = 0; i < suffix.Length; i++)
            {
                if (text[start + i] != suffix[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// True when <paramref name="text"/> holds a C0 control character or DEL: network text with one must not be
        /// used for a topic or written to a log (a line break would forge a log line).
        /// </summary>
        public static bool HasControlCharacter(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < ' ' || c == (char)0x7F)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
