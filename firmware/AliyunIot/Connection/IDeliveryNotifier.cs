namespace AliyunIot.Connection
{
    /// <summary>Where the outbox hands delivery notifications so they run on the worker thread.</summary>
    internal interface IDeliveryNotifier
    {
        void Notify(DeliveryHandler handler, object token, DeliveryOutcome outcome, int reasonCode);
    }
}
