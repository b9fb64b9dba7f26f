using System;
using System.Text;

namespace AliyunIot.Http
{
    /// <summary>
    /// The bytes of the two HTTP/1.1 requests the device sends: a GET that may resume with <c>Range: bytes=N-</c>, and
    /// a POST with a small body. Every request asks the server to close the connection afterwards, so the end of a
    /// body without length or chunking is the end of the connection, and no connection is ever reused.
    /// </summary>
    public static class HttpRequestWriter
    {
        /// <summary>The User-Agent header's value.</summary>
        public const string UserAgent = "AliyunIot-nanoFramework/1.0";

        /// <summary>The request bytes of a GET of <paramref name="url"/>.</summary>
        /// <param name="url">What to get.</param>
        /// <param name="offset">First byte wanted; &gt; 0 adds <c>Range: bytes=offset-</c>.</param>
        public static byte[] Get(HttpsUrl url, long offset)
        {
            if (url == null)
            {
                throw new ArgumentNullException("url");
            }

            StringBuilder text = Start("GET", url);
            if (offset > 0)
            {
                text.Append("Range: bytes=").Append(offset).Append("-\r\n");
            }

            text.Append("Connection: close\r\n\r\n");
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        /// <summary>The request bytes of a POST of <paramref name="body"/> to <paramref name="url"/>.</summary>
        /// <param name="url">Where to post.</param>
        /// <param name="contentType">The Content-Type header's value (no line breaks).</param>
        /// <param name="body">The body (may be empty).</param>
        /// <exception cref="ArgumentException"><paramref name="contentType"/> holds a line break or control character.</exception>
        public static byte[] Post(HttpsUrl url, string contentType, byte[] body)
        {
            if (url == null || contentType == null || body == null)
            {
                throw new ArgumentNullException(url == null ? "url" : (contentType == null ? "contentType" : "body"));
            }

            for (int i = 0; i < contentType.Length; i++)
            {
                if (contentType[i] < ' ' || contentType[i] == 127)
                {
                    throw new ArgumentException("control character in the content type", "contentType");
                }
            }

            StringBuilder text = Start("POST", url);
            text.Append("Accept: text/xml,text/javascript,text/html,application/json\r\n");
            text.Append("Content-Type: ").Append(contentType).Append("\r\n");
            text.Append("Content-Length: ").Append(body.Length).Append("\r\n");
            text.Append("Connection: close\r\n\r\n");
            byte[] head = Encoding.UTF8.GetBytes(text.ToString());
            byte[] request = new byte[head.Length + body.Length];
            Array.Copy(head, 0, request, 0, head.Length);
            Array.Copy(body, 0, request, head.Length, body.Length);
            return request;
        }

        private static StringBuilder Start(string method, HttpsUrl url)
        {
            StringBuilder text = new StringBuilder(256);
            text.Append(method).Append(' ').Append(url.PathAndQuery).Append(" HTTP/1.1\r\n");
            text.Append("Host: ").Append(url.HostHeader).Append("\r\n");
            text.Append("User-Agent: ").Append(UserAgent).Append("\r\n");
            return text;
        }
    }
}
