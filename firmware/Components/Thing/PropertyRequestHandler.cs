using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Answers the cloud's property requests (<c>thing.service.property.set</c> and <c>.get</c>, on their own topics
    /// or through RRPC). A set is validated whole before anything is applied — one unknown, read-only or bad value
    /// and nothing changes — then applied through the setters in declaration order, answered (200, 460, or the
    /// setter's code), and what changed is posted through <see cref="ThingReporter"/> so the cloud's view follows.
    /// A get answers the requested (or all) current values. Not thread-safe: used only on the session's worker thread.
    /// </summary>
    internal sealed class PropertyRequestHandler
    {
        private readonly ThingModel _model;
        private readonly ThingReporter _reporter;
        private readonly ThingReplies _replies;

        /// <summary>Creates the handler.</summary>
        /// <param name="model">The application's thing model.</param>
        /// <param name="reporter">Posts the values a set changed.</param>
        /// <param name="replies">Answers and refusals.</param>
        internal PropertyRequestHandler(ThingModel model, ThingReporter reporter, ThingReplies replies)
        {
            _model = model;
            _reporter = reporter;
            _replies = replies;
        }

        /// <summary>Answers a property set whose envelope has been read and checked.</summary>
        internal void Set(AlinkEnvelope request, string replyTopic)
        {
            JsonReader parameters = request.OpenParams();
            if (parameters == null || request.ParamsKind != JsonToken.StartObject)
            {
                _replies.RefuseRequest(request, replyTopic, "field params: expected object");
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
                    _replies.RefuseRequest(request, replyTopic, "property " + ThingReplies.Describe(parameters.GetString()) + ": unknown");
                    return;
                }

                string name = property.Identifier;
                if (property.Access != PropertyAccess.ReadWrite)
                {
                    _replies.RefuseRequest(request, replyTopic, "property " + name + ": read-only");
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
                    _replies.RefuseRequest(request, replyTopic, "property " + name + ": " + problem);
                    return;
                }

                accepted[index] = value;
            }

            if (members == 0)
            {
                _replies.RefuseRequest(request, replyTopic, "field params: empty");
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
                    _replies.Log.Write(LogLevel.Error, ThingReplies.Source, "setter of " + property.Identifier + " threw: " + e.Message);
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
                _replies.CountHandlerFailure();
                _replies.Log.Write(LogLevel.Warning, ThingReplies.Source, "property set " + request.Id + " failed: " + message);
            }

            _replies.SendSimple(replyTopic, request.Id, code, message);
            if (changed != null)
            {
                string[] identifiers = new string[changed.Count];
                changed.CopyTo(identifiers);
                string problem = _reporter.PostProperties(identifiers);
                if (problem != null)
                {
                    _replies.Log.Write(LogLevel.Warning, ThingReplies.Source, "post after set failed: " + problem);
                }
            }
        }

        /// <summary>Answers a property get whose envelope has been read and checked.</summary>
        internal void Get(AlinkEnvelope request, string replyTopic)
        {
            object parameters = request.ReadParams();
            ArrayList wanted = parameters as ArrayList;
            if (parameters != null && wanted == null)
            {
                _replies.RefuseRequest(request, replyTopic, "field params: expected array of identifiers");
                return;
            }

            if (wanted != null)
            {
                for (int i = 0; i < wanted.Count; i++)
                {
                    string name = wanted[i] as string;
                    if (name == null || _model.FindProperty(name) == null)
                    {
                        _replies.RefuseRequest(request, replyTopic, "property " + ThingReplies.Describe(name) + ": unknown");
                        return;
                    }
                }
            }

            byte[] reply;
            try
            {
                _replies.Writer.Begin(request.Id, ReplyCodes.Success);
                JsonWriter json = _replies.Writer.Json;
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
                reply = _replies.Writer.Finish(null);
            }
            catch (InvalidOperationException)
            {
                _replies.SendSimple(replyTopic, request.Id, ReplyCodes.RequestError, "reply too large");
                return;
            }

            _replies.Send(replyTopic, reply);
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
    }
}
