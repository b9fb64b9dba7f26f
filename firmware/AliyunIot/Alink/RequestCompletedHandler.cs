namespace AliyunIot.Alink
{
    /// <summary>Called once when a pending request ends (reply, timeout, eviction or cancel). Runs outside any lock.</summary>
    public delegate void RequestCompletedHandler(RequestOutcome outcome);
}
