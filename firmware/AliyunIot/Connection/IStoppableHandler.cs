namespace AliyunIot.Connection
{
    /// <summary>
    /// A handler that runs work on threads of its own (e.g. the OTA download). <see cref="AliyunDevice.Stop"/> stops
    /// that work before it closes the session, so no thread of the device outlives Stop.
    /// </summary>
    public interface IStoppableHandler
    {
        /// <summary>Stops the handler's background work and waits at most <paramref name="timeoutMs"/> for it.</summary>
        /// <returns>false when the work did not end in time.</returns>
        bool Stop(int timeoutMs);
    }
}
