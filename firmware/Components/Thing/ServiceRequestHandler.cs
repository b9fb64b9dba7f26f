using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Ports;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Answers Alink service requests — async services on <c>thing/service/{id}</c> (reply on <c>{id}_reply</c>),
    /// synchronous services in both RRPC forms (<c>/sys/…/rrpc/request/{n}</c> and <c>/ext/rrpc/{n}/…</c>), and
    /// property set/get, which the protocol also calls services (<c>thing.service.property.set</c>), handed to
    /// <see cref="PropertyRequestHandler"/>. The envelope is read and checked here once for all of them: malformed,
    /// bad id or a method that does not match its topic is refused (answered 460 where the sender waits), inputs are
    /// validated against the declaration, and a service handler's outputs are checked like inputs before they go on
    /// the wire. A handler that throws is answered 400 (or its <see cref="ThingHandlerException"/> code). Not
    /// thread-safe: used only on the session's worker thread.
    /// </summary>
    internal sealed class ServiceRequestHandler
    {
        private const string ServiceMethodPrefix = "thing.service.";
        private const string PropertySetMethod = "thing.service.property.set";
        private const string PropertyGetMethod = "thing.service.property.get";

        private readonly ThingModel _model;
        private readonly ThingReplies _replies;
        private readonly ThingEnvelopes _envelopes;
        private readonly PropertyRequestHandler _properties;
        private readonly RawMessageDispatcher _raw;

        /// <summary>Creates the handler.</summary>
        /// <param name="model">The application's thing model.</param>
        /// <param name="replies">Answers and refusals.</param>
        /// <param name="envelopes">Envelope reader (shared with the router's post-reply path).</param>
        /// <param name="properties">Answers property set/get.</param>
        /// <param name="raw">Answers system RRPC that is not an Alink service call.</param>
        internal ServiceRequestHandler(ThingModel model, ThingReplies replies, ThingEnvelopes envelopes, PropertyRequestHandler properties, RawMessageDispatcher raw)
        {
            _model = model;
            _replies = replies;
            _envelopes = envelopes;
            _properties = properties;
            _raw = raw;
        }
        /// <summary>Answers a request on a property set/get, service or <c>/ext/rrpc</c> service topic.</summary>
        internal void HandleRequest(IncomingTopic incoming, byte[] payload)
        {
            if (_replies.IsRecentReply(incoming))
            {
                return;
            }

            bool rrpc = ThingReplies.IsRrpc(incoming.Kind);
            AlinkEnvelope request = _envelopes.Take();
            try
            {
                string problem = _envelopes.Read(request, payload);
                if (problem != null)
                {
                    _replies.Refuse("malformed request on " + ThingReplies.Describe(incoming.Topic) + ": " + problem);
                    if (rrpc)
                    {
                        _replies.SendSimple(incoming.ReplyTopic, null, ReplyCodes.ParameterError, "malformed request: " + problem);
                    }

                    return;
                }

                if (incoming.Kind == TopicKind.ExtRrpcService && request.LooksLikeReply)
                {
                    // Our own answer coming back on the shared /ext/rrpc/{id}/… topic.
                    return;
                }

                problem = ThingEnvelopes.RequestProblem(request);
                if (problem != null)
                {
                    _replies.Refuse("request on " + ThingReplies.Describe(incoming.Topic) + " refused: " + problem);
                    if (rrpc)
                    {
                        _replies.SendSimple(incoming.ReplyTopic, null, ReplyCodes.ParameterError, problem);
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
                    _replies.Refuse("method does not match topic " + ThingReplies.Describe(incoming.Topic));
                    _replies.SendSimple(incoming.ReplyTopic, request.Id, ReplyCodes.ParameterError, "method does not match the topic (expected " + expected + ")");
                    return;
                }

                Execute(expected, request, incoming.ReplyTopic);
            }
            finally
            {
                _envelopes.Give(request);
            }
        }

        /// <summary>Answers a system RRPC: an Alink service call here, anything else through the raw RRPC handler.</summary>
        internal void HandleSysRrpc(IncomingTopic incoming, byte[] payload)
        {
            AlinkEnvelope request = _envelopes.Take();
            try
            {
                string problem = _envelopes.Read(request, payload);
                string method = problem == null ? request.Method : null;
                bool alink = method != null && OrdinalText.StartsWith(method, ServiceMethodPrefix);
                if (!alink)
                {
                    if (_raw.AnswerRawRrpc(incoming, payload))
                    {
                        return;
                    }

                    string why = problem != null ? "malformed request: " + problem : "not a thing.service request";
                    _replies.Refuse("RRPC " + incoming.RrpcId + " refused: " + why);
                    _replies.SendSimple(incoming.ReplyTopic, problem == null ? request.Id : null, ReplyCodes.ParameterError, why);
                    return;
                }

                problem = ThingEnvelopes.RequestProblem(request);
                if (problem != null)
                {
                    _replies.Refuse("RRPC " + incoming.RrpcId + " refused: " + problem);
                    _replies.SendSimple(incoming.ReplyTopic, null, ReplyCodes.ParameterError, problem);
                    return;
                }

                string name = method.Substring(ServiceMethodPrefix.Length);
                if (name != "property.set" && name != "property.get" && !AlinkTopicClassifier.IsSafeIdentifier(name))
                {
                    _replies.Refuse("RRPC " + incoming.RrpcId + " refused: bad service identifier");
                    _replies.SendSimple(incoming.ReplyTopic, request.Id, ReplyCodes.ParameterError, "bad service identifier");
                    return;
                }

                Execute(method, request, incoming.ReplyTopic);
            }
            finally
            {
                _envelopes.Give(request);
            }
        }

        private void Execute(string method, AlinkEnvelope request, string replyTopic)
        {
            if (method == PropertySetMethod)
            {
                _properties.Set(request, replyTopic);
            }
            else if (method == PropertyGetMethod)
            {
                _properties.Get(request, replyTopic);
            }
            else
            {
                CallService(method.Substring(ServiceMethodPrefix.Length), request, replyTopic);
            }
        }

        private void CallService(string serviceId, AlinkEnvelope request, string replyTopic)
        {
            ServiceDefinition service = _model.FindService(serviceId);
            if (service == null)
            {
                _replies.RefuseRequest(request, replyTopic, "service " + serviceId + ": unknown");
                return;
            }

            object given = request.ReadParams();
            Hashtable parameters = given as Hashtable;
            if (given != null && parameters == null)
            {
                _replies.RefuseRequest(request, replyTopic, "field params: expected object");
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
                    string shown = service.Inputs.Find(badName) == null ? ThingReplies.Describe(badName) : badName;
                    _replies.RefuseRequest(request, replyTopic, "service " + serviceId + " input " + shown + ": " + problem);
                    return;
                }
            }

            ServiceHandler handler = service.Handler;
            if (handler == null)
            {
                _replies.CountHandlerFailure();
                _replies.SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, "service " + serviceId + ": no handler");
                return;
            }

            Hashtable outputs = new Hashtable();
            try
            {
                handler(service, inputs, outputs);
            }
            catch (ThingHandlerException e)
            {
                _replies.CountHandlerFailure();
                _replies.Log.Write(LogLevel.Warning, ThingReplies.Source, "service " + serviceId + " refused: " + e.Code.ToString() + " " + e.Message);
                _replies.SendSimple(replyTopic, request.Id, e.Code, e.Message);
                return;
            }
            catch (Exception e)
            {
                _replies.CountHandlerFailure();
                _replies.Log.Write(LogLevel.Error, ThingReplies.Source, "service " + serviceId + " threw: " + e.Message);
                _replies.SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, "service " + serviceId + " failed");
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
                _replies.CountHandlerFailure();
                _replies.Log.Write(LogLevel.Error, ThingReplies.Source, why);
                _replies.SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, why);
                return;
            }

            byte[] reply;
            try
            {
                _replies.Writer.Begin(request.Id, ReplyCodes.Success);
                service.Outputs.WriteObject(_replies.Writer.Json, checkedOutputs);
                reply = _replies.Writer.Finish(null);
            }
            catch (Exception e)
            {
                _replies.Log.Write(LogLevel.Error, ThingReplies.Source, "service " + serviceId + " reply not written: " + e.Message);
                _replies.SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, "reply not written");
                return;
            }

            _replies.Send(replyTopic, reply);
        }
    }
}
