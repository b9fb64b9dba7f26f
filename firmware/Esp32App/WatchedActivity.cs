namespace AliyunIot.Esp32
{
    /// <summary>One activity the <see cref="SoftwareWatchdog"/> expects to hear from.</summary>
    internal sealed class WatchedActivity
    {
        /// <summary>Creates the record.</summary>
        public WatchedActivity(string name, int allowanceMs, long now)
        {
            Name = name;
            AllowanceMs = allowanceMs;
            LastBeat = now;
        }

        /// <summary>Name for the log.</summary>
        public string Name;

        /// <summary>Longest allowed silence.</summary>
        public int AllowanceMs;

        /// <summary>Uptime (ms) of the last beat.</summary>
        public long LastBeat;

        /// <summary>Not watched while true.</summary>
        public bool Paused;
    }
}
