namespace AliyunIot.Provisioning
{
    /// <summary>How <see cref="DynamicRegistration.EnsureRegistered"/> ended.</summary>
    public enum RegistrationOutcome
    {
        /// <summary>Registered now; the credential is persisted and in the returned config.</summary>
        Registered = 0,
        /// <summary>The config already held a deviceSecret or deviceToken: nothing was sent.</summary>
        AlreadyProvisioned = 1,
        /// <summary>The platform refused (HTTP/Alink code ≠ 200, or CONNACK refused with both securemodes).</summary>
        Refused = 2,
        /// <summary>Network, TLS or HTTP transport failure; worth retrying later.</summary>
        NetworkError = 3,
        /// <summary>No answer within the timeout.</summary>
        Timeout = 4,
        /// <summary>The answer was not the expected JSON (or named another device).</summary>
        MalformedAnswer = 5,
        /// <summary>The credential arrived but could not be persisted; it was not used.</summary>
        StoreFailed = 6,
    }
}
