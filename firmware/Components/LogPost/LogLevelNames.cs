using AliyunIot.Ports;

namespace AliyunIot.LogPost
{
    /// <summary>
    /// The platform's log level names. Link SDK 4.x <c>aiot_logpost_api.c</c> (logpost_loglevel[]) sends FATAL, ERROR,
    /// WARN, INFO and DEBUG; the core's four levels map onto the last four.
    /// </summary>
    public static class LogLevelNames
    {
        /// <summary>The wire name of a level: DEBUG, INFO, WARN or ERROR.</summary>
        public static string Of(LogLevel level)
        {
            switch (level)
            {
                case LogLevel.Debug:
                    return "DEBUG";
                case LogLevel.Info:
                    return "INFO";
                case LogLevel.Warning:
                    return "WARN";
                default:
                    return "ERROR";
            }
        }

        /// <summary>A level from its name (any case; WARNING and FATAL accepted), or -1.</summary>
        public static int Parse(string name)
        {
            if (name == null)
            {
                return -1;
            }

            string upper = name.ToUpper();
            if (upper == "DEBUG")
            {
                return (int)LogLevel.Debug;
            }

            if (upper == "INFO")
            {
                return (int)LogLevel.Info;
            }

            if (upper == "WARN" || upper == "WARNING")
            {
                return (int)LogLevel.Warning;
            }

            if (upper == "ERROR" || upper == "FATAL")
            {
                return (int)LogLevel.Error;
            }

            return -1;
        }
    }
}
