namespace AliyunIot.LogPost
{
    /// <summary>
    /// Keeps secrets out of log lines before they leave the device. The core already builds no line with a secret
    /// (ILog's contract); this is the second line of defence for what an application writes: the values of the
    /// device's own secrets (registered with <see cref="AddSecret"/>), the value after a secret-looking name
    /// (<c>deviceSecret</c>, <c>productSecret</c>, <c>deviceToken</c>, <c>password</c>, …: the field list the local
    /// cloud's traffic log masks, tools/Cloud/Traffic/TrafficLog.cs) and the query of any http(s) URL (OSS signatures
    /// and tokens live there) become <c>***</c>. Allocates only when it masks something.
    /// </summary>
    public sealed class LogScrubber
    {
        private const string Mask = "***";
        private static readonly string[] SecretNames = new string[] { "secret", "token", "password" };
        private readonly object _gate = new object();
        private string[] _secrets = new string[0];

        /// <summary>Masks every occurrence of <paramref name="secret"/> (ignored when null or shorter than 4 characters).</summary>
        public void AddSecret(string secret)
        {
            if (secret == null || secret.Length < 4)
            {
                return;
            }

            lock (_gate)
            {
                string[] grown = new string[_secrets.Length + 1];
                for (int i = 0; i < _secrets.Length; i++)
                {
                    grown[i] = _secrets[i];
                }

                grown[_secrets.Length] = secret;
                _secrets = grown;
            }
        }

        /// <summary>The text with secrets masked (the same instance when there was nothing to mask).</summary>
        public string Clean(string text)
        {
            if (text == null)
            {
                return string.Empty;
            }

            string[] secrets;
            lock (_gate)
            {
                secrets = _secrets;
            }

            for (int s = 0; s < secrets.Length; s++)
            {
                int at = text.IndexOf(secrets[s]);
                while (at >= 0)
                {
                    text = text.Substring(0, at) + Mask + text.Substring(at + secrets[s].Length);
                    at = text.IndexOf(secrets[s], at + Mask.Length);
                }
            }

            for (int n = 0; n < SecretNames.Length; n++)
            {
                text = MaskNamedValues(text, SecretNames[n]);
            }

            return MaskUrlQueries(text);
        }

        // "...Secret":"v", ...secret=v, ...Token: v  ->  the value becomes ***.
        private static string MaskNamedValues(string text, string name)
        {
            int from = 0;
            while (true)
            {
                int at = IndexOfIgnoreCase(text, name, from);
                if (at < 0)
                {
                    return text;
                }

                int j = at + name.Length;
                while (j < text.Length && (IsWordChar(text[j]) || text[j] == '"' || text[j] == '\''))
                {
                    j++;
                }

                while (j < text.Length && text[j] == ' ')
                {
                    j++;
                }

                if (j >= text.Length || (text[j] != ':' && text[j] != '='))
                {
                    from = at + name.Length;
                    continue;
                }

                j++;
                while (j < text.Length && text[j] == ' ')
                {
                    j++;
                }

                char quote = j < text.Length && (text[j] == '"' || text[j] == '\'') ? text[j] : '\0';
                int start = quote == '\0' ? j : j + 1;
                int end = start;
                while (end < text.Length && (quote != '\0' ? text[end] != quote : !IsValueEnd(text[end])))
                {
                    end++;
                }

                if (end > start && !(end - start == Mask.Length && text.Substring(start, Mask.Length) == Mask))
                {
                    text = text.Substring(0, start) + Mask + text.Substring(end);
                }

                from = start + Mask.Length;
            }
        }

        private static string MaskUrlQueries(string text)
        {
            int from = 0;
            while (true)
            {
                int at = IndexOfIgnoreCase(text, "http", from);
                if (at < 0)
                {
                    return text;
                }

                int end = at;
                while (end < text.Length && !IsUrlEnd(text[end]))
                {
                    end++;
                }

                int query = text.IndexOf('?', at);
                if (query >= 0 && query + 1 < end && !(end - query - 1 == Mask.Length && text.Substring(query + 1, Mask.Length) == Mask))
                {
                    text = text.Substring(0, query + 1) + Mask + text.Substring(end);
                    end = query + 1 + Mask.Length;
                }

                from = end > at ? end : at + 4;
            }
        }

        private static int IndexOfIgnoreCase(string text, string lowerWord, int from)
        {
            int last = text.Length - lowerWord.Length;
            for (int i = from; i <= last; i++)
            {
                int k = 0;
                while (k < lowerWord.Length && Lower(text[i + k]) == lowerWord[k])
                {
                    k++;
                }

                if (k == lowerWord.Length)
                {
                    return i;
                }
            }

            return -1;
        }

        private static char Lower(char c)
        {
            return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
        }

        private static bool IsWordChar(char c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }

        private static bool IsValueEnd(char c)
        {
            return c == ' ' || c == ',' || c == ';' || c == '&' || c == '}' || c == ']' || c == ')' || c == '"' || c == '\'' || c < ' ';
        }

        private static bool IsUrlEnd(char c)
        {
            return c == ' ' || c == '"' || c == '\'' || c == ')' || c == ']' || c == '>' || c < ' ';
        }
    }
}
