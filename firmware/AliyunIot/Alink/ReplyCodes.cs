namespace AliyunIot.Alink
{
    /// <summary>
    /// Alink reply codes (aliyun-protocol.md §3.18): what the device answers to cloud requests, and what the cloud
    /// answers in <c>_reply</c> messages. Codes are plain ints on the wire and in our API.
    /// </summary>
    public static class ReplyCodes
    {
        /// <summary>Success.</summary>
        public const int Success = 200;

        /// <summary>Request error / internal error while processing (also: an application handler failed).</summary>
        public const int RequestError = 400;

        /// <summary>Too many requests (the device or the cloud throttles).</summary>
        public const int TooManyRequests = 429;

        /// <summary>Request parameter error: unknown identifier, wrong type, value out of range, malformed request.</summary>
        public const int ParameterError = 460;

        /// <summary>Unknown system error (cloud).</summary>
        public const int SystemError = 500;

        /// <summary>First code of the range applications may use for their own errors.</summary>
        public const int DeviceDefinedFirst = 100000;

        /// <summary>Last code of the range applications may use for their own errors.</summary>
        public const int DeviceDefinedLast = 110000;

        /// <summary>Result format error from the cloud ("The format of result is error!").</summary>
        public const int ResultFormatError = 6813;

        /// <summary>True for 200.</summary>
        public static bool IsSuccess(int code)
        {
            return code == Success;
        }

        /// <summary>True for the application range 100000…110000.</summary>
        public static bool IsDeviceDefined(int code)
        {
            return code >= DeviceDefinedFirst && code <= DeviceDefinedLast;
        }

        /// <summary>True for the cloud's 4-digit platform codes (5xxx/6xxx: product/device lookup, TSL checks, scripts).</summary>
        public static bool IsPlatformError(int code)
        {
            return code >= 5000 && code <= 6999;
        }

        /// <summary>A short English description for logs.</summary>
        public static string Describe(int code)
        {
            switch (code)
            {
                case Success: return "success";
                case RequestError: return "request error";
                case TooManyRequests: return "too many requests";
                case ParameterError: return "parameter error";
                case SystemError: return "system error";
                case 5005:
                case 6250: return "product lookup failed";
                case 6100: return "device lookup failed";
                case 6203: return "topic parse error";
                case 6204: return "device disabled";
                case 6450: return "raw data script result lacks method";
                case 6760: return "system exception";
                case ResultFormatError: return "result format error";
            }

            if (IsDeviceDefined(code))
            {
                return "device-defined error";
            }

            if (IsPlatformError(code))
            {
                return "platform error";
            }

            return "unknown code";
        }
    }
}
