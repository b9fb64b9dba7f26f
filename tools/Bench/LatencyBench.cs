using System.Diagnostics;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Simulator.Device;
using AliyunIot.Simulator.Fleet;
using AliyunIot.TestBroker;
using AliyunIot.Thing;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Section d: property set -> set_reply through the real broker (TestBroker over TLS, platform auth): the cloud side
    /// (CloudClient) publishes thing.service.property.set, the device (AliyunDevice over MosquittoTransport, session
    /// worker, ThingDispatcher, Outbox) answers, the cloud side receives the set_reply. Against the same two hops
    /// without the firmware: a bare echo client (CloudClient = MosquittoTransport/libmosquitto) that republishes each
    /// ping from its network thread. Both over TLS, MQTT 3.1.1, QoS 0, same broker, interleaved in blocks so both see
    /// the same machine load. One call at a time.
    /// </summary>
    public static class LatencyBench
    {
        private const string Pk = "a1BenchLat0";
        private const string Dn = "bench-lat";
        private const string Secret = "benchLatencySecret0123456789abcd";

        /// <summary>Runs the section.</summary>
        public static void Run(Results results, bool quick)
        {
            int calls = quick ? 1000 : 10_000;
            const int Block = 500;
            Console.WriteLine($"[latency] {calls} calls each path, interleaved in blocks of {Block}, after 200 warm-up calls each");
            using var broker = AliyunIot.TestBroker.TestBroker.Start();
            broker.AddDevice(Pk, Dn, Secret);
            var log = new NullLog();
            var config = new DeviceConfig
            {
                ProductKey = Pk,
                DeviceName = Dn,
                DeviceSecret = Secret,
                ClientId = Pk + "." + Dn,
                Host = broker.Host,
                Port = broker.TlsPort,
                UseTls = true,
                ProtocolVersion = 4,
                KeepAliveSeconds = 120,
            };

            // The device enforces limits.messagesPerSecond (<= 30, the platform's cap); 0 (unlimited) here measures
            // the stack, not the rate limiter.
            config.Limits.MessagesPerSecond = 0;
            var device = new AliyunDevice(config, broker.CaCertificatePem, new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), log, null);
            var model = new ThingModel();
            model.AddProperty(PropertyDefinition.Double("Target", 0, 100, 2, PropertyAccess.ReadWrite), (p, v) => null);
            model.AddProperty(PropertyDefinition.Int("FanSpeed", 0, 5, PropertyAccess.ReadWrite), (p, v) => null);
            var reporter = new ThingReporter(model, device.Topics, device.Publisher, new AlinkIds(), new SystemClock(), log, 16384, 10000, 8);
            device.AddHandler(new ThingDispatcher(model, reporter, device.Topics, device.Publisher, log, 16384));
            using var cloud = new CloudClient(broker, "bench-cloud", 4);
            using var echo = new CloudClient(broker, "bench-echo", 4);
            try
            {
                device.Start();
                WaitUntil(() => device.Status == ConnectionStatus.Connected, 30000, "device connected");
                cloud.Connect();
                echo.Connect();
                var waiter = new ReplyWaiter();
                cloud.MessageReceived += waiter.OnMessage;
                echo.MessageReceived += m =>
                {
                    if (m.Topic == "bench/ping")
                    {
                        echo.Publish("bench/pong", m.Payload, 0);
                    }
                };
                echo.Subscribe("bench/ping");
                cloud.Subscribe(device.Topics.PropertySetReply, "bench/pong");

                // The device subscribes after connecting; wait until a set is answered.
                WaitUntil(() => DeviceCall(cloud, waiter, device.Topics.PropertySet, 0, 1000) >= 0, 30000, "device answers property set");
                var deviceTimes = new List<double>(calls);
                var rawTimes = new List<double>(calls);
                for (int i = 1; i <= 200; i++)
                {
                    Require(DeviceCall(cloud, waiter, device.Topics.PropertySet, i, 10000));
                    Require(RawCall(cloud, waiter, i, 10000));
                }

                int id = 1000;
                while (deviceTimes.Count < calls)
                {
                    cloud.ClearReceived();
                    for (int i = 0; i < Block && rawTimes.Count < calls; i++)
                    {
                        rawTimes.Add(Require(RawCall(cloud, waiter, ++id, 10000)));
                    }

                    for (int i = 0; i < Block && deviceTimes.Count < calls; i++)
                    {
                        deviceTimes.Add(Require(DeviceCall(cloud, waiter, device.Topics.PropertySet, ++id, 10000)));
                    }
                }

                var d = new Distribution(deviceTimes);
                var r = new Distribution(rawTimes);
                double d50 = d.Percentile(50), d99 = d.Percentile(99), r50 = r.Percentile(50), r99 = r.Percentile(99);
                results.Add("latency", "raw libmosquitto publish->echo->receive p50", r50, "ms", $"n={r.Count}, TLS, QoS 0");
                results.Add("latency", "raw libmosquitto publish->echo->receive p99", r99, "ms", $"max {r.Max:0.00} ms");
                results.Add("latency", "property set -> set_reply via device p50", d50, "ms", $"n={d.Count}, TLS, QoS 0");
                results.Add("latency", "property set -> set_reply via device p99", d99, "ms", $"max {d.Max:0.00} ms");
                results.Add("latency", "p50 ratio device/raw", d50 / r50, "x");
                results.AddTarget("latency", "p99 ratio device/raw", d99 / r99, "x", "<= 3x", d99 / r99 <= 3);
            }
            finally
            {
                device.Stop();
            }
        }

        private static double Require(double ms)
        {
            if (ms < 0)
            {
                throw new TimeoutException("no answer within the timeout");
            }

            return ms;
        }

        private static double DeviceCall(CloudClient cloud, ReplyWaiter waiter, string setTopic, int id, int timeoutMs)
        {
            string ids = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            byte[] payload = Encoding.UTF8.GetBytes("{\"id\":\"" + ids + "\",\"version\":\"1.0\",\"params\":{\"Target\":" + (id % 100) + ".5,\"FanSpeed\":" + (id % 6) + "},\"method\":\"thing.service.property.set\"}");
            return waiter.Call("\"id\":\"" + ids + "\"", () => cloud.Publish(setTopic, payload, 0), timeoutMs);
        }

        private static double RawCall(CloudClient cloud, ReplyWaiter waiter, int id, int timeoutMs)
        {
            // Same size class as the set payload, same marker the waiter looks for.
            string ids = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            byte[] payload = Encoding.UTF8.GetBytes("{\"id\":\"" + ids + "\",\"version\":\"1.0\",\"params\":{\"Target\":" + (id % 100) + ".5,\"FanSpeed\":" + (id % 6) + "},\"method\":\"raw.echo\"}");
            return waiter.Call("\"id\":\"" + ids + "\"", () => cloud.Publish("bench/ping", payload, 0), timeoutMs);
        }

        private static void WaitUntil(Func<bool> condition, int timeoutMs, string what)
        {
            if (!SimulatedDevice.WaitUntil(condition, TimeSpan.FromMilliseconds(timeoutMs)))
            {
                throw new TimeoutException("timed out waiting for: " + what);
            }
        }

        /// <summary>One outstanding call: publish, then wait for the message carrying the call's id marker.</summary>
        private sealed class ReplyWaiter
        {
            private readonly ManualResetEventSlim _arrived = new(false);
            private volatile string _marker;
            private long _arrivedAt;

            public double Call(string marker, Action publish, int timeoutMs)
            {
                _arrived.Reset();
                _marker = marker;
                long t0 = Stopwatch.GetTimestamp();
                publish();
                if (!_arrived.Wait(timeoutMs))
                {
                    _marker = null;
                    return -1;
                }

                return (Interlocked.Read(ref _arrivedAt) - t0) * 1000.0 / Stopwatch.Frequency;
            }

            public void OnMessage(MqttReceivedMessage message)
            {
                string marker = _marker;
                if (marker != null && message.PayloadText.Contains(marker, StringComparison.Ordinal))
                {
                    Interlocked.Exchange(ref _arrivedAt, Stopwatch.GetTimestamp());
                    _marker = null;
                    _arrived.Set();
                }
            }
        }
    }
}
