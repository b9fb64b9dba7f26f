namespace AliyunIot.Ota
{
    /// <summary>
    /// Lets the OTA agent close the MQTT connection for the download and reopen it afterwards
    /// (<see cref="OtaSettings.CloseMqttDuringDownload"/>): on ESP32 boards without PSRAM two TLS sessions at once
    /// do not fit in the heap. Implemented by the composition root (e.g. with the session's Stop/Start).
    /// </summary>
    public interface IOtaConnectionControl
    {
        /// <summary>Closes the connection before the download starts; QoS 1 reports stay queued meanwhile.</summary>
        void Suspend();

        /// <summary>Reconnects after the download (before the final report).</summary>
        void Resume();
    }
}
