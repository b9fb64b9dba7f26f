namespace AliyunIot.Ports
{
    /// <summary>One HTTPS POST with a small body, used by dynamic registration.</summary>
    public interface IHttpPoster
    {
        /// <summary>Posts <paramref name="body"/> and returns the status and the response text.</summary>
        /// <returns>Never null; network failures have status code 0.</returns>
        HttpPostResult Post(string url, string contentType, string body, string caCertificatesPem, int timeoutMs);
    }

    /// <summary>The result of <see cref="IHttpPoster.Post"/>.</summary>
    public sealed class HttpPostResult
    {
        /// <summary>Creates a result.</summary>
        public HttpPostResult(int statusCode, string body, string detail)
        {
            StatusCode = statusCode;
            Body = body;
            Detail = detail;
        }

        /// <summary>HTTP status code, 0 when the request failed before a response.</summary>
        public int StatusCode { get; private set; }

        /// <summary>Response text (may hold secrets: never log it).</summary>
        public string Body { get; private set; }

        /// <summary>Failure detail without secrets.</summary>
        public string Detail { get; private set; }
    }
}
