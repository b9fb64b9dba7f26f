using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Session
{
    /// <summary>Stop discards incoming messages that were not handled yet: it counts and logs them.</summary>
    public class StopAccountingTests
    {
        private static readonly DeviceTopics Topics = new DeviceTopics("a1Prod", "dev1");

        [Fact]
        public void StopCountsAndLogsTheIncomingMessagesItDiscards()
        {
            var factory = new FakeTransportFactory();
            using var log = new CapturingLog();
            var options = new SessionOptions { MessagesPerSecond = 0, BackoffBaseMs = 5, BackoffCapMs = 20, StableAfterMs = 60000, RequestTimeoutMs = 200 };
            var session = new SessionSupervisor(options, Topics, new FixedRequests(() => new MqttConnectRequest { Host = "fake", Port = 1, ClientIdentifier = "c", Username = "u", Password = "p" }),
                factory, new SystemClock(), new SystemRandom(), log);
            var gate = new ManualResetEventSlim(false);
            var handler = new StoppingHandler(session, gate);
            session.AddHandler(handler);
            session.Start();
            Eventually.True(() => session.Status == ConnectionStatus.Connected, 5000, "connected");

            // The first message holds the worker; four more wait in the queue; then the handler stops the session
            // (on the worker itself, so what is still queued is deterministic).
            var listener = factory.Last.Listener;
            for (int i = 0; i < 5; i++)
            {
                listener.OnMessage("/a/" + i, Encoding.UTF8.GetBytes("m" + i));
            }

            gate.Set();
            Eventually.True(() => session.Status == ConnectionStatus.Stopped, 10000, "stopped");
            Assert.Equal(1, handler.Handled);
            Assert.Equal(4, session.Counters.MessagesDiscarded);
            Assert.True(log.Contains("stop discarded 4 incoming message(s)"));
        }

        private sealed class StoppingHandler : IMessageHandler
        {
            private readonly SessionSupervisor _session;
            private readonly ManualResetEventSlim _gate;

            public StoppingHandler(SessionSupervisor session, ManualResetEventSlim gate)
            {
                _session = session;
                _gate = gate;
            }

            public int Handled;

            public void AddSubscriptions(ArrayList topics) => topics.Add("/a/#");

            public bool Handle(string topic, byte[] payload)
            {
                _gate.Wait(10000);
                Handled++;
                _session.Stop();
                return true;
            }
        }
    }
}
