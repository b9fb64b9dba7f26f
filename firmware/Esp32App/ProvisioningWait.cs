using System;
using nanoFramework.Runtime.Native;
using System.Threading;
using AliyunIot.Config;
#if ALIYUN_OTA
using AliyunIot.Ota;
#endif
using AliyunIot.Ports;
using AliyunIot.Sensors;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Reads and validates I:\device.json; when it is missing or invalid, says exactly why on the debug output, shows
    /// the no-config LED pattern and polls until a usable file appears (nanoff --filedeployment can write it while the
    /// application runs) — instead of crashing into a reboot loop that would also make the board hard to flash.
    /// </summary>
    public sealed class ProvisioningWait
    {
        private const int PollIntervalMs = 5000;
        private const int RepeatMessageMs = 60000;

        private readonly IConfigStore _store;
        private readonly ILog _log;
        private readonly bool _canRegister;

        /// <summary>Creates the wait.</summary>
        /// <param name="store">Where device.json lives.</param>
        /// <param name="log">Where the reasons go.</param>
        /// <param name="canRegister">
        /// Whether this build holds dynamic registration (the AliyunIot.Provisioning component); without it a config
        /// that asks for registration is refused like an invalid one, with the reason.
        /// </param>
        public ProvisioningWait(IConfigStore store, ILog log, bool canRegister)
        {
            _store = store;
            _log = log;
            _canRegister = canRegister;
        }

        /// <summary>The sensors of the config last returned (validated with it), never null.</summary>
        public SensorDefinition[] Sensors { get; private set; }

#if ALIYUN_OTA
        /// <summary>The <c>ota</c> section of the config last returned (validated with it), never null after success.</summary>
        public OtaSettings Ota { get; private set; }
#endif

        /// <summary>
        /// Parses the config once, its <c>sensors</c> and <c>ota</c> sections included (a bad pin is a config error like any other);
        /// null (with <paramref name="problem"/> set) when there is none or it is invalid.
        /// </summary>
        /// <param name="problem">Why it is unusable, without secret values.</param>
        public DeviceConfig TryLoad(out string problem)
        {
            string text;
            try
            {
                text = _store.Read();
            }
            catch (Exception e)
            {
                problem = "I:\\device.json cannot be read (" + e.GetType().Name + ")";
                return null;
            }

            if (text == null)
            {
                problem = "No I:\\device.json: provision this unit with flash.ps1 (docs/board.md)";
                return null;
            }

            try
            {
                // No log for the parser: this runs every poll while the device waits for a valid file, and the
                // caller logs the warnings of the config it gets once (DeviceConfig.Warnings).
                DeviceConfig config = new DeviceConfigParser(null).Parse(text);
                if (config.NeedsRegistration && !_canRegister)
                {
                    problem = "I:\\device.json asks for dynamic registration (productSecret without deviceSecret), but this firmware " +
                              "was built without the AliyunIot.Provisioning component (BoardProfile esp32-wroom leaves it out): " +
                              "provision the unit's deviceSecret (flash.ps1 -DeviceSecret) or flash a build with Provisioning (docs/board.md)";
                    return null;
                }


                // The device always joins WiFi, so ADC2 channels are refused here rather than failing at run time; the
                // pin and channel rules are those of the chip the firmware target names.
                Sensors = SensorConfigParser.Parse(config.Sensors, true, EspChip.FromTargetName(SystemInfo.TargetName));
#if ALIYUN_OTA
                // Without the OTA component (DeviceApplication.Ota.cs) only ota.module is read, by the version reporter.
                Ota = OtaSettings.Parse(config.Ota);
#endif
                problem = null;
                return config;
            }
            catch (ConfigException e)
            {
                // The message names the field and the allowed values and never holds a secret's value.
                problem = "I:\\device.json is invalid: " + e.Message;
                return null;
            }
            catch (Exception e)
            {
                problem = "I:\\device.json is invalid (" + e.GetType().Name + ")";
                return null;
            }
        }

        /// <summary>Blocks until a valid config exists; beats the watchdog while waiting.</summary>
        /// <param name="led">Shows <see cref="LedPattern.NoConfig"/> while waiting.</param>
        /// <param name="watchdog">Beaten every poll.</param>
        /// <param name="beatHandle">The main loop's watchdog handle.</param>
        public DeviceConfig WaitForValidConfig(StatusLed led, SoftwareWatchdog watchdog, int beatHandle)
        {
            string lastProblem = null;
            long lastMessageAt = 0;
            while (true)
            {
                string problem;
                DeviceConfig config = TryLoad(out problem);
                if (config != null)
                {
                    if (lastProblem != null)
                    {
                        _log.Write(LogLevel.Info, "config", "I:\\device.json is now valid.");
                    }

                    return config;
                }

                led.Pattern = LedPattern.NoConfig;
                long now = Environment.TickCount64;
                if (problem != lastProblem || now - lastMessageAt >= RepeatMessageMs)
                {
                    // Repeated every minute so a terminal attached later still sees why the device waits.
                    _log.Write(LogLevel.Error, "config", problem + ". Waiting for a valid file.");
                    lastProblem = problem;
                    lastMessageAt = now;
                }

                watchdog.Beat(beatHandle);
                Thread.Sleep(PollIntervalMs);
            }
        }
    }
}
