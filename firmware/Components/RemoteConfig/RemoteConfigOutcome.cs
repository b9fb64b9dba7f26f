namespace AliyunIot.RemoteConfig
{
    /// <summary>How one config offer ended.</summary>
    public sealed class RemoteConfigOutcome
    {
        /// <summary>Creates an outcome.</summary>
        public RemoteConfigOutcome(string configId, int code, string message)
        {
            ConfigId = configId;
            Code = code;
            Message = message;
        }

        /// <summary>The offer's config id (null when the offer could not be read).</summary>
        public string ConfigId { get; private set; }

        /// <summary>200 when applied (or already applied); otherwise the reply code (460 refused, 400 failed).</summary>
        public int Code { get; private set; }

        /// <summary>What happened, without secrets.</summary>
        public string Message { get; private set; }

        /// <summary>True when the config is in use.</summary>
        public bool Succeeded
        {
            get { return Code == 200; }
        }
    }
}
