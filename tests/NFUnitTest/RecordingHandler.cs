using System;
using System.Collections;
using System.Threading;
using AliyunIot.Connection;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An <see cref="IMessageHandler"/> owning the topics that start with a prefix: records "topic:length" for each
    /// message it takes (joined with ';'), signals each one, and throws when the payload's first byte is 0xEE.
    /// </summary>
    internal sealed class RecordingHandler : IMessageHandler
    {
        private readonly object _gate = new object();
        private readonly string _prefix;
        private readonly string[] _subscriptions;
        private string _seen = "";
        private int _count;

        /// <summary>Creates a handler for topics starting with <paramref name="prefix"/>, subscribing <paramref name="subscriptions"/>.</summary>
        public RecordingHandler(string prefix, string[] subscriptions)
        {
            _prefix = prefix;
            _subscriptions = subscriptions;
        }

        /// <summary>Set after every message taken.</summary>
        public readonly AutoResetEvent Handled = new AutoResetEvent(false);

        /// <summary>Set when Handle starts on a message of this handler (before <see cref="Gate"/>).</summary>
        public readonly AutoResetEvent Entered = new AutoResetEvent(false);

        /// <summary>When set, Handle blocks on it before recording (to fill the dispatcher's queue).</summary>
        public ManualResetEvent Gate;

        /// <summary>Messages taken so far.</summary>
        public int Count
        {
            get { lock (_gate) { return _count; } }
        }

        /// <summary>"topic:length" of each message taken, joined with ';'.</summary>
        public string Seen
        {
            get { lock (_gate) { return _seen; } }
        }

        /// <inheritdoc />
        public void AddSubscriptions(ArrayList topics)
        {
            for (int i = 0; i < _subscriptions.Length; i++)
            {
                topics.Add(_subscriptions[i]);
            }
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            if (!AliyunIot.Alink.OrdinalText.StartsWith(topic, _prefix))
            {
                return false;
            }

            Entered.Set();
            if (Gate != null)
            {
                Gate.WaitOne(10000, false);
            }

            lock (_gate)
            {
                _seen = (_seen.Length == 0 ? "" : _seen + ";") + topic + ":" + payload.Length.ToString();
                _count++;
            }

            Handled.Set();
            if (payload.Length > 0 && payload[0] == 0xEE)
            {
                throw new InvalidOperationException("handler failure injected by the test");
            }

            return true;
        }

        /// <summary>Waits until <paramref name="count"/> messages were taken; false after 10 s.</summary>
        public bool WaitFor(int count)
        {
            for (int i = 0; i < 100 && Count < count; i++)
            {
                Handled.WaitOne(100, false);
            }

            return Count >= count;
        }
    }
}
