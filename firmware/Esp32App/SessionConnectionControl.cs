using AliyunIot.Connection;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// The RAM plan for ESP32 boards without PSRAM (ota.closeMqttDuringDownload): the OTA agent suspends the MQTT
    /// session for the HTTPS download, so only one TLS session (about 33 KB of native heap) exists at a time, and
    /// resumes it to send the final report. Called on the agent's own thread, never on the session's worker.
    /// </summary>
    public sealed class SessionConnectionControl : IDownloadConnectionControl
    {
        private readonly AliyunDevice _device;

        /// <summary>Controls <paramref name="device"/>'s session.</summary>
        public SessionConnectionControl(AliyunDevice device)
        {
            _device = device;
        }

        /// <inheritdoc />
        public void Suspend()
        {
            // The session only (not AliyunDevice.Stop, which stops the OTA job calling this): joins the session's
            // threads and closes the connection; queued QoS 1 reports stay in the outbox.
            _device.Session.Stop();
        }

        /// <inheritdoc />
        public void Resume()
        {
            _device.Session.Start();
        }
    }
}
