namespace AliyunIot.Cloud.Tsl
{
    /// <summary>
    /// Reply codes the local cloud uses when a post breaks the registered thing model. The platform answers
    /// such posts with codes in its 6xxx range ("Error codes for devices",
    /// https://www.alibabacloud.com/help/doc-detail/120329.htm; aliyun-protocol.md §3.18). Taken from that page:
    /// 6207 (the Alink data is not JSON), 6300 (no method), 6100, 6203; 6813 as seen in the platform's replies.
    /// Its TSL-validation codes for type, range and unknown identifiers were not captured: 6301, 6304 and 6320
    /// are the local cloud's choice within that range. Devices only surface the code.
    /// </summary>
    public static class TslCodes
    {
        /// <summary>Accepted.</summary>
        public const int Success = 200;

        /// <summary>The request itself is unusable (no params object, bad JSON): the platform's 6813 "format of result is error".</summary>
        public const int BadFormat = 6813;

        /// <summary>The method is missing or names nothing in the thing model (platform code 6300, "method does not exist").</summary>
        public const int UnknownMethod = 6300;

        /// <summary>The posted Alink data is not JSON (platform code 6207).</summary>
        public const int NotJson = 6207;

        /// <summary>A value has the wrong type.</summary>
        public const int TypeMismatch = 6301;

        /// <summary>A value is outside its declared range, enum or length.</summary>
        public const int OutOfRange = 6304;

        /// <summary>A property identifier does not exist in the thing model.</summary>
        public const int UnknownProperty = 6320;

        /// <summary>Topic parse error: the topic names another device or no device (platform code 6203).</summary>
        public const int TopicError = 6203;

        /// <summary>
        /// A request parameter is invalid (platform code 460 "request parameter error", Alink page "Device
        /// properties, events, and services", https://help.aliyun.com/document_detail/89301.html): a history post
        /// whose params are not the documented array or whose identity names another device.
        /// </summary>
        public const int RequestParameterError = 460;

        /// <summary>Too many entries in one post (platform code 6106 "map size must less than 200", same page).</summary>
        public const int MapSizeTooLarge = 6106;

        /// <summary>Device lookup failed (platform code 6100).</summary>
        public const int UnknownDevice = 6100;
    }
}
