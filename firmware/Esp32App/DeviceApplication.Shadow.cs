#if ALIYUN_SHADOW
using AliyunIot.Config;
using AliyunIot.Shadow;
using AliyunIot.Thing;

namespace AliyunIot.Esp32
{
    // Device shadow (AliyunIot.Shadow): compiled in when the build's BoardProfile keeps the component (Esp32App.nfproj
    // defines ALIYUN_SHADOW; left out on esp32-wroom). A desired attribute naming a writable property (a sensors
    // output) drives it like a property set; the shadow is fetched after every connect, so its version is known again
    // after a reboot.
    public sealed partial class DeviceApplication
    {
        private DeviceShadow _shadow;

        partial void AddShadow(ThingModel model, DeviceLimits limits)
        {
            _shadow = new DeviceShadow(_device.Topics, _device.Publisher, _log, limits.MaxPayloadBytes, 0);
            _shadow.DesiredReceived = new ShadowPropertyBinding(model, _log).Apply;
            _device.AddHandler(_shadow);
        }

        partial void ShadowConnected()
        {
            _shadow.OnConnected();
        }
    }
}
#endif
