using System.Threading;
using AliyunIot.Ports;
using nanoFramework.Runtime.Native;

namespace AliyunIot.Esp32
{
    /// <summary><see cref="IRestart"/> as a full reboot of the ESP32 (the loader then picks the slot again).</summary>
    public sealed class RebootRestart : IRestart
    {
        private readonly ILog _log;

        /// <summary>Creates the restarter.</summary>
        public RebootRestart(ILog log)
        {
            _log = log;
        }

        /// <inheritdoc />
        public void Restart(string reason)
        {
            _log.Write(LogLevel.Warning, "device", "Rebooting: " + reason);

            // Give the serial line a moment so the reason reaches whoever is watching the log.
            Thread.Sleep(200);
            Power.RebootDevice(RebootOption.NormalReboot);
        }
    }
}
