using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Shadow
{
    /// <summary>
    /// The device shadow (Link SDK 4.x <c>components/shadow</c>; aliyun-protocol.md §3.14; the platform's page
    /// "Device shadow data stream", https://help.aliyun.com/document_detail/53964.html). Requests go to
    /// <c>/shadow/update/{pk}/{dn}</c> in the exact forms of the Link SDK's <c>shadow_private.h</c>:
    /// <c>{"method":"update","state":{"reported":{…}},"version":N}</c>, <c>{"method":"get"}</c>,
    /// <c>{"method":"delete","state":{"reported":{"k":"null"}},"version":N}</c> (<c>"reported":"null"</c> for all) and
    /// <c>{"method":"update","state":{"desired":"null"},"version":N}</c> to clear the desired state. Answers and
    /// desired-state pushes arrive on <c>/shadow/get/{pk}/{dn}</c> (<c>"method":"reply"</c> / <c>"control"</c>).
    /// Versions work as on the platform: the shadow only accepts a version newer than its own, so the device keeps
    /// the last version it knows (from every reply, control and get), sends the next one, and refuses a desired state
    /// whose version is not newer than its own with the platform's 409 (version conflict), counted and logged; a 409
    /// from the cloud makes it fetch the shadow again. The version lives in this object, so it survives reconnects;
    /// after a reboot <see cref="OnConnected"/>'s get brings it back from the cloud (or pass the last one to the
    /// constructor). The version rules are <see cref="ShadowVersions"/>. Thread-safe; handlers run on the session's
    /// worker thread.
    /// </summary>
    public sealed class DeviceShadow : IMessageHandler
    {
        private const string Source = "shadow";

        private readonly object _gate = new object();
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly ILog _log;
        private readonly int _maxPayloadBytes;
        private readonly ShadowRequestWriter _writer;
        private readonly ShadowVersions _versions;

        /// <summary>Creates the component; add it to the session with <c>AddHandler</c>.</summary>
        /// <param name="topics">This device's topics.</param>
        /// <param name="publisher">The session's outbox.</param>
        /// <param name="log">Log.</param>
        /// <param name="maxPayloadBytes">Largest message either way (device.json limits.maxPayloadBytes).</param>
        /// <param name="lastVersion">The last shadow version this device knew (0 when unknown).</param>
        public DeviceShadow(DeviceTopics topics, IPublisher publisher, ILog log, int maxPayloadBytes, long lastVersion)
        {
            if (topics == null || publisher == null || log == null)
            {
                throw new ArgumentNullException("topics, publisher and log are required");
            }

            _topics = topics;
            _publisher = publisher;
            _log = log;
            _maxPayloadBytes = maxPayloadBytes < 64 ? 64 : maxPayloadBytes;
            _writer = new ShadowRequestWriter(_maxPayloadBytes);
            _versions = new ShadowVersions(lastVersion);
        }

        /// <summary>Applies desired states; null leaves them unacknowledged in the cloud.</summary>
        public ShadowDesiredHandler DesiredReceived { get; set; }

        /// <summary>Called for every reply (success or error).</summary>
        public ShadowReplyHandler Replied { get; set; }

        /// <summary>The last shadow version this device knows.</summary>
        public long Version
        {
            get
            {
                lock (_gate)
                {
                    return _versions.Known;
                }
            }
        }

        /// <summary>Desired states refused because their version was not newer than <see cref="Version"/> (409).</summary>
        public int StaleRefused { get; private set; }

        /// <summary>Messages on the shadow topic that were not a usable reply or control (logged, nothing changed).</summary>
        public int MalformedRefused { get; private set; }

        /// <summary>Error replies from the cloud.</summary>
        public int ErrorReplies { get; private set; }

        /// <summary>Asks for the whole shadow (QoS 0: a get is not worth keeping for later; call again after connecting).</summary>
        public PublishStatus Get()
        {
            byte[] payload;
            lock (_gate)
            {
                payload = _writer.Get();
            }

            return _publisher.Publish(_topics.ShadowUpdate, payload, 0);
        }

        /// <summary>Call when the session (re)connects: fetches the shadow, so a desired state set meanwhile is applied.</summary>
        public PublishStatus OnConnected()
        {
            return Get();
        }

        /// <summary>Reports state (QoS 1, queued while offline) with the next version.</summary>
        /// <param name="reported">Attributes to report (1 to 128; values: string, bool, int, long, double, Hashtable, ArrayList, null).</param>
        /// <returns>What the outbox did.</returns>
        /// <exception cref="ArgumentException">No attributes, more than 128, or an unsupported value (nothing is sent).</exception>
        /// <exception cref="InvalidOperationException">The message would exceed the maximum payload (nothing is sent).</exception>
        public PublishStatus UpdateReported(Hashtable reported)
        {
            if (reported == null || reported.Count == 0)
            {
                throw new ArgumentException("reported state is empty (the platform answers 405)");
            }

            if (reported.Count > ShadowErrorCodes.MaxReportedAttributes)
            {
                throw new ArgumentException("more than " + ShadowErrorCodes.MaxReportedAttributes.ToString() + " reported attributes (the platform answers 408)");
            }

            byte[] payload;
            lock (_gate)
            {
                long version = _versions.Next();
                payload = _writer.Update(reported, version);
                _versions.Sent(version);
            }

            return _publisher.Publish(_topics.ShadowUpdate, payload, 1);
        }

        /// <summary>Deletes reported attributes (QoS 1) with the next version.</summary>
        /// <param name="keys">Attribute names, or null to delete the whole reported state.</param>
        /// <exception cref="ArgumentException">An empty list or an empty name (nothing is sent).</exception>
        public PublishStatus DeleteReported(string[] keys)
        {
            if (keys != null)
            {
                if (keys.Length == 0)
                {
                    throw new ArgumentException("no attribute to delete (pass null to delete them all)");
                }

                for (int i = 0; i < keys.Length; i++)
                {
                    if (keys[i] == null || keys[i].Length == 0)
                    {
                        throw new ArgumentException("an attribute name is empty");
                    }
                }
            }

            byte[] payload;
            lock (_gate)
            {
                long version = _versions.Next();
                payload = _writer.Delete(keys, version);
                _versions.Sent(version);
            }

            return _publisher.Publish(_topics.ShadowUpdate, payload, 1);
        }

        /// <summary>Clears the desired state in the cloud (QoS 1) with the next version.</summary>
        public PublishStatus ClearDesired()
        {
            byte[] payload;
            lock (_gate)
            {
                long version = _versions.Next();
                payload = _writer.ClearDesired(version);
                _versions.Sent(version);
            }

            return _publisher.Publish(_topics.ShadowUpdate, payload, 1);
        }

        /// <inheritdoc />
        public void AddSubscriptions(ArrayList topics)
        {
            topics.Add(_topics.ShadowGet);
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            if (topic != _topics.ShadowGet)
            {
                return false;
            }

            if (payload == null || payload.Length == 0 || payload.Length > _maxPayloadBytes)
            {
                Malformed("empty or larger than " + _maxPayloadBytes.ToString() + " bytes");
                return true;
            }

            string problem;
            Hashtable message = JsonTree.Parse(payload, 0, payload.Length, JsonGuard.DefaultMaxDepth, out problem) as Hashtable;
            if (message == null)
            {
                Malformed(problem == null ? "not a JSON object" : problem);
                return true;
            }

            string method = message["method"] as string;
            Hashtable body = message["payload"] as Hashtable;
            if (method == null || body == null)
            {
                Malformed("no method or payload object");
                return true;
            }

            long version;
            bool hasVersion = JsonValues.TryReadWholeNumber(message["version"], out version);
            if (method == "control")
            {
                OnControl(body, hasVersion, version);
            }
            else if (method == "reply")
            {
                OnReply(body, hasVersion, version);
            }
            else
            {
                Malformed("unknown method");
            }

            return true;
        }

        private void OnControl(Hashtable body, bool hasVersion, long version)
        {
            Hashtable state = body["state"] as Hashtable;
            Hashtable desired = state == null ? null : state["desired"] as Hashtable;
            if (!hasVersion || desired == null)
            {
                Malformed("control without a numeric version or a desired object");
                return;
            }

            long known;
            lock (_gate)
            {
                known = _versions.AcceptControl(version);
            }

            if (version <= known)
            {
                StaleRefused++;
                _log.Write(LogLevel.Warning, Source, "desired state refused: " + ShadowErrorCodes.VersionConflict.ToString() + " " + ShadowErrorCodes.Describe(ShadowErrorCodes.VersionConflict)
                    + " (version " + version.ToString() + " is not newer than " + known.ToString() + ")");
                return;
            }

            Apply(desired, version);
        }

        private void OnReply(Hashtable body, bool hasVersion, long topVersion)
        {
            string status = body["status"] as string;
            if (status == "error")
            {
                Hashtable content = body["content"] as Hashtable;
                int code = content == null ? 0 : ReadCode(content["errorcode"]);
                string message = content == null ? null : content["errormessage"] as string;
                ErrorReplies++;
                _log.Write(LogLevel.Warning, Source, "shadow request refused: " + code.ToString() + " " + (message == null ? ShadowErrorCodes.Describe(code) : message));
                Raise(new ShadowReply(false, code, message, -1, false, null, null));
                if (code == ShadowErrorCodes.VersionConflict)
                {
                    // Our version is behind the cloud's: learn it from a get (its reply carries the version).
                    Get();
                }

                return;
            }

            if (status != "success")
            {
                Malformed("reply status is neither success nor error");
                return;
            }

            Hashtable state = body["state"] as Hashtable;
            if (state != null)
            {
                if (!hasVersion)
                {
                    Malformed("get reply without a numeric version");
                    return;
                }

                Hashtable desired = state["desired"] as Hashtable;
                bool apply;
                lock (_gate)
                {
                    apply = _versions.AcceptGetReply(topVersion, desired != null && desired.Count > 0);
                }

                Raise(new ShadowReply(true, ReplyCodes.Success, null, topVersion, true, state["reported"] as Hashtable, desired));
                if (apply)
                {
                    Apply(desired, topVersion);
                }

                return;
            }

            long version;
            bool known = JsonValues.TryReadWholeNumber(body["version"], out version);
            if (!known && hasVersion)
            {
                version = topVersion;
                known = true;
            }

            if (known)
            {
                lock (_gate)
                {
                    _versions.Learn(version);
                }
            }

            Raise(new ShadowReply(true, ReplyCodes.Success, null, known ? version : -1, false, null, null));
        }

        // Hands the desired state to the application; what it applied is reported and the desired state cleared.
        private void Apply(Hashtable desired, long version)
        {
            ShadowDesiredHandler handler = DesiredReceived;
            if (handler == null)
            {
                _log.Write(LogLevel.Info, Source, "desired state of version " + version.ToString() + " received; no handler applies it");
                return;
            }

            lock (_gate)
            {
                _versions.Offered(version);
            }

            Hashtable applied = handler(desired, version);
            if (applied == null)
            {
                _log.Write(LogLevel.Info, Source, "desired state of version " + version.ToString() + " not applied by the application");
                return;
            }

            if (applied.Count > 0)
            {
                UpdateReported(applied);
            }

            ClearDesired();
        }

        private void Raise(ShadowReply reply)
        {
            ShadowReplyHandler handler = Replied;
            if (handler != null)
            {
                handler(reply);
            }
        }

        private void Malformed(string why)
        {
            MalformedRefused++;
            _log.Write(LogLevel.Warning, Source, "shadow message refused: " + why);
        }

        // errorcode is a string in the platform's examples ("errorcode":"409"); a number is read too.
        private static int ReadCode(object raw)
        {
            long code;
            return JsonValues.TryReadWholeNumber(raw, out code) && code <= int.MaxValue ? (int)code : 0;
        }
    }
}
