using System.Threading;
using AliyunIot.Connection;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Thing
{
    /// <summary>
    /// The reporter publishes without holding its lock: a publish can block on the transport (M2Mqtt waits for the
    /// socket), and a sensor thread posting meanwhile must not wait behind it. Readings kept while a history post is
    /// in flight must neither be sent twice nor lost uncounted.
    /// </summary>
    public class ThingReporterPublishTests
    {
        [Fact]
        public void Another_thread_can_post_while_a_property_post_is_being_published()
        {
            var hook = new HookedPublisher();
            var f = new ThingFixture(publisher: hook);
            bool otherFinished = false;
            hook.OnPublish = (topic, status) =>
            {
                if (hook.Calls != 1)
                {
                    return status;
                }

                // Blocked publish: a second poster (the sensor thread) and a status read must get through.
                var other = new Thread(() =>
                {
                    Assert.Null(f.Reporter.ReportProperty("Count", 7));
                    Assert.Equal(0, f.Reporter.BufferedReadings);
                });
                other.Start();
                // A deadlock guard, not a timing assertion: with the lock held the other thread never finishes.
                otherFinished = other.Join(30000);
                return status;
            };

            Assert.Null(f.Reporter.ReportProperty("Temp", 20.0));
            Assert.True(otherFinished, "a post on another thread waited for the publish in progress");
            Assert.Equal(2, hook.Inner.Messages.Length);
            Assert.Contains("\"Count\":", hook.Inner.Messages[1].Text);
            Assert.Contains("\"Temp\":", hook.Inner.Messages[0].Text);
        }

        [Fact]
        public void Another_thread_can_post_while_a_history_post_is_being_published()
        {
            var hook = new HookedPublisher();
            var f = new ThingFixture(publisher: hook);
            f.Reporter.Online = false;
            f.Reporter.ReportProperty("Count", 1);
            bool otherFinished = false;
            hook.OnPublish = (topic, status) =>
            {
                if (!topic.EndsWith("/history/post") || otherFinished)
                {
                    return status;
                }

                var other = new Thread(() => Assert.Null(f.Reporter.ReportProperty("Count", 2)));
                other.Start();
                otherFinished = other.Join(30000);
                return status;
            };

            f.Reporter.Online = true;
            Assert.True(otherFinished, "a post on another thread waited for the history post in progress");
            Assert.Equal(2, hook.Inner.Messages.Length);
            Assert.EndsWith("/history/post", hook.Inner.Messages[0].Topic);
            Assert.EndsWith("/property/post", hook.Inner.Messages[1].Topic);
            Assert.Equal(0, f.Reporter.BufferedReadings);
        }

        [Fact]
        public void A_reading_pushed_out_of_a_full_buffer_by_one_kept_during_a_taken_history_post_is_not_counted_lost()
        {
            // Count 1 is pushed out while on its way in a post the outbox takes: delivered, not lost.
            var (f, hook) = KeepAReadingWhileAFullBufferIsPosted(PublishStatus.Sent);
            var history = Assert.Single(hook.Inner.Messages);
            Assert.Contains("{\"value\":1,", history.Text);
            Assert.Contains("{\"value\":2,", history.Text);
            Assert.Equal(1, f.Reporter.BufferedReadings);
            Assert.Equal(0, f.Reporter.DroppedReadings);

            // What is left is Count 3 only: the readings just delivered are not sent again.
            f.Reporter.Online = true;
            Assert.Equal(2, hook.Inner.Messages.Length);
            Assert.Contains("{\"value\":3,", hook.Inner.Messages[1].Text);
            Assert.DoesNotContain("{\"value\":2,", hook.Inner.Messages[1].Text);
            Assert.Equal(0, f.Reporter.BufferedReadings);
        }

        [Fact]
        public void A_reading_pushed_out_of_a_full_buffer_during_a_history_post_that_is_not_taken_is_counted_lost()
        {
            var (f, hook) = KeepAReadingWhileAFullBufferIsPosted(PublishStatus.InFlightFull);
            Assert.Equal(2, f.Reporter.BufferedReadings);
            Assert.Equal(1, f.Reporter.DroppedReadings);

            f.Reporter.Online = true;
            var retry = hook.Inner.Messages[1];
            Assert.DoesNotContain("{\"value\":1,", retry.Text);
            Assert.Contains("{\"value\":2,", retry.Text);
            Assert.Contains("{\"value\":3,", retry.Text);
        }

        // A buffer of 2 holds Count 1 and 2; while their history post is being published (answered historyStatus),
        // the device goes offline and keeps Count 3, which pushes Count 1 out of the full buffer.
        private static (ThingFixture, HookedPublisher) KeepAReadingWhileAFullBufferIsPosted(PublishStatus historyStatus)
        {
            var hook = new HookedPublisher();
            var f = new ThingFixture(publisher: hook, bufferCapacity: 2);
            f.Reporter.Online = false;
            f.Reporter.ReportProperty("Count", 1);
            f.Reporter.ReportProperty("Count", 2);
            hook.OnPublish = (topic, status) =>
            {
                if (topic.EndsWith("/history/post") && hook.Calls == 1)
                {
                    f.Reporter.Online = false;
                    Assert.Null(f.Reporter.ReportProperty("Count", 3));
                    return historyStatus;
                }

                return status;
            };

            f.Reporter.Online = true;
            return (f, hook);
        }

        private sealed class HookedPublisher : IPublisher
        {
            public CapturingPublisher Inner { get; } = new CapturingPublisher();

            public System.Func<string, PublishStatus, PublishStatus> OnPublish { get; set; }

            public int Calls { get; private set; }

            public PublishStatus Publish(string topic, byte[] payload, int qos)
            {
                Calls++;
                PublishStatus status = Inner.Publish(topic, payload, qos);
                return OnPublish == null ? status : OnPublish(topic, status);
            }
        }
    }
}
