using System.Collections;
using AliyunIot.Config;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.LogPost
{
    /// <summary>
    /// The <c>logPost</c> section of device.json:
    /// <c>{"level":"warn","intervalMs":10000,"maxBytesPerInterval":2048,"bufferBytes":4096,"maxLines":32,"maxLineChars":512}</c>;
    /// every field optional. At most one post of at most <see cref="MaxBytesPerInterval"/> bytes leaves every
    /// <see cref="IntervalMs"/>: with the defaults 0.1 message/s of the platform's 30, so logging can never crowd out
    /// property posts.
    /// </summary>
    public sealed class LogPostSettings
    {
        /// <summary>Lowest level posted while the cloud has not set one (the platform's switch only says on/off).</summary>
        public LogLevel Level = LogLevel.Warning;

        /// <summary>Shortest time between two posts.</summary>
        public int IntervalMs = 10000;

        /// <summary>Largest payload of one post (the byte budget per interval).</summary>
        public int MaxBytesPerInterval = 2048;

        /// <summary>Bytes of log lines held while waiting to be posted (offline, or over the budget); more are dropped and counted.</summary>
        public int BufferBytes = 4096;

        /// <summary>Lines held at most.</summary>
        public int MaxLines = 32;

        /// <summary>Longer log lines are cut to this many characters (Link SDK's limit is 4096).</summary>
        public int MaxLineChars = 512;

        /// <summary>Parses the section (null: defaults).</summary>
        /// <exception cref="ConfigException">A field of the wrong type or out of range (named).</exception>
        public static LogPostSettings Parse(Hashtable section)
        {
            LogPostSettings settings = new LogPostSettings();
            if (section == null)
            {
                return settings;
            }

            object level = JsonValues.Get(section, "level");
            if (level != null)
            {
                int parsed = level is string ? LogLevelNames.Parse((string)level) : -1;
                if (parsed < 0)
                {
                    throw new ConfigException("logPost.level", "must be \"debug\", \"info\", \"warn\" or \"error\"");
                }

                settings.Level = (LogLevel)parsed;
            }

            settings.IntervalMs = SectionValues.Int(section, "logPost", "intervalMs", settings.IntervalMs, 1000, 3600000);
            settings.MaxBytesPerInterval = SectionValues.Int(section, "logPost", "maxBytesPerInterval", settings.MaxBytesPerInterval, 512, 65536);
            settings.BufferBytes = SectionValues.Int(section, "logPost", "bufferBytes", settings.BufferBytes, 512, 262144);
            settings.MaxLines = SectionValues.Int(section, "logPost", "maxLines", settings.MaxLines, 1, 1024);
            settings.MaxLineChars = SectionValues.Int(section, "logPost", "maxLineChars", settings.MaxLineChars, 64, 4096);
            return settings;
        }
    }
}
