using System.Collections;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Alink
{
    /// <summary>
    /// The OTA side of a firmware built without code OTA (the AliyunIot.Ota component left out, e.g. the
    /// <c>esp32-wroom</c> build; docs/board.md): after every connect (<see cref="OnConnected"/>) it reports the
    /// running version on <c>inform</c>, so the console shows what the unit runs, and it refuses every job pushed on
    /// <c>/ota/device/upgrade</c> with progress step -1 and <see cref="RefusalReason"/> before anything is
    /// downloaded: the job ends on the console with the reason instead of waiting for a device that never answers.
    /// A push for the running version is answered with <c>inform</c> (the job is done), one for another module is not
    /// this firmware's, and a malformed one is logged and ignored, as the OTA component does. Runs on the session's
    /// worker thread (handler and connect hook), so it holds one writer and no lock.
    /// </summary>
    public sealed class FirmwareVersionReporter : IMessageHandler
    {
        /// <summary>The desc of the step -1 report for every job (the console shows it as the failure reason).</summary>
        public const string RefusalReason = "refused before download: this firmware was built without code OTA"
            + " (AliyunIot.Ota left out, e.g. BoardProfile esp32-wroom); code changes need flash.ps1,"
            + " behaviour changes come through remote config";

        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly ILog _log;
        private readonly string _module;
        private readonly JsonWriter _json = new JsonWriter(256, 1024);
        private long _nextId = 1;

        /// <summary>Creates the reporter (idle until <see cref="OnConnected"/> or a push).</summary>
        /// <param name="topics">The device's topics.</param>
        /// <param name="publisher">Where the reports go (the session's outbox; QoS 1).</param>
        /// <param name="log">Log.</param>
        /// <param name="runningVersion">Version of the running firmware, as reported on <c>inform</c>.</param>
        /// <param name="module">The OTA module this firmware answers for (device.json <c>ota.module</c>), or null for
        /// the whole firmware (<see cref="OtaMessages.DefaultModule"/>).</param>
        public FirmwareVersionReporter(DeviceTopics topics, IPublisher publisher, ILog log, string runningVersion, string module)
        {
            _topics = topics;
            _publisher = publisher;
            _log = log;
            RunningVersion = runningVersion;
            _module = module == null || module.Length == 0 ? OtaMessages.DefaultModule : module;
        }

        /// <summary>Version of the running firmware, as reported on <c>inform</c>.</summary>
        public string RunningVersion { get; private set; }

        /// <summary>Adds the upgrade push topic.</summary>
        public void AddSubscriptions(ArrayList topics)
        {
            topics.Add(_topics.OtaUpgrade);
        }

        /// <summary>Answers an upgrade push (see the class summary); never downloads.</summary>
        /// <returns>true for the upgrade topic (answered or ignored), false for any other.</returns>
        public bool Handle(string topic, byte[] payload)
        {
            if (topic != _topics.OtaUpgrade)
            {
                return false;
            }

            Hashtable data = OtaMessages.ReadData(payload, _log);
            if (data == null)
            {
                return true;
            }

            if (data.Count == 0)
            {
                _log.Write(LogLevel.Debug, "ota", "upgrade push without a job ignored");
                return true;
            }

            string module = OtaMessages.ModuleOf(data);
            if (module != _module)
            {
                _log.Write(LogLevel.Debug, "ota", "job for module " + module + " ignored");
                return true;
            }

            string version = JsonValues.Get(data, "version") as string;
            if (version != null && version == RunningVersion)
            {
                _log.Write(LogLevel.Info, "ota", "version " + version + " is already running");
                Inform();
                return true;
            }

            _log.Write(LogLevel.Warning, "ota", "OTA job " + (version == null ? "without a version" : "for version " + version) + " " + RefusalReason);
            _publisher.Publish(_topics.OtaProgress, OtaMessages.Progress(_json, NextId(), OtaMessages.StepUpgradeFailed, RefusalReason, _module), 1);
            return true;
        }

        /// <summary>Call after every successful connect: reports the running version on <c>inform</c>.</summary>
        public void OnConnected()
        {
            Inform();
        }

        private void Inform()
        {
            _publisher.Publish(_topics.OtaInform, OtaMessages.Inform(_json, NextId(), RunningVersion, _module), 1);
        }

        private string NextId()
        {
            return (_nextId++).ToString();
        }
    }
}
