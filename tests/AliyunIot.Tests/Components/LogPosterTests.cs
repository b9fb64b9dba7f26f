using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.LogPost;
using AliyunIot.Ports;
using AliyunIot.Tests.Session;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Components
{
    /// <summary>
    /// Log post on its own, over the real outbox and an in-memory transport: the cloud's switch, the level, the exact
    /// bytes, the byte budget per interval, property posts first, bounded buffering with drops counted, no secrets.
    /// </summary>
    public sealed class LogPosterTests : IDisposable
    {
        private const string Sys = "/sys/a1LogProd/dev-log1/";
        private static readonly DeviceTopics Topics = new DeviceTopics("a1LogProd", "dev-log1");
        private readonly ManualClock _clock = new ManualClock(new DateTime(2026, 12, 3, 1, 2, 3, 4, DateTimeKind.Utc));
        private readonly CapturingLog _inner = new CapturingLog();
        private readonly Outbox _outbox;
        private readonly FakeTransport _transport;
        private readonly CloudLog _log;
        private LogPoster _poster;

        public LogPosterTests()
        {
            _outbox = new Outbox(new SessionOptions { MessagesPerSecond = 0 }, Topics, _clock, _inner);
            _transport = new FakeTransport(new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "ok"), true, true);
            _transport.Connect(new MqttConnectRequest(), new NullListener());
            _outbox.Attach(_transport);
            _log = new CloudLog(_inner);
            _poster = NewPoster(new LogPostSettings());
        }

        public void Dispose() => _inner.Dispose();

        [Fact]
        public void After_a_connect_the_device_asks_for_its_log_switch_with_the_link_sdk_request()
        {
            Assert.Equal(PublishStatus.Sent, _poster.OnConnected());

            var sent = Assert.Single(_transport.Published);
            Assert.Equal(Sys + "thing/config/log/get", sent.Topic);
            Assert.Equal("{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"getType\":\"content\",\"configScope\":\"device\"},\"method\":\"thing.config.log.get\"}", Encoding.UTF8.GetString(sent.Payload));
            Assert.Equal(0, sent.Qos);
        }

        [Fact]
        public void Nothing_is_kept_or_posted_until_the_cloud_switches_logging_on()
        {
            _log.Write(LogLevel.Error, "ota", "download failed");
            Assert.Equal(0, _poster.Pending);
            Assert.Equal(0, _poster.Tick());
            Assert.Empty(_transport.Published);
            Assert.True(_inner.Contains("download failed"), "the line must still reach the device's own log");
        }

        [Fact]
        public void With_mode_1_lines_at_the_device_level_and_above_are_posted_with_the_exact_bytes()
        {
            SwitchOn("{\"getType\":\"content\",\"content\":{\"mode\":1}}");

            _log.Write(LogLevel.Info, "session", "connected");
            _log.Write(LogLevel.Warning, "ota", "download interrupted at 4096 bytes");
            Assert.Equal(1, _poster.Tick());

            var post = Assert.Single(_transport.Published, p => p.Topic == Sys + "thing/log/post");
            Assert.Equal(0, post.Qos);
            Assert.Equal("{\"id\":\"1\",\"version\":\"1.0\",\"params\":[{\"utcTime\":\"2026-12-03T01:02:03.004+0000\",\"logLevel\":\"WARN\",\"module\":\"ota\",\"code\":\"\",\"traceContext\":\"\",\"logContent\":\"download interrupted at 4096 bytes\"}],\"method\":\"thing.log.post\"}", Encoding.UTF8.GetString(post.Payload));
            Assert.Equal(1, _poster.Posted);
        }

        [Fact]
        public void The_cloud_can_set_the_level_and_switch_posting_off_again()
        {
            _poster.Handle(Sys + "thing/config/log/push", Encoding.UTF8.GetBytes("{\"id\":\"5\",\"version\":\"1.0\",\"params\":{\"getType\":\"content\",\"content\":{\"mode\":1,\"logLevel\":\"DEBUG\"}},\"method\":\"thing.config.log.push\"}"));
            Assert.True(_poster.Enabled);
            Assert.Equal(LogLevel.Debug, _poster.Level);
            _log.Write(LogLevel.Debug, "dispatch", "no handler took a message");
            Assert.Equal(1, _poster.Pending);

            _poster.Handle(Sys + "thing/config/log/push", Encoding.UTF8.GetBytes("{\"id\":\"6\",\"version\":\"1.0\",\"params\":{\"getType\":\"content\",\"content\":{\"mode\":0}},\"method\":\"thing.config.log.push\"}"));
            Assert.False(_poster.Enabled);
            Assert.Equal(0, _poster.Pending);
            Assert.Equal(0, _poster.Tick());
        }

        [Theory]
        [InlineData("thing/config/log/push", "not json")]
        [InlineData("thing/config/log/push", "{\"id\":\"1\",\"params\":{\"content\":{\"mode\":2}}}")]
        [InlineData("thing/config/log/push", "{\"id\":\"1\",\"params\":{\"content\":{\"mode\":1,\"logLevel\":\"LOUD\"}}}")]
        [InlineData("thing/config/log/get_reply", "{\"id\":\"1\",\"code\":6713,\"data\":{},\"message\":\"log config not found\"}")]
        [InlineData("thing/config/log/get_reply", "{\"id\":\"1\",\"code\":200,\"data\":{\"content\":\"mode=1\"}}")]
        public void A_malformed_switch_is_ignored_with_a_warning_and_changes_nothing(string topic, string payload)
        {
            SwitchOn("{\"content\":{\"mode\":1,\"logLevel\":\"ERROR\"}}");

            Assert.True(_poster.Handle(Sys + topic, Encoding.UTF8.GetBytes(payload)));

            Assert.True(_poster.Enabled);
            Assert.Equal(LogLevel.Error, _poster.Level);
            Assert.True(_inner.Contains("log config ignored"));
        }

        [Fact]
        public void One_post_per_interval_within_the_byte_budget_and_the_oldest_lines_first()
        {
            _poster = NewPoster(new LogPostSettings { MaxBytesPerInterval = 1024, IntervalMs = 5000, BufferBytes = 16384, MaxLines = 64 });
            SwitchOn("{\"content\":{\"mode\":1}}");
            for (int i = 0; i < 30; i++)
            {
                _log.Write(LogLevel.Error, "app", "line " + i.ToString("00") + " " + new string('x', 80));
            }

            int first = _poster.Tick();
            Assert.Equal(0, _poster.Tick());
            _clock.Advance(4999);
            Assert.Equal(0, _poster.Tick());
            _clock.Advance(1);
            int second = _poster.Tick();

            var posts = _transport.Published.Where(p => p.Topic == Sys + "thing/log/post").ToList();
            Assert.Equal(2, posts.Count);
            Assert.All(posts, p => Assert.True(p.Payload.Length <= 1024, p.Payload.Length + " bytes"));
            Assert.True(first > 0 && second > 0);
            Assert.Contains("line 00 ", Encoding.UTF8.GetString(posts[0].Payload));
            Assert.Contains("\"line " + first.ToString("00") + " ", Encoding.UTF8.GetString(posts[1].Payload));
            Assert.Equal(30 - first - second, _poster.Pending);
            Assert.Equal(0, _poster.Dropped);
        }

        [Fact]
        public void Property_posts_go_first_logs_wait_while_a_qos1_message_is_pending()
        {
            var transport = new FakeTransport(new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "ok"), false, true);
            transport.Connect(new MqttConnectRequest(), new NullListener());
            _outbox.Detach();
            _outbox.Attach(transport);
            SwitchOn("{\"content\":{\"mode\":1}}");
            Assert.Equal(PublishStatus.Sent, _outbox.Publish(Topics.PropertyPost, Encoding.UTF8.GetBytes("{}"), 1));
            _log.Write(LogLevel.Error, "app", "something failed");

            Assert.Equal(0, _poster.Tick());
            Assert.DoesNotContain(transport.Published, p => p.Topic == Sys + "thing/log/post");

            _outbox.OnAcknowledged(transport.Published[0].PacketId, 0);
            Assert.Equal(1, _poster.Tick());
            Assert.Contains(transport.Published, p => p.Topic == Sys + "thing/log/post");
        }

        [Fact]
        public void Offline_lines_are_held_up_to_the_bound_then_dropped_and_counted_and_the_count_is_posted()
        {
            _poster = NewPoster(new LogPostSettings { MaxLines = 4, BufferBytes = 4096 });
            SwitchOn("{\"content\":{\"mode\":1}}");
            _outbox.Detach();
            for (int i = 0; i < 10; i++)
            {
                _log.Write(LogLevel.Error, "session", "connection lost " + i.ToString());
            }

            Assert.Equal(0, _poster.Tick());
            Assert.Equal(4, _poster.Pending);
            Assert.Equal(6, _poster.Dropped);

            _outbox.Attach(_transport);
            Assert.Equal(4, _poster.Tick());
            string text = Encoding.UTF8.GetString(_transport.Published.Single(p => p.Topic == Sys + "thing/log/post").Payload);
            Assert.Contains("{\"utcTime\":\"2026-12-03T01:02:03.004+0000\",\"logLevel\":\"WARN\",\"module\":\"logpost\",\"code\":\"\",\"traceContext\":\"\",\"logContent\":\"6 log line(s) dropped: buffer full\"}", text);
            Assert.Contains("connection lost 0", text);
            Assert.Contains("connection lost 3", text);
            Assert.DoesNotContain("connection lost 4", text);
        }

        [Fact]
        public void Secrets_never_leave_the_device_in_a_log_line()
        {
            const string Secret = "Xk9sSecretValue123";
            _inner.Secret(Secret);
            var poster = NewPoster(new LogPostSettings(), new CapturingLog());
            poster.Scrubber.AddSecret(Secret);
            poster.Apply(true, (int)LogLevel.Debug);
            var log = new CloudLog(new CapturingLog());
            log.Poster = poster;

            log.Write(LogLevel.Error, "app", "secret is " + Secret + " (oops)");
            log.Write(LogLevel.Error, "app", "config {\"deviceSecret\":\"abcdEFGH1234\",\"deviceName\":\"d1\"}");
            log.Write(LogLevel.Error, "app", "wifi password=hunter22; retry");
            log.Write(LogLevel.Error, "app", "GET https://oss.example.com/a/b.json?Expires=1&OSSAccessKeyId=AK&Signature=s1g failed");
            poster.Tick();

            string text = Encoding.UTF8.GetString(_transport.Published.Single(p => p.Topic == Sys + "thing/log/post").Payload);
            SecretAssert.NotIn(Secret, text, "the posted log");
            SecretAssert.NotIn("abcdEFGH1234", text, "the posted log");
            SecretAssert.NotIn("hunter22", text, "the posted log");
            SecretAssert.NotIn("Signature=s1g", text, "the posted log");
            Assert.Contains("secret is *** (oops)", text);
            Assert.Contains("{\\\"deviceSecret\\\":\\\"***\\\",\\\"deviceName\\\":\\\"d1\\\"}", text);
            Assert.Contains("wifi password=***; retry", text);
            Assert.Contains("https://oss.example.com/a/b.json?*** failed", text);
        }

        private void SwitchOn(string data)
        {
            Assert.True(_poster.Handle(Sys + "thing/config/log/get_reply", Encoding.UTF8.GetBytes("{\"id\":\"1\",\"code\":200,\"data\":" + data + ",\"message\":\"success\",\"version\":\"1.0\"}")));
            Assert.True(_poster.Enabled);
        }

        private LogPoster NewPoster(LogPostSettings settings, ILog own = null)
        {
            var poster = new LogPoster(Topics, _outbox, new AlinkIds(), _clock, own ?? _inner, settings) { Outbox = _outbox };
            _log.Poster = poster;
            return poster;
        }
    }
}
