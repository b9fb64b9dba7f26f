using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>How a device's answer is told apart from other messages on the reply topic.</summary>
    public enum ReplyMatch
    {
        /// <summary>Alink <c>_reply</c>: a JSON object with a <c>code</c> whose <c>id</c> is the request's.</summary>
        AlinkId = 0,

        /// <summary>
        /// System-form RRPC: anything on <c>/sys/{pk}/{dn}/rrpc/response/{messageId}</c>. The platform matches the
        /// answer by the messageId in the topic; the payload is the device's own (its id may differ or be absent).
        /// </summary>
        Topic = 1,

        /// <summary>
        /// Ext-form RRPC: anything on the request's own topic except the request itself, which the cloud's
        /// subscription delivers back to it first.
        /// </summary>
        TopicNotEcho = 2,
    }

    /// <summary>The commands waiting for a device's answer, and the rule that matches each answer. Thread-safe.</summary>
    public sealed class PendingReplies
    {
        private readonly List<Pending> _pending = new List<Pending>();

        /// <summary>Starts waiting for an answer on <paramref name="replyTopic"/>; dispose the result to stop.</summary>
        /// <param name="replyTopic">Topic the answer comes on.</param>
        /// <param name="match">How the answer is recognised.</param>
        /// <param name="requestId">The request's Alink id.</param>
        /// <param name="request">The request's bytes (an ext-form echo of them is not the answer).</param>
        public Pending Add(string replyTopic, ReplyMatch match, string requestId, byte[] request)
        {
            var pending = new Pending(this, replyTopic, match, requestId, request);
            lock (_pending)
            {
                _pending.Add(pending);
            }

            return pending;
        }

        /// <summary>Offers one received message to every waiter; returns true if it answered one.</summary>
        public bool Offer(string topic, byte[] payload)
        {
            bool answered = false;
            lock (_pending)
            {
                foreach (Pending pending in _pending)
                {
                    if (pending.Topic == topic && !pending.Done.IsSet && pending.TryAccept(payload))
                    {
                        answered = true;
                    }
                }
            }

            return answered;
        }

        private void Remove(Pending pending)
        {
            lock (_pending)
            {
                _pending.Remove(pending);
            }
        }

        /// <summary>One command waiting for its answer.</summary>
        public sealed class Pending : IDisposable
        {
            private readonly PendingReplies _owner;
            private readonly ReplyMatch _match;
            private readonly string _requestId;
            private readonly byte[] _request;
            private bool _echoSeen;

            internal Pending(PendingReplies owner, string topic, ReplyMatch match, string requestId, byte[] request)
            {
                _owner = owner;
                Topic = topic;
                _match = match;
                _requestId = requestId;
                _request = request;
            }

            /// <summary>The reply topic.</summary>
            public string Topic { get; }

            /// <summary>Set when the answer arrived.</summary>
            public ManualResetEventSlim Done { get; } = new ManualResetEventSlim(false);

            /// <summary>The answer's bytes, once <see cref="Done"/> is set.</summary>
            public byte[] Payload { get; private set; }

            /// <summary>The answer as a JSON object, or null when it is not one.</summary>
            public JsonObject Json { get; private set; }

            /// <inheritdoc />
            public void Dispose() => _owner.Remove(this);

            internal bool TryAccept(byte[] payload)
            {
                JsonObject json = AlinkMessages.TryParse(payload);
                switch (_match)
                {
                    case ReplyMatch.AlinkId:
                        if (json == null || json["code"] == null || AlinkMessages.IdText(json["id"]) != _requestId)
                        {
                            return false;
                        }

                        break;
                    case ReplyMatch.TopicNotEcho:
                        if (!_echoSeen && payload.AsSpan().SequenceEqual(_request))
                        {
                            _echoSeen = true;
                            return false;
                        }

                        break;
                }

                Payload = payload;
                Json = json;
                Done.Set();
                return true;
            }
        }
    }
}
