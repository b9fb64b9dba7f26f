using Xunit;

namespace AliyunIot.Tests.Broker;

/// <summary>
/// A fact that needs the kernel to queue <c>connections</c> completed handshakes on one listening socket. The queue a
/// listener gets is the smaller of what it asks (the test broker asks 4,096) and net.core.somaxconn, so where
/// somaxconn is smaller (older kernels default to 128; containers may not allow raising it) the test is reported as
/// SKIPPED with the setting to raise, never failed and never counted as passed.
/// </summary>
public sealed class AcceptQueueFactAttribute : FactAttribute
{
    private const string SomaxconnPath = "/proc/sys/net/core/somaxconn";

    /// <summary>Creates the attribute for a storm of <paramref name="connections"/>.</summary>
    public AcceptQueueFactAttribute(int connections)
    {
        long somaxconn = Read();
        if (somaxconn < 0)
        {
            Skip = $"{SomaxconnPath} cannot be read: the accept queue this test needs ({connections}) cannot be checked here.";
        }
        else if (somaxconn < connections)
        {
            Skip = $"net.core.somaxconn is {somaxconn}: a storm of {connections} handshakes needs at least {connections} (sysctl -w net.core.somaxconn={Math.Max(connections, 4096)}).";
        }
    }

    private static long Read()
    {
        try
        {
            return long.TryParse(File.ReadAllText(SomaxconnPath).Trim(), out long value) ? value : -1;
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
