using System;
using System.Collections;
using System.Text;
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
    /// </summary>
    public sealed class ThingDispatcher : IMessageHandler
    {
        private const string Source = "thing";
        private const string ServiceMethodPrefix = "thing.service.";
        private const string PropertySetMethod = "thing.service.property.set";
        private const string PropertyGetMethod = "thing.service.property.get";
        private const int RecentRepliesKept = 16;

        private readonly ThingModel _model;
        private readonly ThingReporter _reporter;
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly ILog _log;
        private readonly int _maxPayloadBytes;
        private readonly AlinkTopicClassifier _classifier;
        private readonly AlinkReplyWriter _reply;
        private readonly ArrayList _userSubscriptions = new ArrayList();
        private readonly ArrayList _broadcastSubscriptions = new ArrayList();
        private readonly string[] _recentReplyTopics = new string[RecentRepliesKept];
        private int _recentNext;

        // Reused message after message; taken while in use so a handler that re-enters Handle gets its own.
        private AlinkEnvelope _spareEnvelope = new AlinkEnvelope();

        /// <summary>Creates the dispatcher.</summary>
        /// <param name="model">The application's thing model.</param>
        /// <param name="reporter">Posts values after a set; receives post replies.</param>
        /// <param name="topics">This device's topics.</param>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="log">Log.</param>
        /// <param name="maxPayloadBytes">Largest payload accepted or written (limits.maxPayloadBytes).</param>
        public ThingDispatcher(ThingModel model, ThingReporter reporter, DeviceTopics topics, IPublisher publisher, ILog log, int maxPayloadBytes)
        {
            _model = model;
            _reporter = reporter;
            _topics = topics;
            _publisher = publisher;
            _log = log;
            _maxPayloadBytes = maxPayloadBytes;
            _classifier = new AlinkTopicClassifier(topics);
            _reply = new AlinkReplyWriter(maxPayloadBytes);
        }

        /// <summary>Answers <c>thing/model/down_raw</c> and raw sync services (<c>/ext/rrpc/{id}/…/down_raw</c>); returned bytes are the reply.</summary>
        public RawRequestHandler DownRawHandler { get; set; }

        /// <summary>Answers <c>/sys/{pk}/{dn}/rrpc/request/{id}</c> messages that are not Alink service calls (raw system RRPC).</summary>
        public RawRequestHandler RawRrpcHandler { get; set; }

        /// <summary>Answers custom-topic RRPC (<c>/ext/rrpc/{id}/{pk}/{dn}/user/…</c>); returned bytes go back on the same topic.</summary>
        public RawRequestHandler UserRrpcHandler { get; set; }

        /// <summary>Receives <c>thing/model/up_raw_reply</c>.</summary>
        public RawMessageHandler UpRawReplyHandler { get; set; }

        /// <summary>Receives custom topics <c>/{pk}/{dn}/user/…</c>.</summary>
        public RawMessageHandler UserMessageHandler { get; set; }

        /// <summary>Receives <c>/broadcast/{pk}/…</c> and <c>/sys/{pk}/{dn}/broadcast/request/{id}</c>.</summary>
        public RawMessageHandler BroadcastHandler { get; set; }

        /// <summary>Messages refused (foreign, invalid, malformed, unknown, bad values), since start.</summary>
        public int RefusedCount { get; private set; }

        /// <summary>Application handler failures (exceptions, refusals), since start.</summary>
        public int HandlerFailureCount { get; private set; }

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
                Refuse("topic not classified: " + e.Message);
                return true;
            }

            switch (incoming.Kind)
            {
                case TopicKind.NotThing:
                    return false;
                case TopicKind.Foreign:
                    Refuse("foreign topic refused (" + Describe(topic) + ")");
                    return true;
                case TopicKind.Invalid:
                    Refuse(incoming.Problem + " in topic (" + Describe(topic) + "): not answered");
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
                HandlerFailureCount++;
                _log.Write(LogLevel.Error, Source, "message on " + Describe(topic) + " failed: " + e.Message);
            }

            try
            {
                _reporter.Pending.ExpireDue();
            }
            catch (Exception e)
            {
                _log.Write(LogLevel.Error, Source, "pending expiry failed: " + e.Message);
            }

            return true;
        }

        private void Dispatch(IncomingTopic incoming, byte[] payload)
        {
            if (payload.Length > _maxPayloadBytes)
            {
                Refuse("payload of " + payload.Length.ToString() + " bytes on " + Describe(incoming.Topic) + " exceeds " + _maxPayloadBytes.ToString());
                if (IsRrpc(incoming.Kind))
                {
                    SendSimple(incoming.ReplyTopic, null, ReplyCodes.ParameterError, "payload too large");
                }

                return;
            }

            switch (incoming.Kind)
            {
                case TopicKind.PropertySet:
                case TopicKind.PropertyGet:
                case TopicKind.Service:
                case TopicKind.ExtRrpcService:
                    HandleRequest(incoming, payload);
                    return;
                case TopicKind.SysRrpc:
                    HandleSysRrpc(incoming, payload);
                    return;
                case TopicKind.DownRaw:
                case TopicKind.ExtRrpcDownRaw:
                    HandleRaw(incoming, payload, DownRawHandler);
                    return;
                case TopicKind.ExtRrpcUser:
                    HandleRaw(incoming, payload, UserRrpcHandler);
                    return;
                case TopicKind.UpRawReply:
                    Deliver(incoming, payload, UpRawReplyHandler);
                    return;
                case TopicKind.User:
                    Deliver(incoming, payload, UserMessageHandler);
                    return;
                case TopicKind.Broadcast:
                case TopicKind.ProductBroadcast:
                    Deliver(incoming, payload, BroadcastHandler);
                    return;
                case TopicKind.PostReply:
                    HandlePostReply(incoming, payload);
                    return;
            }
        }

        private void HandleRequest(IncomingTopic incoming, byte[] payload)
        {
            if (IsRecentReply(incoming))
            {
                return;
            }

            bool rrpc = IsRrpc(incoming.Kind);
            AlinkEnvelope request = TakeEnvelope();
            try
            {
                string problem = ReadEnvelope(request, payload);
                if (problem != null)
                {
                    Refuse("malformed request on " + Describe(incoming.Topic) + ": " + problem);
                    if (rrpc)
                    {
                        SendSimple(incoming.ReplyTopic, null, ReplyCodes.ParameterError, "malformed request: " + problem);
                    }

                    return;
                }

                if (incoming.Kind == TopicKind.ExtRrpcService && request.LooksLikeReply)
                {
                    // Our own answer coming back on the shared /ext/rrpc/{id}/… topic.
                    return;
                }

                problem = RequestProblem(request);
                if (problem != null)
                {
                    Refuse("request on " + Describe(incoming.Topic) + " refused: " + problem);
                    if (rrpc)
                    {
                        SendSimple(incoming.ReplyTopic, null, ReplyCodes.ParameterError, problem);
                    }

                    return;
                }

                string expected;
                switch (incoming.Kind)
                {
                    case TopicKind.PropertySet:
                        expected = PropertySetMethod;
                        break;
                    case TopicKind.PropertyGet:
                        expected = PropertyGetMethod;
                        break;
                    default:
                        expected = ServiceMethodPrefix + incoming.Identifier;
                        break;
                }

                if (request.Method != null && request.Method != expected)
                {
                    Refuse("method does not match topic " + Describe(incoming.Topic));
                    SendSimple(incoming.ReplyTopic, request.Id, ReplyCodes.ParameterError, "method does not match the topic (expected " + expected + ")");
                    return;
                }

                Execute(expected, request, incoming.ReplyTopic);
            }
            finally
            {
                _spareEnvelope = request;
            }
        }

        private void HandleSysRrpc(IncomingTopic incoming, byte[] payload)
        {
            AlinkEnvelope request = TakeEnvelope();
            try
            {
                string problem = ReadEnvelope(request, payload);
                string method = problem == null ? request.Method : null;
                bool alink = method != null && OrdinalText.StartsWith(method, ServiceMethodPrefix);
                if (!alink)
                {
                    RawRequestHandler raw = RawRrpcHandler;
                    if (raw != null)
                    {
                        HandleRaw(incoming, payload, raw);
                        return;
                    }

                    string why = problem != null ? "malformed request: " + problem : "not a thing.service request";
                    Refuse("RRPC " + incoming.RrpcId + " refused: " + why);
                    SendSimple(incoming.ReplyTopic, problem == null ? request.Id : null, ReplyCodes.ParameterError, why);
                    return;
                }

                problem = RequestProblem(request);
                if (problem != null)
                {
                    Refuse("RRPC " + incoming.RrpcId + " refused: " + problem);
                    SendSimple(incoming.ReplyTopic, null, ReplyCodes.ParameterError, problem);
                    return;
                }

                string name = method.Substring(ServiceMethodPrefix.Length);
                if (name != "property.set" && name != "property.get" && !AlinkTopicClassifier.IsSafeIdentifier(name))
                {
                    Refuse("RRPC " + incoming.RrpcId + " refused: bad service identifier");
                    SendSimple(incoming.ReplyTopic, request.Id, ReplyCodes.ParameterError, "bad service identifier");
                    return;
                }

                Execute(method, request, incoming.ReplyTopic);
            }
            finally
            {
                _spareEnvelope = request;
            }
        }

        private void Execute(string method, AlinkEnvelope request, string replyTopic)
        {
            if (method == PropertySetMethod)
            {
                PropertySet(request, replyTopic);
            }
            else if (method == PropertyGetMethod)
            {
                PropertyGet(request, replyTopic);
            }
            else
            {
                CallService(method.Substring(ServiceMethodPrefix.Length), request, replyTopic);
            }
        }

        private void PropertySet(AlinkEnvelope request, string replyTopic)
        {
            JsonReader parameters = request.OpenParams();
            if (parameters == null || request.ParamsKind != JsonToken.StartObject)
            {
                RefuseRequest(request, replyTopic, "field params: expected object");
                return;
            }

            // Validate everything first: one bad field and nothing is applied. Accepted values are kept by the
            // property's declaration index (a validated value is never null), which also fixes the order they are
            // applied in. Names are matched in place and values read straight from the payload: no document tree.
            object[] accepted = new object[_model.PropertyCount];
            int members = 0;
            parameters.Read();
            while (parameters.Read() && parameters.Token == JsonToken.PropertyName)
            {
                members++;
                int index = FindProperty(parameters);
                PropertyDefinition property = index < 0 ? null : _model.GetProperty(index);
                if (property == null)
                {
                    RefuseRequest(request, replyTopic, "property " + Describe(parameters.GetString()) + ": unknown");
                    return;
                }

                string name = property.Identifier;
                if (property.Access != PropertyAccess.ReadWrite)
                {
                    RefuseRequest(request, replyTopic, "property " + name + ": read-only");
                    return;
                }

                parameters.Read();
                string problem;
                object raw = JsonTree.ReadValue(parameters, out problem);
                object value = null;
                if (problem == null)
                {
                    problem = property.Validate(raw, out value);
                }

                if (problem != null)
                {
                    RefuseRequest(request, replyTopic, "property " + name + ": " + problem);
                    return;
                }

                accepted[index] = value;
            }

            if (members == 0)
            {
                RefuseRequest(request, replyTopic, "field params: empty");
                return;
            }

            ArrayList changed = null;
            int code = ReplyCodes.Success;
            string message = null;
            for (int i = 0; i < accepted.Length && code == ReplyCodes.Success; i++)
            {
                object value = accepted[i];
                if (value == null)
                {
                    continue;
                }

                PropertyDefinition property = _model.GetProperty(i);
                PropertySetHandler setter = property.Setter;
                try
                {
                    string refusal = setter == null ? null : setter(property, value);
                    if (refusal != null)
                    {
                        code = ReplyCodes.RequestError;
                        message = "property " + property.Identifier + ": " + refusal;
                        break;
                    }
                }
                catch (ThingHandlerException e)
                {
                    code = e.Code;
                    message = e.Message;
                    break;
                }
                catch (Exception e)
                {
                    code = ReplyCodes.RequestError;
                    message = "property " + property.Identifier + ": setter failed";
                    _log.Write(LogLevel.Error, Source, "setter of " + property.Identifier + " threw: " + e.Message);
                    break;
                }

                object previous = _model.StoreValue(property.Identifier, value);
                if (!PropertyDefinition.SameValue(previous, value))
                {
                    if (changed == null)
                    {
                        changed = new ArrayList();
                    }

                    changed.Add(property.Identifier);
                }
            }

            if (code != ReplyCodes.Success)
            {
                HandlerFailureCount++;
                _log.Write(LogLevel.Warning, Source, "property set " + request.Id + " failed: " + message);
            }

            SendSimple(replyTopic, request.Id, code, message);
            if (changed != null)
            {
                string[] identifiers = new string[changed.Count];
                changed.CopyTo(identifiers);
                string problem = _reporter.PostProperties(identifiers);
                if (problem != null)
                {
                    _log.Write(LogLevel.Warning, Source, "post after set failed: " + problem);
                }
            }
        }

        private void PropertyGet(AlinkEnvelope request, string replyTopic)
        {
            object parameters = request.ReadParams();
            ArrayList wanted = parameters as ArrayList;
            if (parameters != null && wanted == null)
            {
                RefuseRequest(request, replyTopic, "field params: expected array of identifiers");
                return;
            }

            if (wanted != null)
            {
                for (int i = 0; i < wanted.Count; i++)
                {
                    string name = wanted[i] as string;
                    if (name == null || _model.FindProperty(name) == null)
                    {
                        RefuseRequest(request, replyTopic, "property " + Describe(name) + ": unknown");
                        return;
                    }
                }
            }

            byte[] reply;
            try
            {
                _reply.Begin(request.Id, ReplyCodes.Success);
                JsonWriter json = _reply.Json;
                json.BeginObject();
                int count = wanted == null || wanted.Count == 0 ? _model.PropertyCount : wanted.Count;
                for (int i = 0; i < count; i++)
                {
                    PropertyDefinition property = wanted == null || wanted.Count == 0 ? _model.GetProperty(i) : _model.FindProperty((string)wanted[i]);
                    object value = _model.GetValue(property.Identifier);
                    if (value != null)
                    {
                        json.Name(property.Identifier);
                        property.Write(json, value);
                    }
                }

                json.EndObject();
                reply = _reply.Finish(null);
            }
            catch (InvalidOperationException)
            {
                SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, "reply too large");
                return;
            }

            Send(replyTopic, reply);
        }

        private void CallService(string serviceId, AlinkEnvelope request, string replyTopic)
        {
            ServiceDefinition service = _model.FindService(serviceId);
            if (service == null)
            {
                RefuseRequest(request, replyTopic, "service " + serviceId + ": unknown");
                return;
            }

            object given = request.ReadParams();
            Hashtable parameters = given as Hashtable;
            if (given != null && parameters == null)
            {
                RefuseRequest(request, replyTopic, "field params: expected object");
                return;
            }

            Hashtable inputs = new Hashtable();
            if (parameters != null)
            {
                string badName;
                string problem = service.Inputs.Normalize(parameters, inputs, out badName);
                if (problem != null)
                {
                    // An undeclared name is network text (sanitized); a declared one is ours.
                    string shown = service.Inputs.Find(badName) == null ? Describe(badName) : badName;
                    RefuseRequest(request, replyTopic, "service " + serviceId + " input " + shown + ": " + problem);
                    return;
                }
            }

            ServiceHandler handler = service.Handler;
            if (handler == null)
            {
                HandlerFailureCount++;
                SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, "service " + serviceId + ": no handler");
                return;
            }

            Hashtable outputs = new Hashtable();
            try
            {
                handler(service, inputs, outputs);
            }
            catch (ThingHandlerException e)
            {
                HandlerFailureCount++;
                _log.Write(LogLevel.Warning, Source, "service " + serviceId + " refused: " + e.Code.ToString() + " " + e.Message);
                SendSimple(replyTopic, request.Id, e.Code, e.Message);
                return;
            }
            catch (Exception e)
            {
                HandlerFailureCount++;
                _log.Write(LogLevel.Error, Source, "service " + serviceId + " threw: " + e.Message);
                SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, "service " + serviceId + " failed");
                return;
            }

            // Outputs are checked like inputs: a handler bug must not put an undeclared or wrong value on the wire.
            Hashtable checkedOutputs = new Hashtable();
            string badOutput;
            string outputProblem = service.Outputs.Normalize(outputs, checkedOutputs, out badOutput);
            if (outputProblem != null)
            {
                // The handler's own name, so "not declared" (a bug here) rather than the "unknown" of network input.
                string why = "service " + serviceId + " output " + badOutput + ": " + (service.Outputs.Find(badOutput) == null ? "not declared" : outputProblem);
                HandlerFailureCount++;
                _log.Write(LogLevel.Error, Source, why);
                SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, why);
                return;
            }

            byte[] reply;
            try
            {
                _reply.Begin(request.Id, ReplyCodes.Success);
                service.Outputs.WriteObject(_reply.Json, checkedOutputs);
                reply = _reply.Finish(null);
            }
            catch (Exception e)
            {
                _log.Write(LogLevel.Error, Source, "service " + serviceId + " reply not written: " + e.Message);
                SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, "reply not written");
                return;
            }

            Send(replyTopic, reply);
        }

        private void HandleRaw(IncomingTopic incoming, byte[] payload, RawRequestHandler handler)
        {
            if (IsRecentReply(incoming))
            {
                return;
            }

            if (handler == null)
            {
                Refuse("no handler for raw message on " + Describe(incoming.Topic));
                return;
            }

            byte[] answer;
            try
            {
                answer = handler(incoming.Topic, payload);
            }
            catch (Exception e)
            {
                HandlerFailureCount++;
                _log.Write(LogLevel.Error, Source, "raw handler for " + Describe(incoming.Topic) + " threw: " + e.Message);
                return;
            }

            if (answer != null)
            {
                Send(incoming.ReplyTopic, answer);
            }
        }

        private void Deliver(IncomingTopic incoming, byte[] payload, RawMessageHandler handler)
        {
            if (handler == null)
            {
                _log.Write(LogLevel.Debug, Source, "no handler for " + Describe(incoming.Topic));
                return;
            }

            try
            {
                handler(incoming.Topic, payload);
            }
            catch (Exception e)
            {
                HandlerFailureCount++;
                _log.Write(LogLevel.Error, Source, "handler for " + Describe(incoming.Topic) + " threw: " + e.Message);
            }
        }

        private void HandlePostReply(IncomingTopic incoming, byte[] payload)
        {
            AlinkEnvelope envelope = TakeEnvelope();
            try
            {
                string problem = ReadEnvelope(envelope, payload);
                if (problem != null)
                {
                    Refuse("malformed reply on " + Describe(incoming.Topic) + ": " + problem);
                    return;
                }

                AlinkReply reply = envelope.ToReply(out problem);
                if (reply == null)
                {
                    Refuse("reply on " + Describe(incoming.Topic) + " refused: " + problem);
                    return;
                }

                _reporter.OnReply(incoming.Topic, reply);
            }
            finally
            {
                _spareEnvelope = envelope;
            }
        }

        private AlinkEnvelope TakeEnvelope()
        {
            AlinkEnvelope envelope = _spareEnvelope;
            _spareEnvelope = null;
            return envelope == null ? new AlinkEnvelope() : envelope;
        }

        private string ReadEnvelope(AlinkEnvelope envelope, byte[] payload)
        {
            // The guard's single pass refuses hostile size and depth before the reader (which checks them too) runs.
            string problem = JsonGuard.Check(payload, 0, payload.Length, _maxPayloadBytes, JsonGuard.DefaultMaxDepth);
            return problem != null ? problem : envelope.Read(payload, payload.Length, JsonGuard.DefaultMaxDepth);
        }

        private static string RequestProblem(AlinkEnvelope request)
        {
            return request.IdProblem != null ? request.IdProblem : request.MethodProblem;
        }

        // The index of the property the reader's current name names, compared in place (no string), or -1.
        private int FindProperty(JsonReader reader)
        {
            int count = _model.PropertyCount;
            for (int i = 0; i < count; i++)
            {
                if (reader.ValueEquals(_model.GetProperty(i).Identifier))
                {
                    return i;
                }
            }

            return -1;
        }

        private void RefuseRequest(AlinkEnvelope request, string replyTopic, string message)
        {
            Refuse("request " + request.Id + " refused: " + message);
            SendSimple(replyTopic, request.Id, ReplyCodes.ParameterError, message);
        }

        private void SendSimple(string topic, string id, int code, string message)
        {
            byte[] reply;
            try
            {
                reply = _reply.Simple(id, code, message);
            }
            catch (InvalidOperationException)
            {
                reply = _reply.Simple(id, code, "error message too long");
            }

            Send(topic, reply);
        }

        private void Send(string topic, byte[] payload)
        {
            if (topic == null || !_topics.IsOwn(topic))
            {
                _log.Write(LogLevel.Error, Source, "reply to a topic that is not this device's was suppressed");
                return;
            }

            RememberReply(topic);
            PublishStatus status = _publisher.Publish(topic, payload, 0);
            if (status != PublishStatus.Sent)
            {
                _log.Write(LogLevel.Warning, Source, "reply on " + Describe(topic) + " not sent (status " + ((int)status).ToString() + ")");
            }
        }

        private void RememberReply(string topic)
        {
            // A reply on /ext/rrpc/{id}/… goes to a topic we are subscribed to, so the broker may hand it back.
            if (OrdinalText.StartsWith(topic, "/ext/rrpc/"))
            {
                _recentReplyTopics[_recentNext] = topic;
                _recentNext = (_recentNext + 1) % RecentRepliesKept;
            }
        }

        private bool IsRecentReply(IncomingTopic incoming)
        {
            if (incoming.Kind != TopicKind.ExtRrpcService && incoming.Kind != TopicKind.ExtRrpcDownRaw && incoming.Kind != TopicKind.ExtRrpcUser)
            {
                return false;
            }

            for (int i = 0; i < RecentRepliesKept; i++)
            {
                if (_recentReplyTopics[i] == incoming.Topic)
                {
                    _recentReplyTopics[i] = null;
                    return true;
                }
            }

            return false;
        }

        private void Refuse(string why)
        {
            RefusedCount++;
            _log.Write(LogLevel.Warning, Source, why);
        }

        private static bool IsRrpc(TopicKind kind)
        {
            return kind == TopicKind.SysRrpc || kind == TopicKind.ExtRrpcService || kind == TopicKind.ExtRrpcDownRaw || kind == TopicKind.ExtRrpcUser;
        }

        private static string Describe(string text)
        {
            // Network text in logs: bounded and printable only.
            if (text == null)
            {
                return "(none)";
            }

            int length = text.Length > 80 ? 80 : text.Length;
            StringBuilder sb = new StringBuilder(length + 3);
            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                sb.Append(c < ' ' || c > '~' ? '?' : c);
            }

            if (text.Length > length)
            {
                sb.Append("...");
            }

            return sb.ToString();
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
