using System.Collections;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Board wiring the application needs before anything else: the status LED. Read from the optional
    /// <c>"board"</c> section of device.json — <c>{"statusLedPin": 2, "statusLedActiveHigh": true}</c>, pin -1 for
    /// none — and GPIO 2, active high (ESP32 DevKitC / WROVER-KIT style boards) when the section or the whole config
    /// is missing: the LED must work precisely when there is no usable config.
    /// </summary>
    public sealed class BoardSettings
    {
        /// <summary>GPIO of the on-board LED of the common ESP32 DevKit boards.</summary>
        public const int DefaultLedPin = 2;

        private BoardSettings(int ledPin, bool ledActiveHigh)
        {
            StatusLedPin = ledPin;
            StatusLedActiveHigh = ledActiveHigh;
        }

        /// <summary>GPIO of the status LED, or -1 for none.</summary>
        public int StatusLedPin { get; private set; }

        /// <summary>True when a high level lights the LED.</summary>
        public bool StatusLedActiveHigh { get; private set; }

        /// <summary>The settings in <paramref name="configRoot"/> (the raw device.json object), defaults for anything missing.</summary>
        /// <param name="configRoot">The parsed device.json, or null.</param>
        public static BoardSettings From(Hashtable configRoot)
        {
            int pin = DefaultLedPin;
            bool activeHigh = true;
            Hashtable board = configRoot == null ? null : configRoot["board"] as Hashtable;
            if (board != null)
            {
                object pinValue = board["statusLedPin"];
                if (pinValue is int)
                {
                    pin = (int)pinValue;
                }
                else if (pinValue is long)
                {
                    pin = (int)(long)pinValue;
                }

                object high = board["statusLedActiveHigh"];
                if (high is bool)
                {
                    activeHigh = (bool)high;
                }
            }

            if (pin < -1 || pin > 48)
            {
                pin = DefaultLedPin;
            }

            return new BoardSettings(pin, activeHigh);
        }
    }
}
