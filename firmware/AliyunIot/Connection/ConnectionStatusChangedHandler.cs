namespace AliyunIot.Connection
{
    /// <summary>
    /// Receives every status change of the session. Runs on the session's worker thread (the one that runs the
    /// message handlers), so it must return quickly.
    /// </summary>
    /// <param name="status">The new status.</param>
    /// <param name="reason">Why, in words, for logs and displays; never contains a secret.</param>
    public delegate void ConnectionStatusChangedHandler(ConnectionStatus status, string reason);
}
