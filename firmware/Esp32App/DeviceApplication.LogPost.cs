#if ALIYUN_LOGPOST
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.LogPost;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    // Log post (AliyunIot.LogPost): compiled in when the build's BoardProfile keeps the component (Esp32App.nfproj
    // defines ALIYUN_LOGPOST; left out on esp32-wroom). Every line goes through a CloudLog, posted from the main loop
    // when the cloud switches log post on; without the component the log is the serial console only.
    public sealed partial class DeviceApplication
    {
        private CloudLog _cloudLog;
        private LogPoster _logPoster;

        partial void AttachCloudLog(ref ILog log)
        {
            _cloudLog = new CloudLog(log);
            log = _cloudLog;
        }

        partial void AddLogPost(DeviceConfig config, AlinkIds ids)
        {
            _logPoster = new LogPoster(_device.Topics, _device.Publisher, ids, _clock, _cloudLog.Inner, Settings(config, _log));
            _logPoster.Outbox = _device.Outbox;
            _logPoster.Scrubber.AddSecret(config.DeviceSecret);
            _logPoster.Scrubber.AddSecret(config.ProductSecret);
            _logPoster.Scrubber.AddSecret(config.DeviceToken);
            _logPoster.Scrubber.AddSecret(config.WifiPassword);
            _cloudLog.Poster = _logPoster;
            _device.AddHandler(_logPoster);
        }

        // The logPost section of device.json, or the defaults (a bad section is logged: the device must still connect).
        private static LogPostSettings Settings(DeviceConfig config, ILog log)
        {
            try
            {
                return LogPostSettings.Parse(ComponentSettings.Section(config, "logPost"));
            }
            catch (ConfigException e)
            {
                log.Write(LogLevel.Error, "config", e.Field + ": " + e.Message + "; using the defaults");
                return new LogPostSettings();
            }
        }

        partial void LogPostConnected()
        {
            _logPoster.OnConnected();
        }

        partial void LogPostTick()
        {
            _logPoster.Tick();
        }
    }
}
#else
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    // A build without AliyunIot.LogPost (esp32-wroom, or -p:WithLogPost=false): a logPost section in device.json is
    // said to be ignored once at boot, so a user who expects log post on the console knows why it never appears.
    public sealed partial class DeviceApplication
    {
        partial void AddLogPost(DeviceConfig config, AlinkIds ids)
        {
            if (ComponentSettings.Section(config, "logPost") != null)
            {
                _log.Write(LogLevel.Warning, "config", "logPost is ignored: this build has no AliyunIot.LogPost component (built for esp32-wroom or with -p:WithLogPost=false)");
            }
        }
    }
}
#endif
