namespace AliyunIot.Connection
{
    /// <summary>
    /// Names of <see cref="ConnectionStatus"/> values for log lines: on nanoFramework Enum.ToString() gives a number.
    /// </summary>
    public static class ConnectionStatusText
    {
        /// <summary>The status name, e.g. "BadCredentials".</summary>
        public static string Name(ConnectionStatus status)
        {
            switch (status)
            {
                case ConnectionStatus.Stopped: return "Stopped";
                case ConnectionStatus.Connecting: return "Connecting";
                case ConnectionStatus.Connected: return "Connected";
                case ConnectionStatus.WaitingToRetry: return "WaitingToRetry";
                case ConnectionStatus.BadCredentials: return "BadCredentials";
                case ConnectionStatus.NotAuthorized: return "NotAuthorized";
                case ConnectionStatus.ConfigurationRejected: return "ConfigurationRejected";
                case ConnectionStatus.IdentityInUse: return "IdentityInUse";
                case ConnectionStatus.TlsFailed: return "TlsFailed";
                case ConnectionStatus.NetworkDown: return "NetworkDown";
                default: return "Status" + ((int)status).ToString();
            }
        }
    }
}
