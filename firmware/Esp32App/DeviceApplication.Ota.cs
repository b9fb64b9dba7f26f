using AliyunIot.Config;
using AliyunIot.Ports;
using OtaPartition;
#if ALIYUN_OTA
using AliyunIot.Ota;
#else
using AliyunIot.Alink;
#endif

namespace AliyunIot.Esp32
{
    // Code OTA (AliyunIot.Ota): compiled in when the build's BoardProfile keeps the component (Esp32App.nfproj defines
    // ALIYUN_OTA; left out on esp32-wroom, whose profile has no code OTA). Without it the core's FirmwareVersionReporter
    // still reports the running version after every connect and refuses every pushed job (step -1, with the reason)
    // before any download, so the console shows what the unit runs and why a job failed.
    public sealed partial class DeviceApplication
    {
#if ALIYUN_OTA
        private OtaAgent _ota;

        partial void AddOta(ProvisioningWait provisioning, DeviceConfig config, string ca, IRestart restart, SlotStore slots, string runningVersion, bool closeMqtt, IHttpDownloader downloader)
        {
            OtaSettings otaSettings = provisioning.Ota;
            _ota = new OtaAgent(_device.Topics, _device.Publisher, downloader, slots, restart, _clock, _log, otaSettings, ca, runningVersion);
            if (closeMqtt)
            {
                // Boards without PSRAM: one TLS session at a time (MQTT closed while the HTTPS download runs).
                _ota.ConnectionControl = new SessionConnectionControl(_device);
            }

            _device.AddHandler(_ota);
        }

        partial void OtaConnected()
        {
            _ota.OnConnected();
        }

        partial void OtaBusy(ref bool busy)
        {
            busy = busy || _ota.IsBusy;
        }
#else
        private FirmwareVersionReporter _versionReporter;

        partial void AddOta(ProvisioningWait provisioning, DeviceConfig config, string ca, IRestart restart, SlotStore slots, string runningVersion, bool closeMqtt, IHttpDownloader downloader)
        {
            // ota.module, as the OTA component reads it (any other field of the section has nothing to act on here).
            string module = config.Ota == null ? null : config.Ota["module"] as string;
            _versionReporter = new FirmwareVersionReporter(_device.Topics, _device.Publisher, _log, runningVersion, module);
            _device.AddHandler(_versionReporter);
        }

        partial void OtaConnected()
        {
            _versionReporter.OnConnected();
        }
#endif
    }
}
