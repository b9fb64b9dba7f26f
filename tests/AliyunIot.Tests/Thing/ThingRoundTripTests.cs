using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Sensors;
using AliyunIot.Ports;
using AliyunIot.Sensors;
using AliyunIot.TestBroker;
using AliyunIot.Tests.Support;
using AliyunIot.Thing;
using Xunit;

namespace AliyunIot.Tests.Thing
{
    /// <summary>
    /// A real device connection (AliyunDevice over MosquittoTransport, TLS, platform-style auth) and a cloud-side
    /// client on the real test broker: every thing-model message type goes over the wire both ways, and the bytes
    /// the cloud sees are pinned exactly.
    /// </summary>
    public sealed class ThingRoundTripTests : IDisposable
    {
        private const string Pk = "a1RoundTrip";
        private const string Dn = "thing1";
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

        private readonly TestBroker.TestBroker _broker;
        private readonly CapturingLog _log = new CapturingLog();
        private readonly AliyunDevice _device;
        private readonly CloudClient _cloud;
        private readonly ThingModel _model = new ThingModel();
        private readonly ThingReporter _reporter;
        private readonly ThingDispatcher _dispatcher;
        private readonly SimulatedPins _pins = new SimulatedPins();
        private readonly ManualClock _pollerClock = new ManualClock(); // the poller is ticked by the test, step by step
        private readonly SensorPoller _poller;
        private readonly List<RequestOutcome> _outcomes = new List<RequestOutcome>();
        private readonly List<string> _seen = new List<string>();

        public ThingRoundTripTests()
        {
            _broker = TestBroker.TestBroker.Start();
            try
            {
                string secret = _log.Secret("s3cretRoundTripSecretValue0001");
                _broker.AddDevice(Pk, Dn, secret);
                var topics = new DeviceTopics(Pk, Dn);
                var clock = new SystemClock();
                MqttConnectRequest request = _broker.CreateDeviceConnectRequest(Pk, Dn, secret);
                _device = new AliyunDevice(new SessionOptions(), topics, new Session.FixedRequests(() => request), new MosquittoTransportFactory(), clock, new SystemRandom(), _log);

                _model.AddProperty(PropertyDefinition.Float("Temp", -40, 120, 1, PropertyAccess.ReadOnly));
                _model.AddProperty(PropertyDefinition.Double("Target", 0, 100, 2, PropertyAccess.ReadWrite));
                _model.AddService(
                    new ServiceDefinition("Add", true)
                        .AddInput(PropertyDefinition.Int("A", -1000, 1000, PropertyAccess.ReadWrite))
                        .AddInput(PropertyDefinition.Int("B", -1000, 1000, PropertyAccess.ReadWrite))
                        .AddOutput(PropertyDefinition.Int("Sum", -2000, 2000, PropertyAccess.ReadOnly)),
                    (s, i, o) => o["Sum"] = (int)i["A"] + (int)i["B"]);
                _model.AddEvent(new EventDefinition("Alarm").AddOutput(PropertyDefinition.Int("Level", 0, 10, PropertyAccess.ReadOnly)));

                _reporter = new ThingReporter(_model, topics, _device.Publisher, new AlinkIds(), clock, _log, 16384, 10000, 100);
                _reporter.PostCompleted = o => { lock (_outcomes) { _outcomes.Add(o); } };
                _dispatcher = new ThingDispatcher(_model, _reporter, topics, _device.Publisher, _log, 16384);
                _dispatcher.DownRawHandler = (t, p) => p.Reverse().ToArray();
                _dispatcher.UserMessageHandler = (t, p) => { lock (_seen) { _seen.Add("user " + t); } };
                _dispatcher.BroadcastHandler = (t, p) => { lock (_seen) { _seen.Add("broadcast " + t); } };
                _dispatcher.UpRawReplyHandler = (t, p) => { lock (_seen) { _seen.Add("up_raw_reply " + p.Length); } };
                _dispatcher.SubscribeUserTopic("get");
                _dispatcher.SubscribeBroadcastTopic("+");
                _poller = new SensorPoller(
                    SensorConfigParser.Parse((ArrayList)CoreJson.Parse("[{\"type\":\"digitalOutput\",\"property\":\"Relay\",\"pin\":2},{\"type\":\"adc\",\"property\":\"Level\",\"channel\":0,\"scale\":0.5,\"deadband\":1,\"decimals\":1,\"periodMs\":100}]"), true),
                    _model, _reporter, _pins, _pollerClock, _log);
                _device.AddHandler(_dispatcher);

                _cloud = new CloudClient(_broker);
                _cloud.Connect();
                _cloud.Subscribe("/sys/" + Pk + "/" + Dn + "/#", "/ext/rrpc/+/sys/" + Pk + "/" + Dn + "/#", "/" + Pk + "/" + Dn + "/user/#");

                _device.Start();
                Assert.True(SpinWait.SpinUntil(() => _device.Status == ConnectionStatus.Connected, Wait), "device did not connect: " + _device.StatusReason);

                // Subscriptions are in place once the device's own probe comes back through the broker.
                Assert.True(SpinWait.SpinUntil(() =>
                {
                    _cloud.Publish("/" + Pk + "/" + Dn + "/user/get", "probe", 0);
                    return SpinWait.SpinUntil(() => { lock (_seen) { return _seen.Count > 0; } }, 200);
                }, Wait), "device never received on its subscriptions");
                _cloud.ClearReceived();
                lock (_seen) { _seen.Clear(); }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            try { _poller?.Stop(); } catch { }
            try { _device?.Stop(); } catch { }
            try { _cloud?.Dispose(); } catch { }
            _broker.Dispose();
            _log.AssertNoSecrets();
        }

        private string Sys(string rest) => "/sys/" + Pk + "/" + Dn + "/" + rest;

        private MqttReceivedMessage Reply(string topic) => _cloud.WaitForMessage(m => m.Topic == topic && m.PayloadText.Contains("\"code\""), Wait);

        [Fact]
        public void Every_message_type_round_trips_over_a_real_connection()
        {
            // Property post (QoS 1) and its post_reply with a platform error code.
            Assert.Null(_reporter.ReportProperty("Temp", 21.25));
            var post = _cloud.WaitForMessage(Sys("thing/event/property/post"), Wait);
            Assert.Equal(1, post.Qos);
            Assert.Matches("^\\{\"id\":\"1\",\"version\":\"1.0\",\"sys\":\\{\"ack\":1\\},\"params\":\\{\"Temp\":\\{\"value\":21.3,\"time\":\\d{13}\\}\\},\"method\":\"thing.event.property.post\"\\}$", post.PayloadText);
            _cloud.Publish(Sys("thing/event/property/post_reply"), "{\"code\":6813,\"data\":{},\"id\":\"1\",\"message\":\"The format of result is error!\",\"method\":\"thing.event.property.post\",\"version\":\"1.0\"}", 0);
            Assert.True(SpinWait.SpinUntil(() => { lock (_outcomes) { return _outcomes.Count == 1; } }, Wait));
            Assert.Equal(6813, _outcomes[0].Code);
            Assert.Equal(RequestStatus.Replied, _outcomes[0].Status);

            // Event post.
            Assert.Null(_reporter.PostEvent("Alarm", new Hashtable { ["Level"] = 4 }));
            var ev = _cloud.WaitForMessage(Sys("thing/event/Alarm/post"), Wait);
            Assert.Matches("^\\{\"id\":\"2\",\"version\":\"1.0\",\"sys\":\\{\"ack\":1\\},\"params\":\\{\"value\":\\{\"Level\":4\\},\"time\":\\d{13}\\},\"method\":\"thing.event.Alarm.post\"\\}$", ev.PayloadText);

            // Property set: set_reply (QoS 0), then the changed value posted.
            _cloud.Publish(Sys("thing/service/property/set"), "{\"method\":\"thing.service.property.set\",\"id\":\"100\",\"params\":{\"Target\":33.333},\"version\":\"1.0.0\"}", 0);
            var setReply = _cloud.WaitForMessage(Sys("thing/service/property/set_reply"), Wait);
            Assert.Equal("{\"id\":\"100\",\"code\":200,\"data\":{}}", setReply.PayloadText);
            Assert.Equal(0, setReply.Qos);
            Assert.Matches("\"params\":\\{\"Target\":\\{\"value\":33.33,", _cloud.WaitForMessage(Sys("thing/event/property/post"), Wait).PayloadText);

            // A bad set: 460 naming the field, nothing changes, and the device keeps serving.
            _cloud.Publish(Sys("thing/service/property/set"), "{\"id\":\"101\",\"params\":{\"Target\":1,\"Temp\":5}}", 0);
            Assert.Equal("{\"id\":\"101\",\"code\":460,\"data\":{},\"message\":\"property Temp: read-only\"}", _cloud.WaitForMessage(Sys("thing/service/property/set_reply"), Wait).PayloadText);
            Assert.Equal(33.333, _model.GetValue("Target"));

            // Property get.
            _cloud.Publish(Sys("thing/service/property/get"), "{\"id\":\"102\",\"params\":[\"Target\",\"Temp\"]}", 0);
            Assert.Equal("{\"id\":\"102\",\"code\":200,\"data\":{\"Target\":33.33,\"Temp\":21.3}}", _cloud.WaitForMessage(Sys("thing/service/property/get_reply"), Wait).PayloadText);

            // Async service.
            _cloud.Publish(Sys("thing/service/Add"), "{\"id\":\"103\",\"params\":{\"A\":2,\"B\":40},\"method\":\"thing.service.Add\"}", 0);
            Assert.Equal("{\"id\":\"103\",\"code\":200,\"data\":{\"Sum\":42}}", _cloud.WaitForMessage(Sys("thing/service/Add_reply"), Wait).PayloadText);

            // Sync service, both RRPC forms, answered promptly with QoS 0 on the right topic.
            var started = DateTime.UtcNow;
            _cloud.Publish(Sys("rrpc/request/1650000000001"), "{\"id\":\"104\",\"params\":{\"A\":1,\"B\":1},\"method\":\"thing.service.Add\"}", 0);
            var rrpc = _cloud.WaitForMessage(Sys("rrpc/response/1650000000001"), Wait);
            Assert.Equal("{\"id\":\"104\",\"code\":200,\"data\":{\"Sum\":2}}", rrpc.PayloadText);
            Assert.Equal(0, rrpc.Qos);
            string ext = "/ext/rrpc/1650000000002/sys/" + Pk + "/" + Dn + "/thing/service/Add";
            _cloud.Publish(ext, "{\"id\":\"105\",\"params\":{\"A\":3,\"B\":4},\"method\":\"thing.service.Add\",\"version\":\"1.0\"}", 0);
            var extReply = Reply(ext);
            Assert.Equal("{\"id\":\"105\",\"code\":200,\"data\":{\"Sum\":7}}", extReply.PayloadText);
            Assert.Equal(0, extReply.Qos);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(7), "RRPC answers must beat the platform's 7 s window");

            // Raw down (+ reply) and raw up.
            _cloud.Publish(Sys("thing/model/down_raw"), new byte[] { 1, 2, 3 }, 0);
            Assert.Equal(new byte[] { 3, 2, 1 }, _cloud.WaitForMessage(Sys("thing/model/down_raw_reply"), Wait).Payload);
            Assert.Equal(PublishStatus.Sent, _reporter.PostRaw(new byte[] { 0xAA, 0xBB }));
            Assert.Equal(new byte[] { 0xAA, 0xBB }, _cloud.WaitForMessage(Sys("thing/model/up_raw"), Wait).Payload);
            _cloud.Publish(Sys("thing/model/up_raw_reply"), new byte[] { 9, 9 }, 0);

            // User topic and both broadcast forms.
            _cloud.Publish("/" + Pk + "/" + Dn + "/user/get", "hello", 0);
            _cloud.Publish("/broadcast/" + Pk + "/news", "all", 0);
            _cloud.Publish(Sys("broadcast/request/777"), "product-wide", 0);
            Assert.True(SpinWait.SpinUntil(() => { lock (_seen) { return _seen.Count == 4; } }, Wait), string.Join("; ", _seen));
            Assert.Contains("up_raw_reply 2", _seen);
            Assert.Contains("user /" + Pk + "/" + Dn + "/user/get", _seen);
            Assert.Contains("broadcast /broadcast/" + Pk + "/news", _seen);
            Assert.Contains("broadcast " + Sys("broadcast/request/777"), _seen);
            _reporter.PublishUser("update", new byte[] { 7 }, 0);
            Assert.Equal(new byte[] { 7 }, _cloud.WaitForMessage("/" + Pk + "/" + Dn + "/user/update", Wait).Payload);

            Assert.Equal(0, _dispatcher.HandlerFailureCount);
        }

        [Fact]
        public void Sensors_post_on_change_respect_the_deadband_and_outputs_report_back()
        {
            _pins.SetAnalog(0, 100); // 50.0
            _poller.Tick();
            Assert.Matches("\"Level\":\\{\"value\":50.0,", _cloud.WaitForMessage(m => m.PayloadText.Contains("\"Level\""), Wait).PayloadText);
            Assert.Matches("\"Relay\":\\{\"value\":0,", _cloud.WaitForMessage(m => m.PayloadText.Contains("\"Relay\""), Wait).PayloadText);

            // No sleep-and-look for the post that must not happen: 50.5 (inside the deadband of 1) is sampled, then
            // 52.0. The outbox keeps order, so the next property post the cloud sees is 50.5 if the deadband failed.
            _pins.SetAnalog(0, 101); // 50.5
            _pollerClock.Advance(100);
            _poller.Tick();
            _pins.SetAnalog(0, 104); // 52.0
            _pollerClock.Advance(100);
            _poller.Tick();
            Assert.Matches("\"Level\":\\{\"value\":52.0,", _cloud.WaitForMessage(Sys("thing/event/property/post"), Wait).PayloadText);

            _cloud.Publish(Sys("thing/service/property/set"), "{\"id\":\"200\",\"params\":{\"Relay\":1}}", 0);
            Assert.Equal("{\"id\":\"200\",\"code\":200,\"data\":{}}", _cloud.WaitForMessage(Sys("thing/service/property/set_reply"), Wait).PayloadText);
            Assert.Matches("\"Relay\":\\{\"value\":1,", _cloud.WaitForMessage(Sys("thing/event/property/post"), Wait).PayloadText);
            Assert.True(_pins.GetOutput(2));
        }
    }
}
