using System.Threading;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Writes and publishes the device's OTA messages (QoS 1): <c>inform</c> (running version) and <c>progress</c>
    /// (step + desc), both written by the core's <see cref="OtaMessages"/>, and <c>thing.ota.firmware.get</c>. Thread-safe (the session worker and the job thread both report); the lock guards the shared writer only, never
    /// the publish.
    /// </summary>
    public sealed class OtaReporter
    {
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly OtaSettings _settings;
        private readonly JsonWriter _json = new JsonWriter(256, 1024);
        private readonly object _lock = new object();
        private long _nextId = 1;

        /// <summary>Creates the reporter.</summary>
        public OtaReporter(DeviceTopics topics, IPublisher publisher, OtaSettings settings)
        {
            _topics = topics;
            _publisher = publisher;
            _settings = settings;
        }

        /// <summary>Publishes <c>{"id":"n","params":{"version":"v"[,"module":"m"]}}</c> on the inform topic.</summary>
        public PublishStatus Inform(string version)
        {
            byte[] payload;
            lock (_lock)
            {
                payload = OtaMessages.Inform(_json, (_nextId++).ToString(), version, _settings.Module);
            }

            return Publish(_topics.OtaInform, payload, null);
        }

        /// <summary>Publishes <c>{"id":"n","params":{"step":"s","desc":"d"[,"module":"m"]}}</c> on the progress topic.</summary>
        /// <param name="step">0..100, or -1..-4 for failures.</param>
        /// <param name="desc">Free text for the console.</param>
        public PublishStatus Progress(int step, string desc)
        {
            return PublishProgress(step, desc, null);
        }

        /// <summary>
        /// Publishes a progress report; when <paramref name="acknowledged"/> is given it is set once the outbox has
        /// an outcome for the message (PUBACK, refusal or drop). Used for the final report.
        /// </summary>
        /// <returns>What the outbox did with it: only <see cref="PublishStatus.Sent"/> and
        /// <see cref="PublishStatus.Queued"/> mean it was kept.</returns>
        public PublishStatus ProgressWithDelivery(int step, string desc, AutoResetEvent acknowledged)
        {
            IPublisherWithOptions withOptions = _publisher as IPublisherWithOptions;
            if (acknowledged == null || withOptions == null)
            {
                return Progress(step, desc);
            }

            PublishOptions options = new PublishOptions();
            options.Delivered = delegate(object token, DeliveryOutcome outcome, int reasonCode)
            {
                acknowledged.Set();
            };

            return PublishProgress(step, desc, options);
        }

        /// <summary>Asks for the pending job: <c>{"id":"n","version":"1.0","params":{"module":"m"},"method":"thing.ota.firmware.get"}</c>.</summary>
        public PublishStatus FirmwareGet()
        {
            byte[] payload;
            lock (_lock)
            {
                _json.Reset();
                _json.BeginObject();
                _json.Property("id", (_nextId++).ToString());
                _json.Property("version", "1.0");
                _json.Name("params");
                _json.BeginObject();
                _json.Property("module", _settings.Module);
                _json.EndObject();
                _json.Property("method", "thing.ota.firmware.get");
                _json.EndObject();
                payload = _json.ToArray();
            }

            return Publish(_topics.OtaFirmwareGet, payload, null);
        }

        private PublishStatus PublishProgress(int step, string desc, PublishOptions options)
        {
            byte[] payload;
            lock (_lock)
            {
                payload = OtaMessages.Progress(_json, (_nextId++).ToString(), step, desc, _settings.Module);
            }

            return Publish(_topics.OtaProgress, payload, options);
        }

        private PublishStatus Publish(string topic, byte[] payload, PublishOptions options)
        {
            return options == null ? _publisher.Publish(topic, payload, 1) : ((IPublisherWithOptions)_publisher).Publish(topic, payload, 1, options);
        }
    }
}
