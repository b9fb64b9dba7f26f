namespace AliyunIot.TestBroker.Https
{
    /// <summary>A POST request as the handler sees it.</summary>
    /// <param name="Path">Request path, e.g. <c>/auth/register/device</c>.</param>
    /// <param name="ContentType">Content-Type header, or null.</param>
    /// <param name="Body">Body as UTF-8 text.</param>
    public sealed record HttpsPostRequest(string Path, string ContentType, string Body);

    /// <summary>What a POST handler answers.</summary>
    /// <param name="StatusCode">HTTP status.</param>
    /// <param name="ContentType">Content-Type of the body.</param>
    /// <param name="Body">Body text (UTF-8).</param>
    public sealed record HttpsResponse(int StatusCode, string ContentType, string Body);

    /// <summary>Answers one POST (called on a server thread).</summary>
    public delegate HttpsResponse HttpsPostHandler(HttpsPostRequest request);

    /// <summary>One request the server saw.</summary>
    /// <param name="Method">GET or POST.</param>
    /// <param name="Path">Path without query.</param>
    /// <param name="Query">Query string including '?', or empty.</param>
    /// <param name="Range">The Range header, or null.</param>
    /// <param name="StatusCode">Status answered.</param>
    public sealed record HttpsRequestLog(string Method, string Path, string Query, string Range, int StatusCode);
}
