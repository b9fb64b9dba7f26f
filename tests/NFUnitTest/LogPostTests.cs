using System.Text;
using AliyunIot.Alink;
using AliyunIot.LogPost;
using AliyunIot.Ports;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// Log post on the device's runtime: off until the cloud's switch says mode 1, the exact thing.log.post bytes,
    /// one post per interval, a full buffer dropping and counting lines, and secrets masked before anything leaves.
    /// </summary>
    [TestClass]
    public class LogPostTests
    {
        private const string Sys = "/sys/a1Nano01/nano-dev/";

        [TestMethod]
        public void Lines_are_posted_only_after_mode_1_with_the_exact_bytes_once_per_interval()
        {
            RecordingPublisher publisher = new RecordingPublisher();
            StepClock clock = new StepClock();
            LogPoster poster = Poster(publisher, clock, 8);
            CloudLog log = new CloudLog(new NullLog());
            log.Poster = poster;

            log.Write(LogLevel.Error, "ota", "before the switch");
            Assert.AreEqual(0, poster.Pending, "off by default");

            poster.Handle(Sys + "thing/config/log/get_reply", Encoding.UTF8.GetBytes("{\"id\":\"1\",\"code\":200,\"data\":{\"getType\":\"content\",\"content\":{\"mode\":1}}}"));
            Assert.IsTrue(poster.Enabled, "switched on");
            log.Write(LogLevel.Info, "session", "below the level");
            log.Write(LogLevel.Warning, "ota", "download interrupted");
            Assert.AreEqual(1, poster.Tick(), "one line posted");
            Assert.AreEqual(Sys + "thing/log/post", publisher.Topic(0), "topic");
            Assert.AreEqual(0, publisher.Qos(0), "QoS 0");
            Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"params\":[{\"utcTime\":\"2026-01-01T00:00:01.000+0000\",\"logLevel\":\"WARN\",\"module\":\"ota\",\"code\":\"\",\"traceContext\":\"\",\"logContent\":\"download interrupted\"}],\"method\":\"thing.log.post\"}", publisher.Text(0), "bytes");

            log.Write(LogLevel.Error, "app", "next");
            Assert.AreEqual(0, poster.Tick(), "not before the interval");
            clock.Advance(10000);
            Assert.AreEqual(1, poster.Tick(), "after the interval");
        }

        [TestMethod]
        public void A_full_buffer_drops_the_newest_counts_them_and_says_so()
        {
            RecordingPublisher publisher = new RecordingPublisher();
            LogPoster poster = Poster(publisher, new StepClock(), 2);
            poster.Apply(true, (int)LogLevel.Debug);
            for (int i = 0; i < 5; i++)
            {
                poster.Capture(LogLevel.Error, "session", "lost " + i.ToString());
            }

            Assert.AreEqual(2, poster.Pending, "bounded");
            Assert.AreEqual(3, (int)poster.Dropped, "counted");
            Assert.AreEqual(2, poster.Tick(), "posted");
            string text = publisher.Text(0);
            Assert.IsTrue(text.IndexOf("\"logContent\":\"3 log line(s) dropped: buffer full\"") > 0, text);
            Assert.IsTrue(text.IndexOf("lost 1") > 0, "kept the oldest");
            Assert.IsTrue(text.IndexOf("lost 2") < 0, "dropped the newest");
        }

        [TestMethod]
        public void Secrets_are_masked_before_a_line_is_kept()
        {
            LogScrubber scrubber = new LogScrubber();
            scrubber.AddSecret("Xk9sSecretValue123");
            Assert.AreEqual("key *** used", scrubber.Clean("key Xk9sSecretValue123 used"), "known secret");
            Assert.AreEqual("{\"deviceSecret\":\"***\",\"n\":1}", scrubber.Clean("{\"deviceSecret\":\"abc123xyz\",\"n\":1}"), "secret field");
            Assert.AreEqual("password=***; retry", scrubber.Clean("password=hunter22; retry"), "password");
            Assert.AreEqual("GET https://oss.example.com/a.json?*** failed", scrubber.Clean("GET https://oss.example.com/a.json?Expires=1&Signature=s1g failed"), "URL query");
            string plain = "connected to broker";
            Assert.IsTrue((object)plain == (object)scrubber.Clean(plain), "nothing to mask: no new string");
        }

        [TestMethod]
        public void A_malformed_switch_changes_nothing()
        {
            LogPoster poster = Poster(new RecordingPublisher(), new StepClock(), 4);
            poster.Apply(true, (int)LogLevel.Error);
            poster.Handle(Sys + "thing/config/log/push", Encoding.UTF8.GetBytes("{\"id\":\"2\",\"params\":{\"content\":{\"mode\":7}}}"));
            poster.Handle(Sys + "thing/config/log/push", Encoding.UTF8.GetBytes("not json"));
            Assert.IsTrue(poster.Enabled, "still on");
            Assert.IsTrue(poster.Level == LogLevel.Error, "same level");
        }

        private static LogPoster Poster(RecordingPublisher publisher, StepClock clock, int maxLines)
        {
            LogPostSettings settings = new LogPostSettings();
            settings.MaxLines = maxLines;
            return new LogPoster(new DeviceTopics("a1Nano01", "nano-dev"), publisher, new AlinkIds(), clock, new NullLog(), settings);
        }
    }
}
