using System.Threading;
using AliyunIot.Connection;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The session's single worker on the nanoCLR: handlers asked in registration order (first taker wins), a
    /// bounded inbound queue that drops the newest and counts it, a throwing handler counted without stopping the
    /// worker, delivery notifications and status events run on the same thread in order, and stop.
    /// </summary>
    [TestClass]
    public class MessageDispatcherTests
    {
        [TestMethod]
        public void Handlers_are_asked_in_registration_order_and_the_first_taker_wins()
        {
            MessageDispatcher dispatcher = new MessageDispatcher(8, new RecordingLog());
            RecordingHandler thing = new RecordingHandler("/sys/", new string[0]);
            RecordingHandler everything = new RecordingHandler("/", new string[0]);
            dispatcher.AddHandler(thing);
            dispatcher.AddHandler(everything);
            dispatcher.Start();
            try
            {
                dispatcher.EnqueueMessage("/sys/a/b", new byte[] { 1 });
                dispatcher.EnqueueMessage("/ota/a/b", new byte[] { 1, 2 });
                Assert.IsTrue(everything.WaitFor(1), "second handler ran");
            }
            finally
            {
                dispatcher.Stop();
            }

            Assert.AreEqual("/sys/a/b:1", thing.Seen, "first handler took its topic");
            Assert.AreEqual("/ota/a/b:2", everything.Seen, "the rest went on");
            Assert.AreEqual(2L, dispatcher.Received, "received");
            Assert.AreEqual(0L, dispatcher.Unhandled, "none unhandled");
        }

        [TestMethod]
        public void A_message_nobody_takes_is_counted_unhandled()
        {
            MessageDispatcher dispatcher = new MessageDispatcher(8, new RecordingLog());
            RecordingHandler handler = new RecordingHandler("/sys/", new string[0]);
            dispatcher.AddHandler(handler);
            dispatcher.Start();
            try
            {
                dispatcher.EnqueueMessage("/nobody", new byte[0]);
                dispatcher.EnqueueMessage("/sys/marker", new byte[0]);
                Assert.IsTrue(handler.WaitFor(1), "the marker after it was handled");
            }
            finally
            {
                dispatcher.Stop();
            }

            Assert.AreEqual(1L, dispatcher.Unhandled, "unhandled");
        }

        [TestMethod]
        public void A_throwing_handler_is_counted_and_the_worker_carries_on()
        {
            RecordingLog log = new RecordingLog();
            MessageDispatcher dispatcher = new MessageDispatcher(8, log);
            RecordingHandler handler = new RecordingHandler("/", new string[0]);
            dispatcher.AddHandler(handler);
            dispatcher.Start();
            try
            {
                dispatcher.EnqueueMessage("/boom", new byte[] { 0xEE });
                dispatcher.EnqueueMessage("/after", new byte[] { 1 });
                Assert.IsTrue(handler.WaitFor(2), "both ran");
            }
            finally
            {
                dispatcher.Stop();
            }

            Assert.AreEqual(1L, dispatcher.HandlerErrors, "counted");
            Assert.IsTrue(log.Contains("RecordingHandler threw InvalidOperationException on a 1-byte message"), "logged with the size, not the payload");
        }

        [TestMethod]
        public void A_full_inbound_queue_drops_the_newest_and_counts_it()
        {
            RecordingLog log = new RecordingLog();
            MessageDispatcher dispatcher = new MessageDispatcher(2, log);
            RecordingHandler handler = new RecordingHandler("/", new string[0]);
            handler.Gate = new ManualResetEvent(false);
            dispatcher.AddHandler(handler);
            dispatcher.Start();
            try
            {
                Assert.IsTrue(dispatcher.EnqueueMessage("/a", new byte[1]), "a");
                Assert.IsTrue(handler.Entered.WaitOne(10000, false), "the worker holds a");
                Assert.IsTrue(dispatcher.EnqueueMessage("/b", new byte[1]), "b queued");
                Assert.IsTrue(dispatcher.EnqueueMessage("/c", new byte[1]), "c queued");
                Assert.IsFalse(dispatcher.EnqueueMessage("/d", new byte[1]), "d dropped: queue of 2 full");
                handler.Gate.Set();
                Assert.IsTrue(handler.WaitFor(3), "the queued ones ran");
            }
            finally
            {
                dispatcher.Stop();
            }

            Assert.AreEqual("/a:1;/b:1;/c:1", handler.Seen, "in order, without d");
            Assert.AreEqual(1L, dispatcher.Dropped, "counted");
            Assert.AreEqual(4L, dispatcher.Received, "all four arrived");
        }

        [TestMethod]
        public void Deliveries_and_status_events_run_on_the_worker_in_order()
        {
            MessageDispatcher dispatcher = new MessageDispatcher(8, new RecordingLog());
            RecordingHandler handler = new RecordingHandler("/", new string[0]);
            DeliveryRecorder deliveries = new DeliveryRecorder();
            StatusRecorder status = new StatusRecorder();
            dispatcher.AddHandler(handler);
            dispatcher.AddStatusHandler(status.Record);
            dispatcher.Start();
            try
            {
                dispatcher.PostStatus(ConnectionStatus.Connecting, "attempt 1");
                dispatcher.Notify(deliveries.Record, "t1", DeliveryOutcome.Acknowledged, 0);
                dispatcher.PostStatus(ConnectionStatus.Connected, "ok");
                dispatcher.EnqueueMessage("/last", new byte[0]);
                Assert.IsTrue(handler.WaitFor(1), "the message after them ran");
            }
            finally
            {
                dispatcher.Stop();
            }

            Assert.AreEqual("Connecting,Connected", status.Seen, "statuses in order");
            Assert.AreEqual("t1:Acknowledged:0", deliveries.Seen, "delivery");
        }

        [TestMethod]
        public void A_removed_status_handler_hears_nothing_more()
        {
            MessageDispatcher dispatcher = new MessageDispatcher(8, new RecordingLog());
            StatusRecorder status = new StatusRecorder();
            dispatcher.AddStatusHandler(status.Record);
            dispatcher.RaiseStatusNow(ConnectionStatus.Connecting, "x");
            dispatcher.RemoveStatusHandler(status.Record);
            dispatcher.RaiseStatusNow(ConnectionStatus.Connected, "y");
            Assert.AreEqual("Connecting", status.Seen, "only before removal");
        }

        [TestMethod]
        public void Stop_ends_the_worker()
        {
            MessageDispatcher dispatcher = new MessageDispatcher(8, new RecordingLog());
            dispatcher.Start();
            Assert.IsTrue(dispatcher.IsRunning, "running");
            dispatcher.Stop();
            Assert.IsFalse(dispatcher.IsRunning, "stopped");
        }
    }
}
