namespace AliyunIot.Esp32
{
    /// <summary>What the status LED shows; each state has a rhythm that can be told apart without a serial cable.</summary>
    public enum LedPattern
    {
        /// <summary>Off.</summary>
        Off = 0,
        /// <summary>Two short flashes every 2 s: no usable I:\device.json — provision the unit (flash.ps1).</summary>
        NoConfig = 1,
        /// <summary>Slow blink (1 Hz): joining WiFi.</summary>
        WifiConnecting = 2,
        /// <summary>Fast blink (4 Hz): waiting for time or connecting to the cloud.</summary>
        CloudConnecting = 3,
        /// <summary>On, with a short dark blip every 3 s: online.</summary>
        Online = 4,
        /// <summary>Flicker (10 Hz): downloading or installing an update.</summary>
        Ota = 5,
        /// <summary>Three long flashes then a pause: an error the device cannot fix itself (bad credentials, bad config field).</summary>
        Error = 6,
    }
}
