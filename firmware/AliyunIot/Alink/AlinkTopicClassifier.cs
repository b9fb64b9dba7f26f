namespace AliyunIot.Alink
{
    /// <summary>
    /// Sorts incoming topics of THIS device into thing-model message kinds and works out where each answer goes.
    /// Topics of another device are <see cref="TopicKind.Foreign"/>; an RRPC message id containing <c>/</c>,
    /// <c>+</c>, <c>#</c>, control characters, empty or longer than 64 characters, or a service identifier outside
    /// letters/digits/<c>_</c>/<c>:</c>, makes the topic <see cref="TopicKind.Invalid"/> — such parts are never
    /// used to build a reply topic. Stateless and thread-safe.
    /// </summary>
    public sealed class AlinkTopicClassifier
    {
        /// <summary>Longest RRPC message id accepted.</summary>
        public const int MaxRrpcIdLength = 64;

        /// <summary>Longest thing-model identifier accepted (the platform allows 50, plus a function-block prefix).</summary>
        public const int MaxIdentifierLength = 64;

        private const string ExtRrpcPrefix = "/ext/rrpc/";
        private readonly DeviceTopics _topics;
        private readonly string _deviceUserPrefix;

        /// <summary>Creates a classifier for the device owning <paramref name="topics"/>.</summary>
        public AlinkTopicClassifier(DeviceTopics topics)
        {
            _topics = topics;
            _deviceUserPrefix = topics.UserPrefix;
        }

        /// <summary>Classifies <paramref name="topic"/>.</summary>
        public IncomingTopic Classify(string topic)
        {
            if (!_topics.IsOwn(topic) || OrdinalText.HasControlCharacter(topic))
            {
                return new IncomingTopic(TopicKind.Foreign, topic, null, null, null, "not a topic of this device");
            }

            if (OrdinalText.StartsWith(topic, _topics.SysPrefix))
            {
                return ClassifySys(topic);
            }

            if (OrdinalText.StartsWith(topic, _deviceUserPrefix))
            {
                return new IncomingTopic(TopicKind.User, topic, null, null, null, null);
            }

            if (OrdinalText.StartsWith(topic, _topics.BroadcastPrefix))
            {
                return new IncomingTopic(TopicKind.Broadcast, topic, null, null, null, null);
            }

            if (OrdinalText.StartsWith(topic, ExtRrpcPrefix))
            {
                return ClassifyExtRrpc(topic);
            }

            return new IncomingTopic(TopicKind.NotThing, topic, null, null, null, null);
        }

        /// <summary>True for 1..64 printable ASCII characters without <c>/</c>, <c>+</c>, <c>#</c>.</summary>
        public static bool IsSafeRrpcId(string id)
        {
            if (id == null || id.Length == 0 || id.Length > MaxRrpcIdLength)
            {
                return false;
            }

            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                if (c <= ' ' || c > '~' || c == '/' || c == '+' || c == '#')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>True for 1..64 characters of letters, digits, <c>_</c> and <c>:</c> (function-block prefix).</summary>
        public static bool IsSafeIdentifier(string id)
        {
            if (id == null || id.Length == 0 || id.Length > MaxIdentifierLength)
            {
                return false;
            }

            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private IncomingTopic ClassifySys(string topic)
        {
            const string Service = "thing/service/";
            const string RrpcRequest = "rrpc/request/";
            const string Event = "thing/event/";
            const string ProductBroadcast = "broadcast/request/";

            if (topic == _topics.PropertySet)
            {
                return new IncomingTopic(TopicKind.PropertySet, topic, null, null, _topics.PropertySetReply, null);
            }

            if (topic == _topics.PropertyGet)
            {
                return new IncomingTopic(TopicKind.PropertyGet, topic, null, null, _topics.PropertyGetReply, null);
            }

            // Cut only after the exact matches above: property set/get are the busiest topics and need no copy.
            string rest = topic.Substring(_topics.SysPrefix.Length);

            if (OrdinalText.StartsWith(rest, Service))
            {
                string serviceId = rest.Substring(Service.Length);
                if (serviceId.IndexOf('/') >= 0)
                {
                    return new IncomingTopic(TopicKind.NotThing, topic, null, null, null, null);
                }

                if (OrdinalText.EndsWith(serviceId, "_reply"))
                {
                    return new IncomingTopic(TopicKind.OwnEcho, topic, null, null, null, null);
                }

                if (!IsSafeIdentifier(serviceId) || serviceId == "property")
                {
                    return new IncomingTopic(TopicKind.Invalid, topic, null, null, null, "bad service identifier");
                }

                return new IncomingTopic(TopicKind.Service, topic, serviceId, null, _topics.ServiceReply(serviceId), null);
            }

            if (OrdinalText.StartsWith(rest, RrpcRequest))
            {
                string rrpcId = rest.Substring(RrpcRequest.Length);
                if (!IsSafeRrpcId(rrpcId))
                {
                    return new IncomingTopic(TopicKind.Invalid, topic, null, null, null, "unsafe RRPC message id");
                }

                return new IncomingTopic(TopicKind.SysRrpc, topic, null, rrpcId, _topics.RrpcResponsePrefix + rrpcId, null);
            }

            if (topic == _topics.DownRaw)
            {
                return new IncomingTopic(TopicKind.DownRaw, topic, null, null, _topics.DownRawReply, null);
            }

            if (topic == _topics.UpRawReply)
            {
                return new IncomingTopic(TopicKind.UpRawReply, topic, null, null, null, null);
            }

            if (topic == _topics.BatchPostReply || topic == _topics.HistoryPostReply)
            {
                return new IncomingTopic(TopicKind.PostReply, topic, "property", null, null, null);
            }

            if (rest.Length > Event.Length + "/post_reply".Length && OrdinalText.StartsWith(rest, Event) && OrdinalText.EndsWith(rest, "/post_reply"))
            {
                string eventId = rest.Substring(Event.Length, rest.Length - Event.Length - "/post_reply".Length);
                if (IsSafeIdentifier(eventId))
                {
                    return new IncomingTopic(TopicKind.PostReply, topic, eventId, null, null, null);
                }

                return new IncomingTopic(TopicKind.Invalid, topic, null, null, null, "bad event identifier");
            }

            if (OrdinalText.StartsWith(rest, ProductBroadcast))
            {
                string messageId = rest.Substring(ProductBroadcast.Length);
                if (!IsSafeRrpcId(messageId))
                {
                    return new IncomingTopic(TopicKind.Invalid, topic, null, null, null, "unsafe broadcast message id");
                }

                return new IncomingTopic(TopicKind.ProductBroadcast, topic, null, messageId, null, null);
            }

            return new IncomingTopic(TopicKind.NotThing, topic, null, null, null, null);
        }

        private IncomingTopic ClassifyExtRrpc(string topic)
        {
            int cut = topic.IndexOf('/', ExtRrpcPrefix.Length);
            string rrpcId = cut < 0 ? null : topic.Substring(ExtRrpcPrefix.Length, cut - ExtRrpcPrefix.Length);
            if (!IsSafeRrpcId(rrpcId))
            {
                return new IncomingTopic(TopicKind.Invalid, topic, null, null, null, "unsafe RRPC message id");
            }

            string rest = topic.Substring(cut);
            if (OrdinalText.StartsWith(rest, _topics.SysPrefix))
            {
                string sys = rest.Substring(_topics.SysPrefix.Length);
                const string Service = "thing/service/";
                if (OrdinalText.StartsWith(sys, Service))
                {
                    string serviceId = sys.Substring(Service.Length);
                    if (!IsSafeIdentifier(serviceId) || serviceId == "property")
                    {
                        return new IncomingTopic(TopicKind.Invalid, topic, null, null, null, "bad service identifier");
                    }

                    return new IncomingTopic(TopicKind.ExtRrpcService, topic, serviceId, rrpcId, topic, null);
                }

                if (sys == "thing/model/down_raw")
                {
                    return new IncomingTopic(TopicKind.ExtRrpcDownRaw, topic, null, rrpcId, topic, null);
                }

                return new IncomingTopic(TopicKind.NotThing, topic, null, null, null, null);
            }

            if (OrdinalText.StartsWith(rest, _deviceUserPrefix))
            {
                return new IncomingTopic(TopicKind.ExtRrpcUser, topic, null, rrpcId, topic, null);
            }

            return new IncomingTopic(TopicKind.NotThing, topic, null, null, null, null);
        }
    }
}
