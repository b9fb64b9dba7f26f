using System;
using AliyunIot.Alink;
using AliyunIot.Ports;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Hands the messages the device does not parse to the application: raw thing-model data (<c>down_raw</c>, its
    /// RRPC form, <c>up_raw_reply</c>), raw system RRPC, custom <c>user</c> topics (plain and RRPC) and broadcasts.
    /// Requests' returned bytes are the reply, sent on the reply topic; a missing handler is logged, a throwing one
    /// is counted and logged and costs only its message. Not thread-safe: used only on the session's worker thread.
    /// </summary>
    internal sealed class RawMessageDispatcher
    {
        private readonly ThingReplies _replies;

        /// <summary>Creates the dispatcher.</summary>
        /// <param name="replies">Answers and refusals.</param>
        internal RawMessageDispatcher(ThingReplies replies)
        {
            _replies = replies;
        }

        /// <summary>See <see cref="ThingDispatcher.DownRawHandler"/>.</summary>
        internal RawRequestHandler DownRawHandler { get; set; }

        /// <summary>See <see cref="ThingDispatcher.RawRrpcHandler"/>.</summary>
        internal RawRequestHandler RawRrpcHandler { get; set; }

        /// <summary>See <see cref="ThingDispatcher.UserRrpcHandler"/>.</summary>
        internal RawRequestHandler UserRrpcHandler { get; set; }

        /// <summary>See <see cref="ThingDispatcher.UpRawReplyHandler"/>.</summary>
        internal RawMessageHandler UpRawReplyHandler { get; set; }

        /// <summary>See <see cref="ThingDispatcher.UserMessageHandler"/>.</summary>
        internal RawMessageHandler UserMessageHandler { get; set; }

        /// <summary>See <see cref="ThingDispatcher.BroadcastHandler"/>.</summary>
        internal RawMessageHandler BroadcastHandler { get; set; }

        /// <summary>Handles a raw, user or broadcast message.</summary>
        /// <returns>false when <paramref name="incoming"/> is not one of those kinds.</returns>
        internal bool Handle(IncomingTopic incoming, byte[] payload)
        {
            switch (incoming.Kind)
            {
                case TopicKind.DownRaw:
                case TopicKind.ExtRrpcDownRaw:
                    Answer(incoming, payload, DownRawHandler);
                    return true;
                case TopicKind.ExtRrpcUser:
                    Answer(incoming, payload, UserRrpcHandler);
                    return true;
                case TopicKind.UpRawReply:
                    Deliver(incoming, payload, UpRawReplyHandler);
                    return true;
                case TopicKind.User:
                    Deliver(incoming, payload, UserMessageHandler);
                    return true;
                case TopicKind.Broadcast:
                case TopicKind.ProductBroadcast:
                    Deliver(incoming, payload, BroadcastHandler);
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Answers a system RRPC that is not an Alink service call through <see cref="RawRrpcHandler"/>.</summary>
        /// <returns>false when no raw RRPC handler is set (the caller then refuses the request).</returns>
        internal bool AnswerRawRrpc(IncomingTopic incoming, byte[] payload)
        {
            RawRequestHandler handler = RawRrpcHandler;
            if (handler == null)
            {
                return false;
            }

            Answer(incoming, payload, handler);
            return true;
        }

        private void Answer(IncomingTopic incoming, byte[] payload, RawRequestHandler handler)
        {
            if (_replies.IsRecentReply(incoming))
            {
                return;
            }

            if (handler == null)
            {
                _replies.Refuse("no handler for raw message on " + ThingReplies.Describe(incoming.Topic));
                return;
            }

            byte[] answer;
            try
            {
                answer = handler(incoming.Topic, payload);
            }
            catch (Exception e)
            {
                _replies.CountHandlerFailure();
                _replies.Log.Write(LogLevel.Error, ThingReplies.Source, "raw handler for " + ThingReplies.Describe(incoming.Topic) + " threw: " + e.Message);
                return;
            }

            if (answer != null)
            {
                _replies.Send(incoming.ReplyTopic, answer);
            }
        }

        private void Deliver(IncomingTopic incoming, byte[] payload, RawMessageHandler handler)
        {
            if (handler == null)
            {
                _replies.Log.Write(LogLevel.Debug, ThingReplies.Source, "no handler for " + ThingReplies.Describe(incoming.Topic));
                return;
            }

            try
            {
                handler(incoming.Topic, payload);
            }
            catch (Exception e)
            {
                _replies.CountHandlerFailure();
                _replies.Log.Write(LogLevel.Error, ThingReplies.Source, "handler for " + ThingReplies.Describe(incoming.Topic) + " threw: " + e.Message);
            }
        }
    }
}
