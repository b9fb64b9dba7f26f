using System;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Json;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Closes the loop of an update after every connect: a new image on trial (Testing) has now proven it can boot,
    /// join WiFi, do TLS and authenticate, so it is confirmed; THEN the running version is reported on
    /// <c>/ota/device/inform/{pk}/{dn}</c> — the platform decides an upgrade's success solely by that report, so it
    /// must never name an image that could still be rolled back. After a rollback the old version is reported (the
    /// platform marks the job failed) and the rollback is acknowledged.
    /// </summary>
    public sealed class RunningImageReporter
    {
        private readonly SlotStore _store;
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly AlinkIds _ids;
        private readonly ILog _log;
        private readonly JsonWriter _json = new JsonWriter(96, 512);

        /// <summary>Creates the reporter.</summary>
        public RunningImageReporter(SlotStore store, DeviceTopics topics, IPublisher publisher, AlinkIds ids, ILog log)
        {
            _store = store;
            _topics = topics;
            _publisher = publisher;
            _ids = ids;
            _log = log;
        }

        /// <summary>Version of the running image (from the slot manifest), empty when unknown.</summary>
        public string RunningVersion
        {
            get
            {
                try
                {
                    return _store.ReadManifest().ActiveVersion;
                }
                catch (Exception)
                {
                    return string.Empty;
                }
            }
        }

        /// <summary>Call when the session reports Connected (on the worker thread).</summary>
        public void OnConnected()
        {
            SlotManifest manifest;
            try
            {
                manifest = _store.ReadManifest();
                if (manifest.State == SlotState.Testing && _store.Confirm())
                {
                    _log.Write(LogLevel.Info, "ota", "Image " + manifest.ActiveVersion + " confirmed: it connected to the cloud.");
                }
            }
            catch (Exception e)
            {
                // Not confirmed now means another boot attempt later, never a lost image.
                _log.Write(LogLevel.Error, "ota", "Could not confirm the running image (" + e.GetType().Name + ").");
                return;
            }

            if (manifest.ActiveVersion == null || manifest.ActiveVersion.Length == 0)
            {
                _log.Write(LogLevel.Warning, "ota", "The running image has no version: nothing to report.");
                return;
            }

            _json.Reset();
            _json.BeginObject();
            _json.Property("id", _ids.Next());
            _json.Name("params");
            _json.BeginObject();
            _json.Property("version", manifest.ActiveVersion);
            _json.EndObject();
            _json.EndObject();
            PublishStatus status = _publisher.Publish(_topics.OtaInform, _json.ToArray(), 1);
            if (status != PublishStatus.Sent && status != PublishStatus.Queued)
            {
                _log.Write(LogLevel.Warning, "ota", "Version report not sent (publish status " + ((int)status).ToString() + "); retried at the next connect.");
                return;
            }

            _log.Write(LogLevel.Info, "ota", "Reported running version " + manifest.ActiveVersion + ".");
            if (manifest.State == SlotState.RolledBack)
            {
                string failed = manifest.RolledBackVersion;
                if (_store.AcknowledgeRollback())
                {
                    _log.Write(LogLevel.Warning, "ota", "Image " + failed + " was rolled back (" + manifest.RolledBackReason + "); the platform now sees " + manifest.ActiveVersion + ".");
                }
            }
        }
    }
}
