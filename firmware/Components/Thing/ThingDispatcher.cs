using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Answers the cloud's thing-model requests for this device: property set (validate all, apply through the
    /// setters, reply <c>set_reply</c>, then post what changed), property get, async services
    /// (<c>{id}_reply</c>), synchronous services in both RRPC forms, raw down/up, custom user topics, broadcasts,
    /// and post replies (handed to <see cref="ThingReporter"/>). Every payload passes <see cref="JsonGuard"/> before
    /// the parser; anything malformed, foreign, unknown, out of range or with a method that does not match its
    /// topic is refused — answered 460 where the protocol has an answer — and logged. Application handlers that
    /// throw are answered 400 (or their <see cref="ThingHandlerException"/> code); nothing escapes
    /// <see cref="Handle"/>. Replies use QoS 0, go only to topics built from <see cref="DeviceTopics"/>
    /// and checked with <see cref="DeviceTopics.IsOwn"/>. Runs on the session's single worker thread.
    /// This class is the router: it classifies the topic, refuses what is foreign, invalid or too large, and hands
    /// each message to one part — services and RRPC (<see cref="ServiceRequestHandler"/>, which passes property
    /// set/get to <see cref="PropertyRequestHandler"/>), raw and user topics (<see cref="RawMessageDispatcher"/>) —
    /// or, for post replies, to the reporter. The parts answer through one <see cref="ThingReplies"/>.
    /// </summary>
    public sealed class ThingDispatcher : IMessageHandler
    {
        private readonly ThingReporter _reporter;
        private readonly DeviceTopics _topics;
        private readonly ILog _log;
        private readonly int _maxPayloadBytes;
        private readonly AlinkTopicClassifier _classifier;
        private readonly ThingReplies _replies;
        private readonly ThingEnvelopes _envelopes;
        private readonly RawMessageDispatcher _raw;
        private readonly ServiceRequestHandler _services;
        private readonly ArrayList _userSubscriptions = new ArrayList();
        private readonly ArrayList _broadcastSubscriptions = new ArrayList();

        /// <summary>Creates the dispatcher.</summary>
        /// <param name="model">The application's thing model.</param>
        /// <param name="reporter">Posts values after a set; receives post replies.</param>
        /// <param name="topics">This device's topics.</param>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="log">Log.</param>
        /// <param name="maxPayloadBytes">Largest payload accepted or written (limits.maxPayloadBytes).</param>
        public ThingDispatcher(ThingModel model, ThingReporter reporter, DeviceTopics topics, IPublisher publisher, ILog log, int maxPayloadBytes)
        {
            _reporter = reporter;
            _topics = topics;
            _log = log;
            _maxPayloadBytes = maxPayloadBytes;
            _classifier = new AlinkTopicClassifier(topics);
            _replies = new ThingReplies(topics, publisher, log, maxPayloadBytes);
            _envelopes = new ThingEnvelopes(maxPayloadBytes);
            _raw = new RawMessageDispatcher(_replies);
            _services = new ServiceRequestHandler(model, _replies, _envelopes, new PropertyRequestHandler(model, reporter, _replies), _raw);
        }

        /// <summary>Answers <c>thing/model/down_raw</c> and raw sync services (<c>/ext/rrpc/{id}/…/down_raw</c>); returned bytes are the reply.</summary>
        public RawRequestHandler DownRawHandler
        {
            get { return _raw.DownRawHandler; }
            set { _raw.DownRawHandler = value; }
        }

        /// <summary>Answers <c>/sys/{pk}/{dn}/rrpc/request/{id}</c> messages that are not Alink service calls (raw system RRPC).</summary>
        public RawRequestHandler RawRrpcHandler
        {
            get { return _raw.RawRrpcHandler; }
            set { _raw.RawRrpcHandler = value; }
        }

        /// <summary>Answers custom-topic RRPC (<c>/ext/rrpc/{id}/{pk}/{dn}/user/…</c>); returned bytes go back on the same topic.</summary>
        public RawRequestHandler UserRrpcHandler
        {
            get { return _raw.UserRrpcHandler; }
            set { _raw.UserRrpcHandler = value; }
        }

        /// <summary>Receives <c>thing/model/up_raw_reply</c>.</summary>
        public RawMessageHandler UpRawReplyHandler
        {
            get { return _raw.UpRawReplyHandler; }
            set { _raw.UpRawReplyHandler = value; }
        }

        /// <summary>Receives custom topics <c>/{pk}/{dn}/user/…</c>.</summary>
        public RawMessageHandler UserMessageHandler
        {
            get { return _raw.UserMessageHandler; }
            set { _raw.UserMessageHandler = value; }
        }

        /// <summary>Receives <c>/broadcast/{pk}/…</c> and <c>/sys/{pk}/{dn}/broadcast/request/{id}</c>.</summary>
        public RawMessageHandler BroadcastHandler
        {
            get { return _raw.BroadcastHandler; }
            set { _raw.BroadcastHandler = value; }
        }

        /// <summary>Messages refused (foreign, invalid, malformed, unknown, bad values), since start.</summary>
        public int RefusedCount
        {
            get { return _replies.RefusedCount; }
        }

        /// <summary>Application handler failures (exceptions, refusals), since start.</summary>
        public int HandlerFailureCount
        {
            get { return _replies.HandlerFailureCount; }
        }

        /// <summary>Subscribes <c>/{pk}/{dn}/user/{subtopic}</c> (MQTT wildcards allowed as whole levels) after every connect.</summary>
        public void SubscribeUserTopic(string subtopic)
        {
            _userSubscriptions.Add(_topics.UserPrefix + CheckFilter(subtopic));
        }

        /// <summary>Subscribes <c>/ext/rrpc/+/{pk}/{dn}/user/{subtopic}</c> (custom-topic RRPC) after every connect.</summary>
        public void SubscribeUserRrpcTopic(string subtopic)
        {
            _userSubscriptions.Add("/ext/rrpc/+" + _topics.UserPrefix + CheckFilter(subtopic));
        }

        /// <summary>Subscribes <c>/broadcast/{pk}/{subtopic}</c> (topic broadcasts must be subscribed) after every connect.</summary>
        public void SubscribeBroadcastTopic(string subtopic)
        {
            _broadcastSubscriptions.Add(_topics.BroadcastPrefix + CheckFilter(subtopic));
        }

        /// <inheritdoc />
        public void AddSubscriptions(ArrayList topics)
        {
            topics.Add(_topics.PropertySet);
            topics.Add(_topics.PropertyGet);
            topics.Add(_topics.ServiceFilter);
            topics.Add(_topics.RrpcRequestFilter);
            topics.Add(_topics.ExtRrpcServiceFilter);
            topics.Add(_topics.DownRaw);
            topics.Add("/ext/rrpc/+" + _topics.DownRaw);
            topics.Add(_topics.UpRawReply);
            topics.Add(_topics.EventPostReplyFilter);
            topics.Add(_topics.BatchPostReply);
            topics.Add(_topics.HistoryPostReply);
            topics.Add(_topics.ProductBroadcastFilter);
            for (int i = 0; i < _userSubscriptions.Count; i++)
            {
                topics.Add(_userSubscriptions[i]);
            }

            for (int i = 0; i < _broadcastSubscriptions.Count; i++)
            {
                topics.Add(_broadcastSubscriptions[i]);
            }
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            IncomingTopic incoming;
            try
            {
                incoming = _classifier.Classify(topic);
            }
            catch (Exception e)
            {
                _replies.Refuse("topic not classified: " + e.Message);
                return true;
            }

            switch (incoming.Kind)
            {
                case TopicKind.NotThing:
                    return false;
                case TopicKind.Foreign:
                    _replies.Refuse("foreign topic refused (" + ThingReplies.Describe(topic) + ")");
                    return true;
                case TopicKind.Invalid:
                    _replies.Refuse(incoming.Problem + " in topic (" + ThingReplies.Describe(topic) + "): not answered");
                    return true;
                case TopicKind.OwnEcho:
                    return true;
            }

            if (payload == null)
            {
                payload = new byte[0];
            }

            try
            {
                Dispatch(incoming, payload);
            }
            catch (Exception e)
            {
                // Last fence: a bug here must cost one message, never the worker thread.
                _replies.CountHandlerFailure();
                _log.Write(LogLevel.Error, ThingReplies.Source, "message on " + ThingReplies.Describe(topic) + " failed: " + e.Message);
            }

            try
            {
                _reporter.Pending.ExpireDue();
            }
            catch (Exception e)
            {
                _log.Write(LogLevel.Error, ThingReplies.Source, "pending expiry failed: " + e.Message);
            }

            return true;
        }

        private void Dispatch(IncomingTopic incoming, byte[] payload)
        {
            if (payload.Length > _maxPayloadBytes)
            {
                _replies.Refuse("payload of " + payload.Length.ToString() + " bytes on " + ThingReplies.Describe(incoming.Topic) + " exceeds " + _maxPayloadBytes.ToString());
                if (ThingReplies.IsRrpc(incoming.Kind))
                {
                    _replies.SendSimple(incoming.ReplyTopic, null, ReplyCodes.ParameterError, "payload too large");
                }

                return;
            }

            switch (incoming.Kind)
            {
                case TopicKind.PropertySet:
                case TopicKind.PropertyGet:
                case TopicKind.Service:
                case TopicKind.ExtRrpcService:
                    _services.HandleRequest(incoming, payload);
                    return;
                case TopicKind.SysRrpc:
                    _services.HandleSysRrpc(incoming, payload);
                    return;
                case TopicKind.PostReply:
                    HandlePostReply(incoming, payload);
                    return;
                default:
                    _raw.Handle(incoming, payload);
                    return;
            }
        }


        private void HandlePostReply(IncomingTopic incoming, byte[] payload)
        {
            AlinkEnvelope envelope = _envelopes.Take();
            try
            {
                string problem = _envelopes.Read(envelope, payload);
                if (problem != null)
                {
                    _replies.Refuse("malformed reply on " + ThingReplies.Describe(incoming.Topic) + ": " + problem);
                    return;
                }

                AlinkReply reply = envelope.ToReply(out problem);
                if (reply == null)
                {
                    _replies.Refuse("reply on " + ThingReplies.Describe(incoming.Topic) + " refused: " + problem);
                    return;
                }

                _reporter.OnReply(incoming.Topic, reply);
            }
            finally
            {
                _envelopes.Give(envelope);
            }
        }

        private static string CheckFilter(string subtopic)
        {
            if (subtopic == null || subtopic.Length == 0 || subtopic[0] == '/')
            {
                throw new ArgumentException("subtopic must be relative, e.g. \"get\" or \"cmd/+\"");
            }

            return subtopic;
        }
    }
}
