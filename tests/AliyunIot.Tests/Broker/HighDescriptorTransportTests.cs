using System.Text;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    using AliyunIot.TestBroker;

    /// <summary>
    /// A process that simulates a fleet holds thousands of descriptors. The host transport must keep working when
    /// its socket's descriptor number is above 1023: libmosquitto's own <c>mosquitto_loop</c> waits with
    /// <c>pselect</c> and refuses such descriptors, which capped a fleet at ~300 devices per process.
    /// </summary>
    public sealed class HighDescriptorTransportTests : IClassFixture<BrokerFixture>, IDisposable
    {
        private const int SelectLimit = 1024;

        private readonly TestBroker _broker;
        private readonly List<SafeFileHandle> _ballast = new List<SafeFileHandle>();

        public HighDescriptorTransportTests(BrokerFixture fixture)
        {
            _broker = fixture.Broker;
            _broker.AddDevice("pkFd", "high", "high-secret");
        }

        public void Dispose()
        {
            foreach (SafeFileHandle h in _ballast)
            {
                h.Dispose();
            }
        }

        [Theory]
        [InlineData(4)]
        [InlineData(5)]
        public void A_transport_whose_descriptors_are_above_1023_connects_subscribes_receives_and_publishes(int version)
        {
            using var cloud = new CloudClient(_broker);
            cloud.Connect();
            cloud.Subscribe("/sys/pkFd/high/thing/event/#");
            OccupyDescriptorsBelow(SelectLimit + 8);

            using var transport = new MosquittoTransport();
            var hears = new RecordingListener();
            MqttConnectResult result = transport.Connect(_broker.CreateDeviceConnectRequest("pkFd", "high", "high-secret", protocolVersion: version), hears);
            Assert.Equal(MqttConnectOutcome.Accepted, result.Outcome);

            int sub = transport.Subscribe(new[] { "/sys/pkFd/high/thing/service/property/set" }, new[] { 1 });
            Assert.True(sub > 0);
            Assert.Equal(new[] { 1 }, hears.WaitForSuback(sub));

            cloud.Publish("/sys/pkFd/high/thing/service/property/set", "{\"id\":\"1\"}");
            Assert.Equal("{\"id\":\"1\"}", hears.WaitForMessage("/sys/pkFd/high/thing/service/property/set").PayloadText);

            // Published from this (non-network) thread: the loop must be woken to send it.
            int mid = transport.Publish("/sys/pkFd/high/thing/event/property/post", Encoding.UTF8.GetBytes("{\"id\":\"2\"}"), 1, false, null);
            Assert.True(mid > 0);
            Assert.Equal(0, hears.WaitForPuback(mid));
            Assert.Equal("{\"id\":\"2\"}", cloud.WaitForMessage("/sys/pkFd/high/thing/event/property/post", TimeSpan.FromSeconds(5)).PayloadText);

            transport.Close();
            Assert.Empty(hears.Lost);
        }

        /// <summary>Opens /dev/null until the lowest free descriptor is at least <paramref name="number"/>.</summary>
        private void OccupyDescriptorsBelow(int number)
        {
            while (true)
            {
                SafeFileHandle h;
                try
                {
                    h = File.OpenHandle("/dev/null");
                }
                catch (IOException e)
                {
                    throw new InvalidOperationException(
                        "cannot open enough descriptors for this test (raise `ulimit -n` above " + (number + 64) + "): " + e.Message, e);
                }

                _ballast.Add(h);
                if ((long)h.DangerousGetHandle() >= number)
                {
                    return;
                }
            }
        }
    }
}
