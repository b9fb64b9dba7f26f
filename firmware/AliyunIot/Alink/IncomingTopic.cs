namespace AliyunIot.Alink
{
    /// <summary>The result of classifying one incoming topic.</summary>
    public sealed class IncomingTopic
    {
        /// <summary>Creates a classification.</summary>
        public IncomingTopic(TopicKind kind, string topic, string identifier, string rrpcId, string replyTopic, string problem)
        {
            Kind = kind;
            Topic = topic;
            Identifier = identifier;
            RrpcId = rrpcId;
            ReplyTopic = replyTopic;
            Problem = problem;
        }

        /// <summary>What the topic is.</summary>
        public TopicKind Kind { get; private set; }

        /// <summary>The topic as received.</summary>
        public string Topic { get; private set; }

        /// <summary>Service id (Service, ExtRrpcService), event id or "property" (PostReply), or null.</summary>
        public string Identifier { get; private set; }

        /// <summary>The RRPC message id (SysRrpc, ExtRrpc*), checked safe, or the broadcast message id; else null.</summary>
        public string RrpcId { get; private set; }

        /// <summary>Where the answer goes (built only from DeviceTopics and checked-safe parts), or null when there is none.</summary>
        public string ReplyTopic { get; private set; }

        /// <summary>Why the topic was refused (Foreign, Invalid), else null.</summary>
        public string Problem { get; private set; }
    }
}
