using System.Collections;
using AliyunIot.Json;
using AliyunIot.Ports;
using AliyunIot.RemoteConfig;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// The ESP32 application's remote config handler: a config is a JSON object (the platform's config files are
    /// JSON text); it is parsed with the core's reader and kept as <see cref="Current"/> for the application's code,
    /// anything else is refused with the reason (the push is then answered 460 and the stored config stays).
    /// </summary>
    public sealed class DeviceRemoteConfig : IRemoteConfigHandler
    {
        private readonly ILog _log;
        private readonly object _gate = new object();
        private Hashtable _current;

        /// <summary>Creates the handler.</summary>
        public DeviceRemoteConfig(ILog log)
        {
            _log = log;
        }

        /// <summary>The config in use (the JSON object's members), or null before the first.</summary>
        public Hashtable Current
        {
            get { lock (_gate) { return _current; } }
        }

        /// <inheritdoc />
        public string Apply(RemoteConfigFile file)
        {
            byte[] content = file.ReadAll();
            if (content == null)
            {
                return "the file could not be read";
            }

            string problem = JsonGuard.Check(content, 0, content.Length, content.Length, 16);
            Hashtable config = problem == null ? JsonTree.Parse(content, 0, content.Length, 16, out problem) as Hashtable : null;
            if (config == null)
            {
                return problem != null ? problem : "not a JSON object";
            }

            lock (_gate)
            {
                _current = config;
            }

            _log.Write(LogLevel.Info, "app", "Remote config " + file.ConfigId + " in use (" + config.Count.ToString() + " settings).");
            return null;
        }
    }
}
