namespace AliyunIot.Ports
{
    /// <summary>
    /// Where <c>device.json</c> lives: <c>I:\device.json</c> on the ESP32, a file in the simulated flash folder
    /// on the host. Writes must be atomic (write a new file, then replace), because dynamic registration
    /// persists the obtained secret here before first use.
    /// </summary>
    public interface IConfigStore
    {
        /// <summary>The config text, or null when there is none.</summary>
        string Read();

        /// <summary>Replaces the config atomically.</summary>
        void Write(string json);
    }
}
