namespace AliyunIot.Alink
{
    /// <summary>The end of one request that expected a reply.</summary>
    public sealed class RequestOutcome
    {
        /// <summary>Creates an outcome.</summary>
        public RequestOutcome(string id, string method, string replyTopic, RequestStatus status, int code, string message, object data, long elapsedMs)
        {
            Id = id;
            Method = method;
            ReplyTopic = replyTopic;
            Status = status;
            Code = code;
            Message = message;
            Data = data;
            ElapsedMs = elapsedMs;
        }

        /// <summary>The request's id.</summary>
        public string Id { get; private set; }

        /// <summary>The request's method, e.g. "thing.event.property.post".</summary>
        public string Method { get; private set; }

        /// <summary>The topic the reply was expected on.</summary>
        public string ReplyTopic { get; private set; }

        /// <summary>How it ended.</summary>
        public RequestStatus Status { get; private set; }

        /// <summary>The reply code when <see cref="Status"/> is Replied, else 0.</summary>
        public int Code { get; private set; }

        /// <summary>The reply's message, or a description of why there was none.</summary>
        public string Message { get; private set; }

        /// <summary>The reply's data, or null.</summary>
        public object Data { get; private set; }

        /// <summary>Milliseconds from registration to the end.</summary>
        public long ElapsedMs { get; private set; }

        /// <summary>True when the cloud replied 200.</summary>
        public bool Succeeded
        {
            get { return Status == RequestStatus.Replied && Code == ReplyCodes.Success; }
        }
    }
}
