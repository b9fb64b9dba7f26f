namespace AliyunIot.Ports
{
    /// <summary>Restarts the device (on the ESP32 a reboot; on the host a restart of the application).</summary>
    public interface IRestart
    {
        /// <summary>Restarts; on the device this call does not return.</summary>
        /// <param name="reason">Why, for the log.</param>
        void Restart(string reason);
    }
}
