using System;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Json;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// Remote config (the platform's COTA; Link SDK's remote config, the Node SDK's getConfig/onConfig): asks
    /// <c>thing.config.get</c> once per boot on the first connect and whenever <see cref="RequestConfig"/> is called,
    /// and takes <c>thing.config.push</c> from the platform. An offer is checked (<see cref="RemoteConfigOffer.Parse"/>:
    /// an oversize configSize is refused before any download), then ONE job thread streams the file over HTTPS
    /// through one buffer into a candidate file on flash, hashing it as it arrives; a size or SHA-256 mismatch refuses
    /// it, an expired URL (HTTP 403/400) is replaced by asking <c>thing.config.get</c> again. The verified file goes to
    /// the application (<see cref="IRemoteConfigHandler"/>); when it accepts, it becomes the stored last good config
    /// (<see cref="RemoteConfigStore"/>), which <see cref="ApplyStored"/> hands over again after a reboot.
    /// A push is answered on <c>push_reply</c> once its outcome is known: 200, or 460/400/429 with the reason.
    /// This class speaks the protocol; <see cref="RemoteConfigJobRunner"/> owns the download thread and stopping.
    /// Depends only on the core; a product that does not use it does not construct it.
    /// </summary>
    public sealed class RemoteConfigAgent : IMessageHandler
    {
        internal const string LogSource = "rconfig";

        private readonly RemoteConfigTopics _topics;
        private readonly IPublisher _publisher;
        private readonly RemoteConfigStore _store;
        private readonly IRemoteConfigHandler _handler;
        private readonly ILog _log;
        private readonly RemoteConfigSettings _settings;
        private readonly AlinkIds _ids;
        private readonly RemoteConfigWire _wire = new RemoteConfigWire();
        private readonly object _lock = new object();
        private readonly RemoteConfigJobRunner _runner;

        private bool _askedThisBoot;
        private string _lastGetId;
        private RemoteConfigOutcome _lastOutcome;

        /// <summary>Creates the agent (idle until <see cref="OnConnected"/>, <see cref="RequestConfig"/> or a push).</summary>
        /// <param name="topics">The device's topics.</param>
        /// <param name="publisher">Where requests and replies go (the session's outbox).</param>
        /// <param name="downloader">HTTPS downloader (the OTA one).</param>
        /// <param name="storage">The device's flash (the config is stored beside the OTA slots).</param>
        /// <param name="handler">The application's handler.</param>
        /// <param name="clock">Time for retry pauses and timeouts.</param>
        /// <param name="log">Log (URLs without their query).</param>
        /// <param name="settings">The <c>remoteConfig</c> section, or null for defaults.</param>
        /// <param name="caCertificatesPem">Roots trusted for the download server.</param>
        /// <param name="ids">The device's Alink id counter.</param>
        public RemoteConfigAgent(DeviceTopics topics, IPublisher publisher, IHttpDownloader downloader, IFlashStorage storage,
            IRemoteConfigHandler handler, IClock clock, ILog log, RemoteConfigSettings settings, string caCertificatesPem, AlinkIds ids)
        {
            if (topics == null || publisher == null || downloader == null || storage == null || handler == null || clock == null || log == null || ids == null)
            {
                throw new ArgumentNullException("topics, publisher, downloader, storage, handler, clock, log and ids are required");
            }

            _topics = new RemoteConfigTopics(topics);
            _publisher = publisher;
            _store = new RemoteConfigStore(storage);
            _handler = handler;
            _log = log;
            _settings = settings == null ? new RemoteConfigSettings() : settings;
            _ids = ids;
            _runner = new RemoteConfigJobRunner(this, _store, downloader, _settings, clock, log, caCertificatesPem);
        }

        /// <summary>
        /// Optional (boards where two TLS sessions do not fit, <c>ota.closeMqttDuringDownload</c>): the MQTT session is
        /// suspended for the HTTPS download and resumed after it, and push replies go at QoS 1 so that they wait in the
        /// outbox for the reconnect.
        /// </summary>
        public IDownloadConnectionControl ConnectionControl { get; set; }

        /// <summary>This component's topics.</summary>
        public RemoteConfigTopics Topics
        {
            get { return _topics; }
        }

        /// <summary>The stored (applied) config's id, or null.</summary>
        public string CurrentConfigId
        {
            get { return _store.CurrentId; }
        }

        /// <summary>True while a download runs.</summary>
        public bool IsBusy
        {
            get { return _runner.IsBusy; }
        }

        /// <summary>How the last offer of this boot ended, or null.</summary>
        public RemoteConfigOutcome LastOutcome
        {
            get
            {
                lock (_lock)
                {
                    return _lastOutcome;
                }
            }
        }

        /// <summary>
        /// At boot, before the session starts: hands the stored last good config (verified against its record) to the
        /// application. Returns null when none is stored; otherwise the outcome (a damaged or refused one is named).
        /// </summary>
        public RemoteConfigOutcome ApplyStored()
        {
            string problem;
            RemoteConfigFile file = _store.Load(new byte[_settings.ChunkSize], out problem);
            if (file == null)
            {
                if (problem == null)
                {
                    return null;
                }

                _log.Write(LogLevel.Warning, LogSource, problem);
                return Remember(new RemoteConfigOutcome(null, ReplyCodes.RequestError, problem));
            }

            string refusal = CallHandler(file);
            RemoteConfigOutcome outcome = refusal == null
                ? new RemoteConfigOutcome(file.ConfigId, ReplyCodes.Success, "stored config " + file.ConfigId + " applied")
                : new RemoteConfigOutcome(file.ConfigId, ReplyCodes.ParameterError, "stored config " + file.ConfigId + " refused by the application: " + refusal);
            _log.Write(refusal == null ? LogLevel.Info : LogLevel.Warning, LogSource, outcome.Message);
            return Remember(outcome);
        }

        /// <summary>Call after every successful connect: the first call of a boot asks for the product's config.</summary>
        public void OnConnected()
        {
            lock (_lock)
            {
                if (_askedThisBoot)
                {
                    return;
                }

                _askedThisBoot = true;
            }

            RequestConfig();
        }

        /// <summary>
        /// Asks the platform for the product's config (<c>thing.config.get</c>, QoS 1):
        /// <c>{"id":"7","version":"1.0","params":{"configScope":"product","getType":"file"},"method":"thing.config.get"}</c>
        /// (the params the Node SDK's getConfig and the platform's documentation use).
        /// </summary>
        public PublishStatus RequestConfig()
        {
            string id = _ids.Next();
            byte[] payload = _wire.GetRequest(id);

            lock (_lock)
            {
                _lastGetId = id;
            }

            PublishStatus status = _publisher.Publish(_topics.Get, payload, 1);
            if (status != PublishStatus.Sent && status != PublishStatus.Queued)
            {
                lock (_lock)
                {
                    if (_lastGetId == id)
                    {
                        _lastGetId = null;
                    }
                }

                _log.Write(LogLevel.Warning, LogSource, "thing.config.get not sent: " + status.ToString());
            }

            return status;
        }

        /// <inheritdoc />
        public void AddSubscriptions(ArrayList topics)
        {
            topics.Add(_topics.Push);
            topics.Add(_topics.GetReply);
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            if (topic == _topics.Push)
            {
                OnPush(payload);
                return true;
            }

            if (topic == _topics.GetReply)
            {
                OnGetReply(payload);
                return true;
            }

            return false;
        }

        /// <summary>Waits until no download runs (tests, orderly shutdown); false on timeout.</summary>
        public bool WaitIdle(int timeoutMs)
        {
            return _runner.WaitIdle(timeoutMs);
        }

        /// <summary>Abandons a running download (no reply; the next boot asks again) and joins its thread.</summary>
        public void Stop()
        {
            _runner.Stop();
        }

        private void OnPush(byte[] payload)
        {
            string problem;
            Hashtable root = RemoteConfigWire.ParseRoot(payload, out problem);
            if (root == null)
            {
                Reply(null, ReplyCodes.ParameterError, "malformed push: " + problem);
                return;
            }

            string id;
            try
            {
                id = JsonValues.GetId(root);
            }
            catch (JsonFieldException ex)
            {
                Reply(null, ReplyCodes.ParameterError, "malformed push: field " + ex.Field + " " + ex.Expected);
                return;
            }

            Hashtable parameters = JsonValues.Get(root, "params") as Hashtable;
            if (parameters == null)
            {
                Reply(id, ReplyCodes.ParameterError, "malformed push: field params expected object");
                return;
            }

            Offer(parameters, RemoteConfigSource.Pushed, id);
        }

        private void OnGetReply(byte[] payload)
        {
            string problem;
            Hashtable root = RemoteConfigWire.ParseRoot(payload, out problem);
            if (root == null)
            {
                _log.Write(LogLevel.Warning, LogSource, "config get_reply ignored: " + problem);
                return;
            }

            string id = RemoteConfigWire.IdOf(root);
            lock (_lock)
            {
                if (id == null || id != _lastGetId)
                {
                    _log.Write(LogLevel.Debug, LogSource, "config get_reply to a request this device is not waiting for: ignored");
                    return;
                }

                _lastGetId = null;
            }

            long code;
            if (!JsonValues.TryToLong(JsonValues.Get(root, "code"), out code) || code != ReplyCodes.Success)
            {
                string message = JsonValues.Get(root, "message") as string;
                string reason = "thing.config.get answered " + code.ToString() + (message == null || OrdinalText.HasControlCharacter(message) || message.Length > 128 ? string.Empty : ": " + message);
                _log.Write(LogLevel.Warning, LogSource, reason);
                Remember(new RemoteConfigOutcome(null, (int)code, reason));
                _runner.WakeRefresh();
                return;
            }

            Hashtable data = JsonValues.Get(root, "data") as Hashtable;
            if (data == null || data.Count == 0)
            {
                _log.Write(LogLevel.Info, LogSource, "the product has no remote config");
                _runner.WakeRefresh();
                return;
            }

            Offer(data, RemoteConfigSource.Fetched, null);
        }

        private void Offer(Hashtable data, RemoteConfigSource source, string pushId)
        {
            RemoteConfigOffer offer;
            try
            {
                offer = RemoteConfigOffer.Parse(data, _settings.MaxBytes);
            }
            catch (RemoteConfigRefusedException ex)
            {
                string configId = JsonValues.Get(data, "configId") as string;
                Finish(pushId, new RemoteConfigOutcome(configId != null && configId.Length <= RemoteConfigOffer.MaxIdLength && !OrdinalText.HasControlCharacter(configId) ? configId : null, ex.Code, ex.Message));
                return;
            }

            string busyWith;
            if (_runner.AbsorbOffer(offer, pushId, out busyWith))
            {
                if (busyWith != null)
                {
                    if (pushId != null)
                    {
                        Reply(pushId, ReplyCodes.TooManyRequests, "busy with config " + busyWith + "; ask again when it is done");
                    }

                    _log.Write(LogLevel.Warning, LogSource, "config " + offer.ConfigId + " not started: busy with " + busyWith);
                }

                return;
            }

            if (offer.ConfigId == _store.CurrentId)
            {
                Finish(pushId, new RemoteConfigOutcome(offer.ConfigId, ReplyCodes.Success, "config " + offer.ConfigId + " is already applied"));
                return;
            }

            _runner.TryStart(new RemoteConfigJob(offer, source, pushId));
        }

        /// <summary>Hands a verified file to the application; its refusal, or null when it took the config.</summary>
        internal string CallHandler(RemoteConfigFile file)
        {
            try
            {
                return _handler.Apply(file);
            }
            catch (Exception ex)
            {
                return "its handler threw " + ex.GetType().Name;
            }
        }

        /// <summary>Records how an offer ended and answers its push, if it came as one.</summary>
        internal void Finish(string pushId, RemoteConfigOutcome outcome)
        {
            Remember(outcome);
            _log.Write(outcome.Succeeded ? LogLevel.Info : LogLevel.Warning, LogSource, outcome.Message);
            if (pushId != null)
            {
                Reply(pushId, outcome.Code, outcome.Succeeded ? null : outcome.Message);
            }
        }

        private RemoteConfigOutcome Remember(RemoteConfigOutcome outcome)
        {
            lock (_lock)
            {
                _lastOutcome = outcome;
            }

            return outcome;
        }

        // push_reply, QoS 0 like every reply to a cloud request (QoS 1 when the connection is closed for downloads): {"id":"5","code":200,"data":{}} or with "message".
        private void Reply(string id, int code, string message)
        {
            byte[] payload = _wire.PushReply(id, code, message);
            PublishStatus status = _publisher.Publish(_topics.PushReply, payload, ConnectionControl == null ? 0 : 1);
            if (status != PublishStatus.Sent && status != PublishStatus.Queued)
            {
                _log.Write(LogLevel.Warning, LogSource, "push_reply (" + code.ToString() + ") not sent: " + status.ToString());
            }
        }
    }
}
