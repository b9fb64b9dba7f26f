using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    using AliyunIot.TestBroker;

    /// <summary>
    /// The test broker takes a connection storm like the platform's front ends do: its listening sockets have a
    /// long accept queue (mosquitto alone asks for 100), so while the broker is busy the kernel still completes
    /// the TCP handshakes of hundreds of reconnecting devices instead of dropping their SYNs, whose resend after
    /// 1, 3, 7 s would otherwise shape a fleet's reconnect histogram. No timing is asserted: while mosquitto is
    /// frozen (SIGSTOP) it accepts nothing, so a handshake beyond the queue's length can never complete, however
    /// long the test waits (the kernel drops its SYN while the queue is full); all 300 completing proves the queue.
    /// Skipped, with the reason, where net.core.somaxconn caps the queue below the storm.
    /// </summary>
    public sealed class BrokerAcceptQueueTests : IClassFixture<BrokerFixture>
    {
        private const int Storm = 300;
        private const int SigStop = 19;
        private const int SigCont = 18;

        // Only a guard against a hung test: a short queue fails this test by never completing, not by being slow.
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

        private readonly TestBroker _broker;

        public BrokerAcceptQueueTests(BrokerFixture fixture)
        {
            _broker = fixture.Broker;
        }

        [AcceptQueueFact(Storm)]
        public void Three_hundred_connections_complete_their_handshake_while_the_broker_is_frozen()
        {
            var sockets = new List<Socket>();
            int pid = _broker.ProcessId;
            Assert.Equal(0, kill(pid, SigStop));
            try
            {
                var pending = new List<(Socket Socket, Task Connect)>();
                for (int i = 0; i < Storm; i++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    sockets.Add(socket);
                    pending.Add((socket, socket.ConnectAsync(_broker.Host, _broker.PlainPort)));
                }

                try
                {
                    Task.WaitAll(pending.Select(p => p.Connect).ToArray(), HangGuard);
                }
                catch (AggregateException)
                {
                    // A refused or reset connect is counted below as not completed.
                }

                int done = pending.Count(p => p.Connect.IsCompletedSuccessfully);
                Assert.True(done == Storm, done + " of " + Storm + " handshakes completed while mosquitto could not accept: its accept queue is short");
            }
            finally
            {
                kill(pid, SigCont);
                foreach (Socket s in sockets)
                {
                    s.Dispose();
                }
            }

            Assert.True(_broker.IsRunning);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }
}
