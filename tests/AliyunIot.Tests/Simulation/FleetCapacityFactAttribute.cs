using Xunit;

namespace AliyunIot.Tests.Simulation;

/// <summary>
/// A fact that runs a fleet of <c>devices</c> simulated devices in this process: about four threads and five
/// descriptors per device. Reported as SKIPPED, with the limit to raise, where the machine's limits cannot host that
/// many (so a small container never counts it as passed); runs everywhere else.
/// </summary>
public sealed class FleetCapacityFactAttribute : FactAttribute
{
    private const int ThreadsPerDevice = 4;
    private const int DescriptorsPerDevice = 5;
    private const int Headroom = 2000;

    /// <summary>Creates the attribute for a fleet of <paramref name="devices"/>.</summary>
    public FleetCapacityFactAttribute(int devices)
    {
        long threads = (long)devices * ThreadsPerDevice + Headroom;
        long descriptors = (long)devices * DescriptorsPerDevice + Headroom;
        long maxProcesses = Limit("Max processes", soft: true);
        long maxFiles = Limit("Max open files", soft: false); // .NET raises the soft limit to the hard one at start.
        long cgroupPids = CgroupPidsMax();
        if (maxProcesses >= 0 && maxProcesses < threads)
        {
            Skip = $"ulimit -u is {maxProcesses}: a fleet of {devices} needs about {threads} threads.";
        }
        else if (cgroupPids >= 0 && cgroupPids < threads)
        {
            Skip = $"the cgroup's pids.max is {cgroupPids}: a fleet of {devices} needs about {threads} threads.";
        }
        else if (maxFiles >= 0 && maxFiles < descriptors)
        {
            Skip = $"ulimit -Hn is {maxFiles}: a fleet of {devices} needs about {descriptors} descriptors.";
        }
    }

    /// <summary>A limit from /proc/self/limits; -1 when unlimited or unreadable.</summary>
    private static long Limit(string name, bool soft)
    {
        try
        {
            foreach (string line in File.ReadAllLines("/proc/self/limits"))
            {
                if (!line.StartsWith(name, StringComparison.Ordinal))
                {
                    continue;
                }

                string[] fields = line.Substring(name.Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length >= 2 && long.TryParse(fields[soft ? 0 : 1], out long value) ? value : -1;
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }

    private static long CgroupPidsMax()
    {
        try
        {
            string text = File.ReadAllText("/sys/fs/cgroup/pids.max").Trim();
            return long.TryParse(text, out long value) ? value : -1;
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
