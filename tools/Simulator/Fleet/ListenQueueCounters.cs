namespace AliyunIot.Simulator.Fleet
{
    /// <summary>
    /// The kernel's count of connection attempts dropped because a listening socket's accept queue was full
    /// (<c>TcpExt: ListenOverflows</c> in /proc/net/netstat, machine-wide). mosquitto listens with a backlog of
    /// 100, so in a reconnect storm of hundreds of clients some SYNs are dropped and the client's TCP retries them
    /// after 1, 3, 7 s: that, not the devices' back-off, is what makes a storm's "connected" histogram lumpy.
    /// </summary>
    public static class ListenQueueCounters
    {
        /// <summary>The current ListenOverflows count, or -1 where /proc/net/netstat is not readable (not Linux).</summary>
        public static long ReadListenOverflows()
        {
            try
            {
                return Parse(File.ReadAllLines("/proc/net/netstat"), "TcpExt:", "ListenOverflows");
            }
            catch (IOException)
            {
                return -1;
            }
            catch (UnauthorizedAccessException)
            {
                return -1;
            }
        }

        /// <summary>Reads one counter from netstat's paired header/value lines; -1 when absent.</summary>
        public static long Parse(string[] lines, string prefix, string counter)
        {
            for (int i = 0; i + 1 < lines.Length; i++)
            {
                if (!lines[i].StartsWith(prefix, StringComparison.Ordinal) || !lines[i + 1].StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                string[] names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string[] values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int index = Array.IndexOf(names, counter);
                if (index > 0 && index < values.Length && long.TryParse(values[index], out long value))
                {
                    return value;
                }
            }

            return -1;
        }
    }
}
