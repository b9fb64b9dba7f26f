namespace AliyunIot.Connection
{
    /// <summary>
    /// Lets a component that downloads over HTTPS (the OTA agent, the remote-config agent) close the MQTT connection
    /// for the download and reopen it afterwards: on ESP32 boards without PSRAM two TLS sessions at once do not fit
    /// in the heap (<c>ota.closeMqttDuringDownload</c>). Implemented by the composition root (e.g. with the
    /// session's Stop/Start). In the core so that those components depend on the core only, not on each other.
    /// </summary>
    public interface IDownloadConnectionControl
    {
        /// <summary>Closes the connection before the download starts; QoS 1 reports stay queued meanwhile.</summary>
        void Suspend();

        /// <summary>Reconnects after the download (before the final report).</summary>
        void Resume();
    }
}
