#if ALIYUN_PROVISIONING
using AliyunIot.Config;
using AliyunIot.Http;
using AliyunIot.Ports;
using AliyunIot.Provisioning;

namespace AliyunIot.Esp32
{
    // Dynamic registration (AliyunIot.Provisioning): compiled in when the build's BoardProfile keeps the component
    // (Esp32App.nfproj defines ALIYUN_PROVISIONING; left out on esp32-wroom, where flash.ps1 provisions every unit's
    // deviceSecret and the component would only cost heap). Without it ProvisioningWait refuses a device.json that asks
    // for registration, naming the missing component.
    public sealed partial class DeviceApplication
    {
        private const int RegistrationRetryBaseMs = 60000;
        private const int RegistrationRetryCapMs = 1800000;

        partial void RegistrationCompiledIn(ref bool compiledIn)
        {
            compiledIn = true;
        }

        partial void Register(ref DeviceConfig config, string ca)
        {
            DynamicRegistration registration = new DynamicRegistration(_configStore, _random, _clock, _log, new HttpsPoster(new SslSocketOpener()), new M2MqttTransportFactory(), _hmac);
            int pauseMs = RegistrationRetryBaseMs;
            while (true)
            {
                RegistrationResult result = registration.EnsureRegistered(config, ca);
                _watchdog.Beat(_mainBeat);
                if (result.Succeeded)
                {
                    config = result.Config;
                    return;
                }

                // Refusals need a person (wrong productSecret, registration disabled): show it and retry slowly.
                _led.Pattern = result.Outcome == RegistrationOutcome.Refused ? LedPattern.Error : LedPattern.CloudConnecting;
                // DynamicRegistration has logged why (result.Detail); only the retry is news here.
                _log.Write(LogLevel.Error, "register", "Dynamic registration failed; retrying in " + (pauseMs / 1000).ToString() + " s.");
                SleepBeating(pauseMs);
                pauseMs = pauseMs * 2 > RegistrationRetryCapMs ? RegistrationRetryCapMs : pauseMs * 2;
            }
        }

        private void SleepBeating(int totalMs)
        {
            while (totalMs > 0)
            {
                int step = totalMs > 30000 ? 30000 : totalMs;
                System.Threading.Thread.Sleep(step);
                totalMs -= step;
                _watchdog.Beat(_mainBeat);
            }
        }
    }
}
#endif
