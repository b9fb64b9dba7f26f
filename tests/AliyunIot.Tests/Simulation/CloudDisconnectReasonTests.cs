using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Traffic;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// Why a connection ended (issue 15, deliverable 4): the device's own DISCONNECT, a second login with the same
    /// identity, and a link that went silent (offline after 1.5 × the keep-alive, MQTT 3.1.1 §3.1.2.10, which the
    /// platform applies) — each shown on the device's state (the console's status column) and in the traffic log
    /// (<c>cloud watch</c>, the console's message log), with plain MQTT clients.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class CloudDisconnectReasonTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        private readonly TempFolder _temp = new TempFolder("cloud-reasons");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly LocalCloud _cloud;
        private readonly RegisteredDevice _device;

        public CloudDisconnectReasonTests()
        {
            _cloud = CloudHosting.Start(_temp.Path, _log);
            _device = _cloud.Register(null, "reason-001");
            _log.Secret(_device.DeviceSecret);
        }

        public void Dispose()
        {
            _cloud.Dispose();
            _log.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void A_device_that_disconnects_is_shown_offline_with_that_reason()
        {
            new RawDevice(_cloud, _device).Dispose();

            // The presence and mosquitto's reason arrive on different paths: wait for both.
            Assert.True(_cloud.WaitUntil(() => !State().Online && State().OfflineReason != null, Wait));
            Assert.Equal("the device disconnected (DISCONNECT)", State().OfflineReason);
            Assert.Contains(Disconnects(), e => e.Detail == "the device disconnected (DISCONNECT)");
            Assert.Equal("the device disconnected (DISCONNECT)", (string)State().ToJson()["offlineReason"]);
        }

        [Fact]
        public void A_second_login_with_the_same_identity_kicks_the_first_and_the_log_says_so()
        {
            using var first = new RawDevice(_cloud, _device);
            var broker = ((TestBrokerHost)_cloud.Broker).Broker;
            var listener = new Broker.RecordingListener();
            using var second = new MosquittoTransport();
            MqttConnectResult result = second.Connect(broker.CreateDeviceConnectRequest(_device.ProductKey, _device.DeviceName, _device.DeviceSecret, clientId: "second-connection"), listener);
            Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);

            Assert.True(_cloud.WaitUntil(() => Disconnects().Any(e => e.Detail != null && e.Detail.StartsWith("kicked", StringComparison.Ordinal)), Wait));
            Assert.True(_cloud.WaitUntil(() => State().Online, Wait), "the new connection is online");
            TrafficEntry kicked = Disconnects().Last();
            Assert.Contains(_cloud.Traffic.Since(kicked.Sequence, _device.DeviceName), e => e.Kind == TrafficEntry.Connect);
        }

        [Fact]
        public void A_link_that_goes_silent_is_offline_after_one_and_a_half_keep_alives()
        {
            // A plain MQTT client that logs in with the shortest keep-alive the platform takes (30 s) and then sends
            // nothing at all, not even PINGREQ: a device whose network died without a FIN.
            var broker = ((TestBrokerHost)_cloud.Broker).Broker;
            MqttConnectRequest request = broker.CreateDeviceConnectRequest(_device.ProductKey, _device.DeviceName, _device.DeviceSecret, useTls: false);
            using var socket = new TcpClient();
            socket.Connect(IPAddress.Loopback, broker.PlainPort);
            NetworkStream stream = socket.GetStream();
            stream.Write(ConnectPacket(request.ClientIdentifier, request.Username, request.Password, keepAliveSeconds: 30));
            var connack = new byte[4];
            stream.ReadExactly(connack);
            Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, connack);
            Assert.True(_cloud.WaitUntil(() => State().Online, Wait));
            var silent = Stopwatch.StartNew();

            Assert.True(_cloud.WaitUntil(() => !State().Online && State().OfflineReason != null, TimeSpan.FromSeconds(90)), "the silent device is still shown online");

            // Not a timed assertion: the number is printed; the reason says which rule took the device offline.
            Console.WriteLine($"silent device shown offline after {silent.Elapsed.TotalSeconds:0.0} s (keep-alive 30 s)");
            Assert.Equal("keep-alive timeout: nothing received for 1.5 x the keep-alive", State().OfflineReason);
            Assert.Contains(Disconnects(), e => e.Detail == State().OfflineReason);
        }

        private DeviceState State() => _cloud.State(_device.ProductKey, _device.DeviceName);

        private List<TrafficEntry> Disconnects() =>
            _cloud.Traffic.Since(0, _device.DeviceName).Where(e => e.Kind == TrafficEntry.Disconnect).ToList();

        private static byte[] ConnectPacket(string clientId, string username, string password, int keepAliveSeconds)
        {
            var body = new List<byte> { 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0xC2, (byte)(keepAliveSeconds >> 8), (byte)keepAliveSeconds };
            foreach (string field in new[] { clientId, username, password })
            {
                byte[] bytes = Encoding.UTF8.GetBytes(field);
                body.Add((byte)(bytes.Length >> 8));
                body.Add((byte)bytes.Length);
                body.AddRange(bytes);
            }

            var packet = new List<byte> { 0x10 };
            int length = body.Count;
            do
            {
                byte digit = (byte)(length % 128);
                length /= 128;
                packet.Add(length > 0 ? (byte)(digit | 0x80) : digit);
            }
            while (length > 0);

            packet.AddRange(body);
            return packet.ToArray();
        }
    }
}
