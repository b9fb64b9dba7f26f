namespace AliyunIot.Time
{
    /// <summary>Raised after a valid NTP answer.</summary>
    /// <param name="utcMs">Accurate UTC (ms since the epoch) at the moment the answer arrived.</param>
    /// <param name="offsetMs">UTC ms minus the device's monotonic ms: UTC now = monotonic now + offset.</param>
    public delegate void TimeSyncedHandler(long utcMs, long offsetMs);
}
