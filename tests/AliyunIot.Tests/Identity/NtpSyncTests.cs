using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Tests.Support;
using AliyunIot.Time;
using Xunit;

namespace AliyunIot.Tests.Identity
{
    public class NtpSyncTests
    {
        private readonly DeviceTopics _topics = new DeviceTopics("pk", "device");
        private readonly CapturingPublisher _publisher = new CapturingPublisher();
        private readonly ManualClock _clock = new ManualClock();
        private readonly CapturingLog _log = new CapturingLog();

        private NtpSync Create() => new NtpSync(_topics, _publisher, _clock, _log);

        private static byte[] Answer(string deviceSend, string serverRecv = "1571724098110", string serverSend = "1571724098115") =>
            Encoding.UTF8.GetBytes("{\"deviceSendTime\":\"" + deviceSend + "\",\"serverRecvTime\":\"" + serverRecv + "\",\"serverSendTime\":\"" + serverSend + "\"}");

        [Fact]
        public void Vector_from_testdata_gives_the_exact_utc_and_offset()
        {
            var v = Vectors.Root.GetProperty("ntp");
            long deviceSend = v.GetProperty("deviceSendTime").GetInt64();
            long deviceRecv = v.GetProperty("deviceRecvTime").GetInt64();
            long expectedUtc = v.GetProperty("utcMs").GetInt64();
            Assert.Equal(expectedUtc, NtpSync.ComputeUtcMs(deviceSend, v.GetProperty("serverRecvTime").GetInt64(), v.GetProperty("serverSendTime").GetInt64(), deviceRecv));

            NtpSync ntp = Create();
            long? seenUtc = null;
            ntp.Synchronized += (utc, offset) => seenUtc = utc;
            Assert.False(ntp.IsSynchronized);
            Assert.Equal(-1, ntp.UtcNowMs);

            _clock.Advance(deviceSend);
            Assert.Equal(PublishStatus.Sent, ntp.Request());
            Published request = _publisher.Messages.Single();
            Assert.Equal(("/ext/ntp/pk/device/request", "{\"deviceSendTime\":\"1000\"}", 0), (request.Topic, request.Text, request.Qos));

            _clock.Advance(deviceRecv - deviceSend);
            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Answer(deviceSend.ToString(), v.GetProperty("serverRecvTime").GetInt64().ToString(), v.GetProperty("serverSendTime").GetInt64().ToString())));

            Assert.True(ntp.IsSynchronized);
            Assert.Equal(expectedUtc, seenUtc);
            Assert.Equal(expectedUtc - deviceRecv, ntp.OffsetMs);
            Assert.Equal(expectedUtc, ntp.UtcNowMs);
            _clock.Advance(500);
            Assert.Equal(expectedUtc + 500, ntp.UtcNowMs);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedUtc + 500).UtcDateTime, ntp.UtcNow);
        }

        [Fact]
        public void Subscribes_the_response_topic_and_ignores_other_topics()
        {
            NtpSync ntp = Create();
            var topics = new ArrayList();
            ntp.AddSubscriptions(topics);
            Assert.Equal(new object[] { "/ext/ntp/pk/device/response" }, topics.ToArray());
            Assert.False(ntp.Handle("/ext/ntp/pk/other/response", Answer("0")));
            Assert.False(ntp.Handle("/sys/pk/device/thing/service/property/set", Answer("0")));
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("{\"deviceSendTime\":\"1000\"}")]
        [InlineData("{\"deviceSendTime\":\"1000\",\"serverRecvTime\":\"abc\",\"serverSendTime\":\"1\"}")]
        [InlineData("{\"deviceSendTime\":\"1000\",\"serverRecvTime\":\"-5\",\"serverSendTime\":\"1\"}")]
        [InlineData("{\"deviceSendTime\":\"1000\",\"serverRecvTime\":1.5,\"serverSendTime\":\"1\"}")]
        [InlineData("{\"deviceSendTime\":\"1000\",\"serverRecvTime\":\"200\",\"serverSendTime\":\"100\"}")]
        [InlineData("[1,2,3]")]
        public void Malformed_answers_are_refused_and_change_nothing(string payload)
        {
            NtpSync ntp = Create();
            _clock.Advance(1000);
            ntp.Request();
            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Encoding.UTF8.GetBytes(payload)));
            Assert.False(ntp.IsSynchronized);
            Assert.True(_log.Contains("NTP answer refused"));
        }

        [Fact]
        public void Answers_to_requests_it_did_not_send_and_replays_are_refused()
        {
            NtpSync ntp = Create();
            _clock.Advance(1000);
            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Answer("1000")));
            Assert.False(ntp.IsSynchronized);

            ntp.Request();
            _clock.Advance(100);
            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Answer("999")));
            Assert.False(ntp.IsSynchronized);

            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Answer("1000")));
            Assert.True(ntp.IsSynchronized);
            long offset = ntp.OffsetMs;

            // The same answer again (a replay) is refused and does not move the clock.
            _clock.Advance(5000);
            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Answer("1000", "1600000000000", "1600000000000")));
            Assert.Equal(offset, ntp.OffsetMs);
            Assert.Equal(3, _log.Count("did not send"));
        }

        [Fact]
        public void Slow_answers_and_unsent_requests_are_not_used()
        {
            NtpSync ntp = Create();
            _clock.Advance(1000);
            ntp.Request();
            _clock.Advance(NtpSync.DefaultMaxRoundTripMs + 1);
            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Answer("1000")));
            Assert.False(ntp.IsSynchronized);
            Assert.True(_log.Contains("round trip"));

            // A request the publisher refused is not expected back.
            _publisher.Status = PublishStatus.NotConnected;
            long stamp = _clock.MonotonicMs;
            Assert.Equal(PublishStatus.NotConnected, ntp.Request());
            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Answer(stamp.ToString())));
            Assert.False(ntp.IsSynchronized);
        }

        [Fact]
        public void A_json_number_is_accepted_like_a_decimal_string()
        {
            NtpSync ntp = Create();
            _clock.Advance(1000);
            ntp.Request();
            _clock.Advance(225);
            Assert.True(ntp.Handle("/ext/ntp/pk/device/response", Encoding.UTF8.GetBytes("{\"deviceSendTime\":1000,\"serverRecvTime\":1571724098110,\"serverSendTime\":1571724098115}")));
            Assert.Equal(1571724098225, ntp.UtcNowMs);
        }

        [Theory]
        [InlineData(1970, false)]
        [InlineData(2000, false)]
        [InlineData(2023, false)]
        [InlineData(2024, true)]
        [InlineData(2026, true)]
        [InlineData(2100, false)]
        public void Time_validity_accepts_only_plausible_years(int year, bool plausible)
        {
            Assert.Equal(plausible, TimeValidity.IsPlausibleForTls(new DateTime(year, 6, 1, 0, 0, 0, DateTimeKind.Utc)));
        }
    }
}
