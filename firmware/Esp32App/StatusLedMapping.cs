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

        /// <summary>A word for the log (enums print as numbers on nanoFramework).</summary>
        public static string Name(ConnectionStatus status)
        {
            switch (status)
            {
                case ConnectionStatus.Stopped:
                    return "stopped";
                case ConnectionStatus.Connecting:
                    return "connecting";
                case ConnectionStatus.Connected:
                    return "connected";
                case ConnectionStatus.WaitingToRetry:
                    return "waiting to retry";
                case ConnectionStatus.BadCredentials:
                    return "bad credentials";
                case ConnectionStatus.NotAuthorized:
                    return "not authorized";
                case ConnectionStatus.ConfigurationRejected:
                    return "configuration rejected";
                case ConnectionStatus.IdentityInUse:
                    return "identity in use elsewhere";
                case ConnectionStatus.TlsFailed:
                    return "TLS failed";
                default:
                    return "network down";
            }
        }
    }
}
