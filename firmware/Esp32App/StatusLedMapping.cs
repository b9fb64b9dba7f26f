using AliyunIot.Connection;

namespace AliyunIot.Esp32
{
    /// <summary>Which LED pattern shows which session status.</summary>
    public static class StatusLedMapping
    {
        /// <summary>The pattern for <paramref name="status"/>.</summary>
        public static LedPattern For(ConnectionStatus status)
        {
            switch (status)
            {
                case ConnectionStatus.Connected:
                    return LedPattern.Online;
                case ConnectionStatus.BadCredentials:
                case ConnectionStatus.NotAuthorized:
                case ConnectionStatus.ConfigurationRejected:
                case ConnectionStatus.IdentityInUse:
                    // Causes a person has to fix (console, device.json): distinct from "still trying".
                    return LedPattern.Error;
                case ConnectionStatus.Stopped:
                    return LedPattern.Off;
                default:
                    return LedPattern.CloudConnecting;
            }
        }
    }
}
