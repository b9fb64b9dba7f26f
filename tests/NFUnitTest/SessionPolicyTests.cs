using AliyunIot.Connection;
using AliyunIot.Ports;
using AliyunIot.Time;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The session's policies on the nanoCLR with a controllable clock and edge-drawing random: exponential back-off
    /// with full jitter (1 s base, 60 s cap), the refusal back-off that never retries early, the 20 msg/s token
    /// bucket, CONNACK classification, and the platform's NTP four-timestamp formula.
    /// </summary>
    [TestClass]
    public class SessionPolicyTests
    {
        [TestMethod]
        public void Full_jitter_ceiling_doubles_from_base_to_cap()
        {
            Backoff backoff = new Backoff(new EdgeRandom(true), 1000, 60000, true);
            int[] expected = new int[] { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000 };
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], backoff.NextDelayMs(), "delay " + i.ToString());
            }

            backoff.Reset();
            Assert.AreEqual(0, backoff.Failures, "reset");
            Assert.AreEqual(1000, backoff.NextDelayMs(), "from the base again");
        }

        [TestMethod]
        public void Full_jitter_may_retry_at_once()
        {
            Backoff backoff = new Backoff(new EdgeRandom(false), 1000, 60000, true);
            Assert.AreEqual(0, backoff.NextDelayMs(), "first");
            Assert.AreEqual(0, backoff.NextDelayMs(), "second");
            Assert.AreEqual(2, backoff.Failures, "failures counted");
        }

        [TestMethod]
        public void Refusal_backoff_never_waits_less_than_half_the_ceiling()
        {
            Backoff backoff = new Backoff(new EdgeRandom(false), 300000, 1800000, false);
            int[] expected = new int[] { 150000, 300000, 600000, 900000, 900000 };
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], backoff.NextDelayMs(), "delay " + i.ToString());
            }
        }

        [TestMethod]
        public void Token_bucket_allows_a_one_second_burst_then_paces()
        {
            StepClock clock = new StepClock();
            TokenBucket bucket = new TokenBucket(clock, 20);
            for (int i = 0; i < 20; i++)
            {
                Assert.IsTrue(bucket.TryTake(), "burst " + i.ToString());
            }

            Assert.IsFalse(bucket.TryTake(), "21st in the same instant");
            Assert.AreEqual(50, bucket.MsUntilToken(), "one token every 50 ms");
            clock.Advance(49);
            Assert.IsFalse(bucket.TryTake(), "after 49 ms");
            clock.Advance(1);
            Assert.IsTrue(bucket.TryTake(), "after 50 ms");
        }

        [TestMethod]
        public void Connack_refusals_are_classified()
        {
            Assert.IsTrue(ConnectOutcomeClassifier.ClassifyRefusal(4) == ConnectionStatus.BadCredentials, "3.1.1 code 4");
            Assert.IsTrue(ConnectOutcomeClassifier.ClassifyRefusal(0x86) == ConnectionStatus.BadCredentials, "5.0 0x86");
            Assert.IsTrue(ConnectOutcomeClassifier.ClassifyRefusal(5) == ConnectionStatus.NotAuthorized, "3.1.1 code 5");
            Assert.IsTrue(ConnectOutcomeClassifier.ClassifyRefusal(2) == ConnectionStatus.ConfigurationRejected, "3.1.1 code 2");
            Assert.IsTrue(ConnectOutcomeClassifier.ClassifyRefusal(0x89) == ConnectionStatus.NetworkDown, "5.0 server busy is transient");
            Assert.IsTrue(ConnectOutcomeClassifier.IsRefusal(ConnectionStatus.BadCredentials), "long back-off for bad credentials");
            Assert.IsFalse(ConnectOutcomeClassifier.IsRefusal(ConnectionStatus.TlsFailed), "normal back-off for TLS");

            MqttConnectResult tls = new MqttConnectResult(MqttConnectOutcome.TlsError, -1, "x");
            Assert.IsTrue(ConnectOutcomeClassifier.Classify(tls) == ConnectionStatus.TlsFailed, "TLS error");
        }

        [TestMethod]
        public void Ntp_four_timestamp_formula_matches_the_vector()
        {
            // aliyun-vectors.json "ntp": (serverRecv + serverSend + deviceRecv - deviceSend) / 2.
            Assert.AreEqual(1571724098225L, NtpSync.ComputeUtcMs(1000, 1571724098110, 1571724098115, 1225), "utcMs");
        }
    }
}
