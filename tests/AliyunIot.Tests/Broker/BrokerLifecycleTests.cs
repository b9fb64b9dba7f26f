using System.Diagnostics;
using System.Text;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    using AliyunIot.TestBroker;

    /// <summary>
    /// Processes and threads: the broker is gone after Dispose, restarts on the same ports with the same devices,
    /// an abrupt kill is reported to connected transports exactly once, and Close leaves nothing running.
    /// </summary>
    public sealed class BrokerLifecycleTests
    {
        [Fact]
        public void The_broker_listens_only_on_its_two_loopback_ports()
        {
            // A listener setting before the first listener made mosquitto 2.0 open a default 0.0.0.0:1883 listener,
            // so two brokers at once (parallel tests) failed with "Address already in use".
            using var broker = AliyunIot.TestBroker.TestBroker.Start();
            string[] opened = broker.ReadLog().Split('\n').Where(l => l.Contains("listen socket on port", StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, opened.Length);
            Assert.Contains(opened, l => l.Contains("ipv4 listen socket on port " + broker.TlsPort + ".", StringComparison.Ordinal));
            Assert.Contains(opened, l => l.Contains("ipv4 listen socket on port " + broker.PlainPort + ".", StringComparison.Ordinal));
        }

        [Fact]
        public void Dispose_leaves_no_broker_process_and_no_files()
        {
            TestBroker broker = TestBroker.Start();
            int pid = broker.ProcessId;
            string dir = broker.WorkDirectory;
            Assert.True(IsAlive(pid));

            broker.Dispose();
            broker.Dispose();

            Assert.False(IsAlive(pid), "mosquitto " + pid + " is still running");
            Assert.False(Directory.Exists(dir));
        }

        [Fact]
        public void The_broker_opens_only_its_own_two_listeners()
        {
            // mosquitto 2.0.11 opens its default listener on 1883 when max_qos comes before the first listener; the
            // test brokers then failed to start whenever another process on the machine held port 1883.
            using TestBroker broker = TestBroker.Start();
            string log = broker.ReadLog();

            Assert.Contains("listen socket on port " + broker.TlsPort + ".", log);
            Assert.Contains("listen socket on port " + broker.PlainPort + ".", log);
            Assert.DoesNotContain("listen socket on port 1883", log);
        }

        [Fact]
        public void Restart_keeps_ports_and_devices_and_the_transport_reports_the_loss_once()
        {
            using TestBroker broker = TestBroker.Start();
            broker.AddDevice("pkR", "dev", "secret");
            int tls = broker.TlsPort;
            int plain = broker.PlainPort;
            int firstPid = broker.ProcessId;
            var listener = new RecordingListener();
            using var transport = new MosquittoTransport();
            Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(broker.CreateDeviceConnectRequest("pkR", "dev", "secret"), listener).Outcome);

            broker.Kill();
            string reason = listener.WaitForLost();
            broker.Restart();

            Assert.False(IsAlive(firstPid));
            Assert.StartsWith("connection lost", reason, StringComparison.Ordinal);
            Assert.False(transport.IsConnected);
            Assert.Equal(tls, broker.TlsPort);
            Assert.Equal(plain, broker.PlainPort);
            using var again = new MosquittoTransport();
            Assert.Equal(MqttConnectOutcome.Accepted, again.Connect(broker.CreateDeviceConnectRequest("pkR", "dev", "secret"), new RecordingListener()).Outcome);
            transport.Close();
            Assert.Single(listener.Lost);
        }

        [Fact]
        public void Broker_survives_ten_kill_and_restart_cycles()
        {
            using TestBroker broker = TestBroker.Start();
            broker.AddDevice("pkK", "dev", "secret");
            var pids = new HashSet<int>();
            for (int i = 0; i < 10; i++)
            {
                if (i % 2 == 0)
                {
                    broker.Kill();
                }

                broker.Restart();
                pids.Add(broker.ProcessId);
                using var transport = new MosquittoTransport();
                Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(broker.CreateDeviceConnectRequest("pkK", "dev", "secret"), new RecordingListener()).Outcome);
            }

            Assert.Equal(10, pids.Count);
            Assert.Single(pids, IsAlive);
        }

        [Fact]
        public void Close_stops_the_network_thread_and_reports_no_loss()
        {
            using TestBroker broker = TestBroker.Start();
            broker.AddDevice("pkC", "dev", "secret");
            using var log = new CapturingLog();
            log.Secret("secret");
            var listener = new RecordingListener();
            var transport = new MosquittoTransport(log);
            MqttConnectRequest request = broker.CreateDeviceConnectRequest("pkC", "dev", "secret", protocolVersion: 5);
            log.Secret(request.Password);
            Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(request, listener).Outcome);
            Thread loop = transport.LoopThreadForTests;
            Assert.True(loop.IsAlive);

            transport.Close();
            transport.Close();

            Assert.False(loop.IsAlive);
            Assert.False(transport.IsConnected);
            Assert.Equal(-1, transport.Publish("/sys/pkC/dev/x", new byte[1], 1, false, null));
            Assert.Equal(-1, transport.Subscribe(new[] { "/sys/pkC/dev/x" }, new[] { 1 }));
            Assert.Empty(listener.Lost);
            Assert.Contains("Client " + request.ClientIdentifier + " disconnected.", WaitForLog(broker, "disconnected."), StringComparison.Ordinal);
        }

        [Fact]
        public void Close_from_inside_a_callback_does_not_deadlock()
        {
            using TestBroker broker = TestBroker.Start();
            broker.AddDevice("pkCb", "dev", "secret");
            var closer = new ClosingListener();
            var transport = new MosquittoTransport();
            closer.Transport = transport;
            Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(broker.CreateDeviceConnectRequest("pkCb", "dev", "secret"), closer).Outcome);
            Thread loop = transport.LoopThreadForTests;
            int mid = transport.Subscribe(new[] { "/sys/pkCb/dev/thing/service/+" }, new[] { 1 });
            Assert.True(mid > 0);

            using (var cloud = new CloudClient(broker))
            {
                cloud.Connect();
                cloud.Publish("/sys/pkCb/dev/thing/service/stop", "x");
            }

            Assert.True(loop.Join(5000), "network thread did not end after Close from a callback");
            Assert.False(transport.IsConnected);
            transport.Close();
        }

        [Fact]
        public void A_throwing_listener_does_not_take_the_process_down()
        {
            using TestBroker broker = TestBroker.Start();
            broker.AddDevice("pkT", "dev", "secret");
            var transport = new MosquittoTransport();
            var listener = new ThrowingListener();
            Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(broker.CreateDeviceConnectRequest("pkT", "dev", "secret"), listener).Outcome);
            transport.Subscribe(new[] { "/sys/pkT/dev/thing/service/+" }, new[] { 1 });
            int mid = transport.Publish("/sys/pkT/dev/thing/event/property/post", Encoding.UTF8.GetBytes("{}"), 1, false, null);

            using (var cloud = new CloudClient(broker))
            {
                cloud.Connect();
                cloud.Publish("/sys/pkT/dev/thing/service/x", "boom");
            }

            Assert.True(SpinWait.SpinUntil(() => listener.Calls >= 3, 5000), "listener saw " + listener.Calls + " calls");
            Assert.True(mid > 0);
            Assert.True(transport.IsConnected);
            transport.Close();
        }

        [Fact]
        public void No_connack_within_the_timeout_is_a_timeout()
        {
            // A TCP listener that accepts and never answers.
            var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            silent.Start();
            try
            {
                var request = new MqttConnectRequest
                {
                    Host = "127.0.0.1",
                    Port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port,
                    UseTls = false,
                    ClientIdentifier = "x|securemode=3|",
                    Username = "d&p",
                    Password = "p",
                    ConnectTimeoutMs = 300,
                };
                using var transport = new MosquittoTransport();

                MqttConnectResult result = transport.Connect(request, new RecordingListener());

                Assert.Equal(MqttConnectOutcome.Timeout, result.Outcome);
                Thread loop = transport.LoopThreadForTests;
                Assert.False(loop.IsAlive);
            }
            finally
            {
                silent.Stop();
            }
        }

        [Fact]
        public void Close_during_connect_ends_the_attempt_promptly()
        {
            var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            silent.Start();
            try
            {
                var request = new MqttConnectRequest
                {
                    Host = "127.0.0.1",
                    Port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port,
                    UseTls = false,
                    ClientIdentifier = "x|securemode=3|",
                    ConnectTimeoutMs = 30000,
                };
                var transport = new MosquittoTransport();
                var listener = new RecordingListener();
                MqttConnectResult result = null;
                var connecting = new Thread(() => result = transport.Connect(request, listener));
                connecting.Start();
                Assert.True(SpinWait.SpinUntil(() => transport.LoopThreadForTests != null, 5000));

                transport.Close();

                Assert.True(connecting.Join(5000), "Connect did not return after Close");
                Assert.Equal(MqttConnectOutcome.NetworkError, result.Outcome);
                Assert.False(transport.LoopThreadForTests.IsAlive);
                Assert.Empty(listener.Lost);
            }
            finally
            {
                silent.Stop();
            }
        }

        [Fact]
        public void A_transport_connects_only_once()
        {
            using var transport = new MosquittoTransport();
            var request = new MqttConnectRequest { Host = "127.0.0.1", Port = 1, UseTls = false, ClientIdentifier = "x" };
            transport.Connect(request, new RecordingListener());

            Assert.Throws<InvalidOperationException>(() => transport.Connect(request, new RecordingListener()));
        }

        private static string WaitForLog(TestBroker broker, string fragment)
        {
            SpinWait.SpinUntil(() => broker.ReadLog().Contains(fragment, StringComparison.Ordinal), 5000);
            return broker.ReadLog();
        }

        private static bool IsAlive(int pid)
        {
            try
            {
                using Process p = Process.GetProcessById(pid);
                return !p.HasExited && File.Exists("/proc/" + pid + "/status") && !File.ReadAllText("/proc/" + pid + "/status").Contains("State:\tZ", StringComparison.Ordinal);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        private sealed class ClosingListener : IMqttTransportListener
        {
            public MosquittoTransport Transport;

            public void OnMessage(string topic, byte[] payload) => Transport.Close();

            public void OnPublished(int packetId, int reasonCode)
            {
            }

            public void OnSubscribed(int packetId, int[] grantedQos)
            {
            }

            public void OnConnectionLost(string reason)
            {
            }
        }

        private sealed class ThrowingListener : IMqttTransportListener
        {
            private int _calls;

            public int Calls => Volatile.Read(ref _calls);

            public void OnMessage(string topic, byte[] payload) => Throw();

            public void OnPublished(int packetId, int reasonCode) => Throw();

            public void OnSubscribed(int packetId, int[] grantedQos) => Throw();

            public void OnConnectionLost(string reason) => Throw();

            private void Throw()
            {
                Interlocked.Increment(ref _calls);
                throw new InvalidOperationException("listener bug");
            }
        }
    }
}
