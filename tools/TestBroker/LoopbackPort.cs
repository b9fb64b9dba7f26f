using System.Net;
using System.Net.Sockets;

namespace AliyunIot.TestBroker
{
    /// <summary>Free TCP ports on 127.0.0.1 for the servers the tests and the local cloud start.</summary>
    public static class LoopbackPort
    {
        /// <summary>
        /// A port the kernel just handed out on 127.0.0.1 and that is free again. Another process may take it before
        /// the caller binds: callers retry with a new port when their bind fails.
        /// </summary>
        public static int Free()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
