namespace AliyunIot.Shadow
{
    /// <summary>
    /// The device shadow's error codes, sent by the platform as <c>payload.content.errorcode</c> in a reply with
    /// <c>payload.status</c> "error" on <c>/shadow/get/{pk}/{dn}</c>. Source: the platform's page "Device shadow data
    /// stream" (设备影子数据流转, https://help.aliyun.com/document_detail/53964.html, error-code table), where the
    /// messages are given in Chinese; the English texts here are descriptions, not the platform's strings.
    /// The device uses <see cref="VersionConflict"/> for a desired state whose version is not newer than its own.
    /// </summary>
    public static class ShadowErrorCodes
    {
        /// <summary>Not a JSON document (不正确的JSON格式).</summary>
        public const int InvalidJson = 400;

        /// <summary>The request has no method (影子数据缺少method信息).</summary>
        public const int MissingMethod = 401;

        /// <summary>The request has no state (影子数据缺少state字段).</summary>
        public const int MissingState = 402;

        /// <summary>The version is not a number (影子数据中version值不是数字).</summary>
        public const int VersionNotNumber = 403;

        /// <summary>The state has no reported member (影子数据缺少reported字段).</summary>
        public const int MissingReported = 404;

        /// <summary>The reported member is empty (影子数据中reported属性字段为空).</summary>
        public const int EmptyReported = 405;

        /// <summary>The method is none of update, get, delete (影子数据中method是无效的方法).</summary>
        public const int InvalidMethod = 406;

        /// <summary>The shadow document is empty (影子内容为空).</summary>
        public const int EmptyContent = 407;

        /// <summary>More than <see cref="MaxReportedAttributes"/> reported attributes (影子数据中reported属性个数超过128个).</summary>
        public const int TooManyAttributes = 408;

        /// <summary>The version is not newer than the shadow's (影子版本冲突).</summary>
        public const int VersionConflict = 409;

        /// <summary>The server failed (服务端处理异常).</summary>
        public const int ServerError = 500;

        /// <summary>Most attributes the reported state may hold (error <see cref="TooManyAttributes"/>).</summary>
        public const int MaxReportedAttributes = 128;

        /// <summary>An English description of a code (for logs and the local cloud's replies).</summary>
        public static string Describe(int code)
        {
            switch (code)
            {
                case InvalidJson: return "invalid JSON";
                case MissingMethod: return "the shadow request has no method";
                case MissingState: return "the shadow request has no state";
                case VersionNotNumber: return "the shadow version is not a number";
                case MissingReported: return "the shadow request has no reported state";
                case EmptyReported: return "the reported state is empty";
                case InvalidMethod: return "invalid shadow method";
                case EmptyContent: return "the shadow content is empty";
                case TooManyAttributes: return "more than 128 reported attributes";
                case VersionConflict: return "shadow version conflict";
                case ServerError: return "server error";
            }

            return "unknown shadow error";
        }
    }
}
