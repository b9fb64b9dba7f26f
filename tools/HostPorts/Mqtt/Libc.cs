using System.Runtime.InteropServices;

namespace AliyunIot.HostPorts.Mqtt
{
    /// <summary>
    /// The few Linux libc calls the MQTT network loop needs: <c>poll(2)</c> (no descriptor-number limit, unlike the
    /// <c>select</c>/<c>pselect</c> that <c>mosquitto_loop</c> uses, which fails for descriptors ≥ 1024) and an
    /// <c>eventfd(2)</c> that other threads use to wake the loop when they queue a packet.
    /// </summary>
    internal static unsafe partial class Libc
    {
        private const string Lib = "libc";

        internal const short PollIn = 0x001;
        internal const short PollOut = 0x004;
        internal const short PollErr = 0x008;
        internal const short PollHup = 0x010;
        internal const short PollNval = 0x020;

        internal const int EIntr = 4;

        private const int EfdCloexec = 0x80000;
        private const int EfdNonblock = 0x800;

        /// <summary><c>struct pollfd</c>.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            internal int Fd;
            internal short Events;
            internal short Revents;
        }

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int poll(PollFd* fds, nuint count, int timeoutMs);

        [LibraryImport(Lib, EntryPoint = "eventfd", SetLastError = true)]
        private static partial int eventfd_native(uint initval, int flags);

        [LibraryImport(Lib, SetLastError = true)]
        private static partial nint read(int fd, void* buffer, nuint count);

        [LibraryImport(Lib, SetLastError = true)]
        private static partial nint write(int fd, void* buffer, nuint count);

        [LibraryImport(Lib, SetLastError = true)]
        internal static partial int close(int fd);

        /// <summary>A non-blocking, close-on-exec eventfd, or -1.</summary>
        internal static int CreateEventFd() => eventfd_native(0, EfdNonblock | EfdCloexec);

        /// <summary>Adds one to the eventfd's counter (makes it readable); never blocks.</summary>
        internal static void Signal(int fd)
        {
            ulong one = 1;
            write(fd, &one, sizeof(ulong));
        }

        /// <summary>Resets the eventfd's counter to zero; never blocks.</summary>
        internal static void Drain(int fd)
        {
            ulong value;
            read(fd, &value, sizeof(ulong));
        }
    }
}
