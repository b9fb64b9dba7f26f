using System.Collections.Concurrent;
using System.Text;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// A bare device connection (signed CONNECT over TLS, no core) for pinning what the local cloud answers on the
    /// wire, independent of the firmware components.
    /// </summary>
    internal sealed class RawDevice : IMqttTransportListener, IDisposable
    {
        private readonly MosquittoTransport _transport = new MosquittoTransport();
        private readonly BlockingCollection<(string Topic, string Payload)> _inbox = new BlockingCollection<(string, string)>();
        private readonly BlockingCollection<int> _subacks = new BlockingCollection<int>();

        /// <summary>Connects and waits until the cloud sees the device online (its presence is asynchronous).</summary>
        public RawDevice(LocalCloud cloud, RegisteredDevice device)
        {
            var broker = ((TestBrokerHost)cloud.Broker).Broker;
            MqttConnectResult result = _transport.Connect(broker.CreateDeviceConnectRequest(device.ProductKey, device.DeviceName, device.DeviceSecret), this);
            if (!_transport.IsConnected)
            {
                throw new InvalidOperationException("device could not connect: " + result.Outcome + " " + result.Detail);
            }

            if (!cloud.WaitUntil(() => cloud.State(device.ProductKey, device.DeviceName).Online, TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("the cloud never saw " + device.DeviceName + " online");
            }
        }

        public void Subscribe(params string[] filters)
        {
            int packetId = _transport.Subscribe(filters, filters.Select(_ => 1).ToArray());
            if (packetId < 0)
            {
                throw new InvalidOperationException("SUBSCRIBE not sent");
            }

            // The cloud may publish as soon as this returns: after the SUBACK the broker has the subscription.
            while (true)
            {
                if (!_subacks.TryTake(out int acked, TimeSpan.FromSeconds(10)))
                {
                    throw new TimeoutException("no SUBACK for " + string.Join(", ", filters));
                }

                if (acked == packetId)
                {
                    return;
                }
            }
        }

        public void Publish(string topic, string payload, int qos = 1) => _transport.Publish(topic, Encoding.UTF8.GetBytes(payload), qos, false, null);

        public (string Topic, string Payload) Next(TimeSpan timeout) =>
            _inbox.TryTake(out var message, timeout) ? message : throw new TimeoutException("nothing received");

        public void Dispose() => _transport.Close();

        void IMqttTransportListener.OnMessage(string topic, byte[] payload) => _inbox.Add((topic, Encoding.UTF8.GetString(payload)));

        void IMqttTransportListener.OnPublished(int packetId, int reasonCode)
        {
        }

        void IMqttTransportListener.OnSubscribed(int packetId, int[] grantedQos) => _subacks.Add(packetId);

        void IMqttTransportListener.OnConnectionLost(string reason)
        {
        }
    }
}
