namespace AliyunIot.Http
{
    /// <summary>
    /// An <c>https://host[:port]/path?query</c> URL split for the HTTP client. <see cref="Redacted"/> leaves the query
    /// out: OSS download URLs carry their signature there, and it must never reach a log or a result's Detail.
    /// </summary>
    public sealed class HttpsUrl
    {
        /// <summary>Port used when the URL names none.</summary>
        public const int DefaultPort = 443;

        private const string Scheme = "https://";

        private HttpsUrl(string host, int port, string pathAndQuery, string redacted)
        {
            Host = host;
            Port = port;
            PathAndQuery = pathAndQuery;
            Redacted = redacted;
        }

        /// <summary>Server name (no brackets, no port).</summary>
        public string Host { get; private set; }

        /// <summary>TCP port (443 unless the URL names one).</summary>
        public int Port { get; private set; }

        /// <summary>The request target: path (at least "/") and the query, if any.</summary>
        public string PathAndQuery { get; private set; }

        /// <summary><c>https://host[:port]/path</c> without the query: safe for logs.</summary>
        public string Redacted { get; private set; }

        /// <summary>The value of the Host header (the port only when it is not 443).</summary>
        public string HostHeader
        {
            get { return Port == DefaultPort ? Host : Host + ":" + Port.ToString(); }
        }

        /// <summary>Splits <paramref name="url"/>.</summary>
        /// <param name="url">The URL.</param>
        /// <param name="error">Why it was refused (never contains the query); null on success.</param>
        /// <returns>The parts, or null when the URL is not a usable https:// URL.</returns>
        public static HttpsUrl Parse(string url, out string error)
        {
            error = null;
            if (url == null || url.Length <= Scheme.Length || !StartsWithScheme(url))
            {
                error = "not an https:// URL";
                return null;
            }

            for (int i = 0; i < url.Length; i++)
            {
                // Spaces and control characters would let a URL inject header lines into the request.
                if (url[i] <= ' ' || url[i] == 127)
                {
                    error = "the URL contains a space or a control character";
                    return null;
                }
            }

            int authorityEnd = url.Length;
            for (int i = Scheme.Length; i < url.Length; i++)
            {
                char c = url[i];
                if (c == '/' || c == '?' || c == '#')
                {
                    authorityEnd = i;
                    break;
                }
            }

            string authority = url.Substring(Scheme.Length, authorityEnd - Scheme.Length);
            if (authority.IndexOf('@') >= 0)
            {
                error = "the URL carries user information";
                return null;
            }

            if (authority.Length > 0 && authority[0] == '[')
            {
                error = "IPv6 address literals are not supported";
                return null;
            }

            string host = authority;
            int port = DefaultPort;
            int colon = authority.IndexOf(':');
            if (colon >= 0)
            {
                host = authority.Substring(0, colon);
                if (!TryParsePort(authority.Substring(colon + 1), out port))
                {
                    error = "invalid port";
                    return null;
                }
            }

            if (host.Length == 0)
            {
                error = "no host";
                return null;
            }

            string target = url.Substring(authorityEnd);
            int fragment = target.IndexOf('#');
            if (fragment >= 0)
            {
                target = target.Substring(0, fragment);
            }

            if (target.Length == 0 || target[0] == '?')
            {
                target = "/" + target;
            }

            int query = target.IndexOf('?');
            string path = query >= 0 ? target.Substring(0, query) : target;
            string shownAuthority = port == DefaultPort ? host : host + ":" + port.ToString();
            return new HttpsUrl(host, port, target, Scheme + shownAuthority + path);
        }

        private static bool StartsWithScheme(string url)
        {
            for (int i = 0; i < Scheme.Length; i++)
            {
                char c = url[i];
                if (c >= 'A' && c <= 'Z')
                {
                    c = (char)(c + ('a' - 'A'));
                }

                if (c != Scheme[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryParsePort(string digits, out int port)
        {
            port = 0;
            if (digits.Length == 0 || digits.Length > 5)
            {
                return false;
            }

            for (int i = 0; i < digits.Length; i++)
            {
                char c = digits[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                port = (port * 10) + (c - '0');
            }

            return port > 0 && port <= 65535;
        }
    }
}
