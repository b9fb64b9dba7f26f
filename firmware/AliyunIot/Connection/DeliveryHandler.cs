namespace AliyunIot.Connection
{
    /// <summary>
    /// Told how a QoS 1 message ended. Runs on the session's worker thread (the one that runs message handlers),
    /// so a component never sees it concurrently with its own <see cref="IMessageHandler.Handle"/>.
    /// </summary>
    /// <param name="token">The caller's token from <see cref="PublishOptions.Token"/>.</param>
    /// <param name="outcome">Acknowledged, refused by the broker, or dropped by the offline policy.</param>
    /// <param name="reasonCode">PUBACK reason code (0 on MQTT 3.1.1), -1 when no PUBACK was involved.</param>
    public delegate void DeliveryHandler(object token, DeliveryOutcome outcome, int reasonCode);
}
