using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Ports;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The session supervisor on the nanoCLR with a scripted transport: back-off from the base doubling to the cap,
    /// CONNACK refusals with the long back-off and a status naming the cause (never the password), subscriptions
    /// after every connect and for handlers added later, the offline queue flushed in order, messages run on the
    /// worker with a throwing handler counted, quick disconnects reported as identity in use, and an orderly stop.
    /// Waits are on signals (status events, transport calls) with a 10 s bound, never sleeps.
    /// </summary>
    [TestClass]
    public class SessionSupervisorTests
    {
        private static readonly DeviceTopics Topics = new DeviceTopics("a1Prod", "dev1");
        private const string ServiceTopics = "/sys/a1Prod/dev1/thing/service/+ /sys/a1Prod/dev1/rrpc/request/+";

        [TestMethod]
        public void Connects_subscribes_every_handler_topic_and_reports_connected()
        {
            Rig rig = new Rig();
            try
            {
                ScriptedTransport t = rig.StartConnected();
                Assert.AreEqual(ServiceTopics, t.SubscribedTopics(), "subscribed");
                Assert.AreEqual("Connecting,Connected", rig.Status.Seen, "statuses");
                Assert.AreEqual("connected to broker.test:1883 (plain TCP, MQTT 3.1.1)", rig.Status.LastReason, "reason");
            }
            finally
            {
                rig.Session.Stop();
            }

            Assert.IsTrue(rig.Factory.Get(0).Closed, "transport closed on stop");
            Assert.IsTrue(rig.Session.Status == ConnectionStatus.Stopped, "stopped");
            Assert.IsFalse(rig.Session.IsRunning, "threads ended");
        }

        [TestMethod]
        public void Network_failures_back_off_from_the_base_doubling_to_the_cap()
        {
            Rig rig = new Rig();
            for (int i = 0; i < 5; i++)
            {
                rig.Factory.Script(new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "no route"));
            }

            rig.Start();
            try
            {
                Assert.IsTrue(rig.Factory.WaitForAttempt(6), "sixth attempt");
                Assert.AreEqual("2000,4000,8000,16000,16000", rig.Clock.Waits, "full-jitter ceilings");
                Assert.IsTrue(rig.Status.WaitFor(ConnectionStatus.NetworkDown, 5), "network down each time");
                Assert.AreEqual(6, rig.Requests.Calls, "fresh credentials for every attempt");
                Assert.AreEqual(6L, rig.Session.Counters.ConnectAttempts, "attempts counted");
            }
            finally
            {
                rig.Session.Stop();
            }
        }

        [TestMethod]
        public void Bad_credentials_use_the_long_backoff_and_name_the_cause()
        {
            Rig rig = new Rig();
            rig.Factory.Script(new MqttConnectResult(MqttConnectOutcome.Refused, 4, "refused"));
            rig.Start();
            try
            {
                Assert.IsTrue(rig.Factory.WaitForAttempt(2), "second attempt");
                Assert.IsTrue(rig.Status.WaitFor(ConnectionStatus.BadCredentials, 1), "status");
                Assert.AreEqual("300000", rig.Clock.Waits, "five minutes, not a retry storm");
                Assert.AreEqual("refused by the server (code 4): bad credentials (check DeviceSecret and signMethod); retrying in 300 s", ReasonOf(rig, "code 4"), "reason");
                Assert.AreEqual(1L, rig.Session.Counters.Refusals, "counted");
            }
            finally
            {
                rig.Session.Stop();
            }

            Assert.DoesNotContains(FixedConnectRequests.Password, rig.Status.Reasons + rig.Log.All(), "the password is never shown");
        }

        [TestMethod]
        public void Repeated_refusals_double_the_long_backoff()
        {
            Rig rig = new Rig();
            rig.Factory.Script(new MqttConnectResult(MqttConnectOutcome.Refused, 5, "refused"));
            rig.Factory.Script(new MqttConnectResult(MqttConnectOutcome.Refused, 5, "refused"));
            rig.Start();
            try
            {
                Assert.IsTrue(rig.Factory.WaitForAttempt(3), "third attempt");
                Assert.AreEqual("300000,600000", rig.Clock.Waits, "doubling");
                Assert.IsTrue(rig.Status.WaitFor(ConnectionStatus.NotAuthorized, 2), "not authorized");
            }
            finally
            {
                rig.Session.Stop();
            }
        }

        [TestMethod]
        public void Every_reconnect_subscribes_again()
        {
            Rig rig = new Rig();
            try
            {
                rig.StartConnected().Drop("server closed the connection");
                Assert.IsTrue(rig.Status.WaitFor(ConnectionStatus.Connected, 2), "reconnected");
                Assert.AreEqual(ServiceTopics, rig.Factory.Get(1).SubscribedTopics(), "subscribed again");
                Assert.IsTrue(rig.Status.WaitFor(ConnectionStatus.WaitingToRetry, 1), "the loss was reported");
                Assert.AreEqual(1L, rig.Session.Counters.ConnectionsLost, "counted");
            }
            finally
            {
                rig.Session.Stop();
            }
        }

        [TestMethod]
        public void A_handler_added_while_connected_is_subscribed_at_once()
        {
            Rig rig = new Rig();
            try
            {
                ScriptedTransport t = rig.StartConnected();
                rig.Session.AddHandler(new RecordingHandler("/ota/", new string[] { "/ota/device/upgrade/a1Prod/dev1" }));
                Assert.IsTrue(t.WaitForSubscription("/ota/"), "subscribed");
                Assert.AreEqual(ServiceTopics + " " + ServiceTopics + " /ota/device/upgrade/a1Prod/dev1", t.SubscribedTopics(), "all handlers' topics again, the new one included");
            }
            finally
            {
                rig.Session.Stop();
            }
        }

        [TestMethod]
        public void Messages_queued_offline_are_sent_in_order_after_connect()
        {
            Rig rig = new Rig();
            Assert.IsTrue(rig.Session.Outbox.Publish(Topics.PropertyPost, Encoding.UTF8.GetBytes("m0"), 1) == PublishStatus.Queued, "queued offline");
            Assert.IsTrue(rig.Session.Outbox.Publish(Topics.PropertyPost, Encoding.UTF8.GetBytes("m1"), 1) == PublishStatus.Queued, "queued offline");
            try
            {
                ScriptedTransport t = rig.StartConnected();
                Assert.IsTrue(t.WaitForPublishes(2), "both sent");
                Assert.AreEqual("m0,m1", t.PublishedTexts(), "in order");
            }
            finally
            {
                rig.Session.Stop();
            }
        }

        [TestMethod]
        public void Messages_reach_their_handler_and_a_throwing_handler_is_counted()
        {
            Rig rig = new Rig();
            try
            {
                ScriptedTransport t = rig.StartConnected();

                // The unhandled topic goes first: messages are dispatched in order on one worker, so once the three
                // below are handled it has been counted too (sent last, the Stop could overtake it).
                t.Deliver("/other/topic", new byte[] { 4 });
                t.Deliver("/sys/a1Prod/dev1/thing/service/Reset", new byte[] { 1, 2 });
                t.Deliver("/sys/a1Prod/dev1/thing/service/Boom", new byte[] { 0xEE });
                t.Deliver("/sys/a1Prod/dev1/thing/service/After", new byte[] { 3 });
                Assert.IsTrue(rig.Handler.WaitFor(3), "three taken");
                Assert.AreEqual("/sys/a1Prod/dev1/thing/service/Reset:2;/sys/a1Prod/dev1/thing/service/Boom:1;/sys/a1Prod/dev1/thing/service/After:1", rig.Handler.Seen, "in order, the worker survived the throw");
            }
            finally
            {
                rig.Session.Stop();
            }

            SessionCounters counters = rig.Session.Counters;
            Assert.AreEqual(4L, counters.MessagesReceived, "received");
            Assert.AreEqual(1L, counters.HandlerErrors, "the throw is counted");
            Assert.AreEqual(1L, counters.MessagesUnhandled, "nobody took /other/topic");
        }

        [TestMethod]
        public void Connections_dropped_right_after_connack_mean_identity_in_use()
        {
            Rig rig = new Rig();
            rig.Factory.AcceptAfterScript = true;
            rig.Start();
            try
            {
                for (int i = 1; i <= 3; i++)
                {
                    Assert.IsTrue(rig.Status.WaitFor(ConnectionStatus.Connected, i), "connection " + i.ToString());
                    rig.Factory.Get(i - 1).Drop("kicked");
                }

                Assert.IsTrue(rig.Status.WaitFor(ConnectionStatus.IdentityInUse, 1), "identity in use");
                Assert.AreEqual("the server closed 3 connections in a row right after accepting them: another connection probably uses this identity; retrying in 8 s", ReasonOf(rig, "in a row"), "reason");
            }
            finally
            {
                rig.Session.Stop();
            }
        }

        [TestMethod]
        public void The_will_and_session_options_go_into_every_connect()
        {
            Rig rig = new Rig();
            rig.Options.WillTopic = Topics.PropertyPost;
            rig.Options.WillPayload = new byte[] { 1 };
            rig.Options.WillQos = 1;
            rig.Options.SessionExpirySeconds = 3600;
            try
            {
                ScriptedTransport t = rig.StartConnected();
                MqttConnectRequest request = t.Request;
                Assert.AreEqual(Topics.PropertyPost, request.WillTopic, "will topic");
                Assert.AreEqual(1, request.WillQos, "will QoS");
                Assert.AreEqual(3600, request.SessionExpirySeconds, "session expiry");
            }
            finally
            {
                rig.Session.Stop();
            }
        }

        private static string ReasonOf(Rig rig, string marker)
        {
            string[] lines = rig.Status.Reasons.Split(new char[] { '\n' });
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains(marker))
                {
                    return lines[i];
                }
            }

            return "(no reason containing " + marker + ")";
        }

        /// <summary>A supervisor over the scripted factory, a recording clock and top-of-range random.</summary>
        private sealed class Rig
        {
            public readonly SessionOptions Options = new SessionOptions();
            public readonly ScriptedTransportFactory Factory = new ScriptedTransportFactory();
            public readonly FixedConnectRequests Requests = new FixedConnectRequests();
            public readonly RecordingClock Clock = new RecordingClock();
            public readonly RecordingLog Log = new RecordingLog();
            public readonly StatusRecorder Status = new StatusRecorder();
            public readonly RecordingHandler Handler = new RecordingHandler("/sys/a1Prod/dev1/thing/service/", new string[] { "/sys/a1Prod/dev1/thing/service/+", "/sys/a1Prod/dev1/rrpc/request/+" });
            public SessionSupervisor Session;

            public Rig()
            {
                Options.BackoffBaseMs = 2000;
                Options.BackoffCapMs = 16000;
                Options.MessagesPerSecond = 0;
                Session = new SessionSupervisor(Options, Topics, Requests, Factory, Clock, new EdgeRandom(true), Log);
                Session.StatusChanged += Status.Record;
                Session.AddHandler(Handler);
            }

            public void Start()
            {
                Session.Start();
            }

            // Starts with every attempt accepted and waits for the first connection; its transport.
            public ScriptedTransport StartConnected()
            {
                Factory.AcceptAfterScript = true;
                Session.Start();
                Assert.IsTrue(Status.WaitFor(ConnectionStatus.Connected, 1), "connected");
                return Factory.Get(0);
            }
        }
    }
}
