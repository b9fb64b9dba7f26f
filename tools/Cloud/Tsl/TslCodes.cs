namespace AliyunIot.Cloud.Tsl
{
    /// <summary>
    /// Reply codes the local cloud uses when a post breaks the registered thing model. The platform answers
    /// such posts with codes in its 6xxx range (aliyun-protocol.md §3.18); its full TSL-validation table was not
    /// captured, so these values are the local cloud's choice within that range. Devices only surface the code.
    /// </summary>
    public static class TslCodes
    {
        /// <summary>Accepted.</summary>
        public const int Success = 200;

        /// <summary>The request itself is unusable (no params object, bad JSON): the platform's 6813 "format of result is error".</summary>
        public const int BadFormat = 6813;

        /// <summary>The method or the event identifier does not exist in the thing model.</summary>
        public const int UnknownMethod = 6300;

        /// <summary>A value has the wrong type.</summary>
        public const int TypeMismatch = 6301;

        /// <summary>A value is outside its declared range, enum or length.</summary>
        public const int OutOfRange = 6304;

        /// <summary>A property identifier does not exist in the thing model.</summary>
        public const int UnknownProperty = 6320;

        /// <summary>Topic parse error: the topic names another device or no device (platform code 6203).</summary>
        public const int TopicError = 6203;

        /// <summary>Device lookup failed (platform code 6100).</summary>
        public const int UnknownDevice = 6100;
    }
}
