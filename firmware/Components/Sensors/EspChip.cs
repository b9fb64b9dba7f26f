using AliyunIot.Alink;

namespace AliyunIot.Sensors
{
    /// <summary>
    /// The pin and ADC rules of one ESP32 family member, as nanoFramework's ESP32 firmware maps them
    /// (nf-interpreter targets/ESP32: the logical ADC channel numbers of System.Device.Adc, Esp32_ADC_DevicePinMap,
    /// and the ESP-IDF 5 drivers it is built on). The sensor parser checks device.json against the chip the firmware
    /// reports (<see cref="FromTargetName"/>), so a channel that does not exist, or cannot be read with WiFi on,
    /// is refused at boot with the field named instead of failing when it is first read.
    /// </summary>
    /// <remarks>
    /// Each access builds a new instance instead of keeping three static ones: nanoCLR runs every static constructor at
    /// boot and keeps what it allocates for the whole run (~660 B for three chips' objects, pin tables and strings,
    /// docs/board.md), while the sensor parser needs one chip, once, at boot.
    /// </remarks>
    public sealed class EspChip
    {
        /// <summary>The classic ESP32 (WROOM/WROVER).</summary>
        public static EspChip Esp32
        {
            get
            {
                return new EspChip(
                    "ESP32",
                    39,
                    new int[] { 36, 37, 38, 39, 32, 33, 34, 35, -1, -1, 4, 0, 2, 15, 13, 12, 14, 27, 25, 26 },
                    10,
                    "GPIO 6-11 belong to the flash chip",
                    6,
                    11);
            }
        }

        /// <summary>ESP32-S3.</summary>
        public static EspChip Esp32S3
        {
            get
            {
                return new EspChip(
                    "ESP32-S3",
                    48,
                    new int[] { 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 },
                    10,
                    "GPIO 26-32 belong to the flash and PSRAM chips",
                    26,
                    32);
            }
        }

        /// <summary>ESP32-C3.</summary>
        public static EspChip Esp32C3
        {
            get
            {
                return new EspChip(
                    "ESP32-C3",
                    21,
                    new int[] { 0, 1, 2, 3, 4, 5 },
                    5,
                    "GPIO 12-17 belong to the flash chip",
                    12,
                    17);
            }
        }

        private readonly int[] _channelGpio;
        private readonly int _firstAdc2Channel;
        private readonly string _flashPinsText;
        private readonly int _flashFirst;
        private readonly int _flashLast;

        private EspChip(string name, int maxGpio, int[] channelGpio, int firstAdc2Channel, string flashPinsText, int flashFirst, int flashLast)
        {
            Name = name;
            MaxGpio = maxGpio;
            _channelGpio = channelGpio;
            _firstAdc2Channel = firstAdc2Channel;
            _flashPinsText = flashPinsText;
            _flashFirst = flashFirst;
            _flashLast = flashLast;
        }

        /// <summary>The chip's name for messages.</summary>
        public string Name { get; private set; }

        /// <summary>Highest GPIO number.</summary>
        public int MaxGpio { get; private set; }

        /// <summary>Logical ADC channels System.Device.Adc numbers on this chip (0..count-1).</summary>
        public int AdcChannelCount
        {
            get { return _channelGpio.Length; }
        }

        /// <summary>
        /// The chip the firmware target runs on (nanoFramework's <c>SystemInfo.TargetName</c>: ESP32_REV3,
        /// ESP32_PSRAM_REV0, ESP32_S3_QUAD, ESP32_C3, ...); the classic ESP32 for anything else.
        /// </summary>
        public static EspChip FromTargetName(string targetName)
        {
            if (targetName != null)
            {
                if (OrdinalText.StartsWith(targetName, "ESP32_S3"))
                {
                    return Esp32S3;
                }

                if (OrdinalText.StartsWith(targetName, "ESP32_C3"))
                {
                    return Esp32C3;
                }
            }

            return Esp32;
        }

        /// <summary>The GPIO behind a logical ADC channel, or -1 for none.</summary>
        public int AdcGpio(int channel)
        {
            return channel < 0 || channel >= _channelGpio.Length ? -1 : _channelGpio[channel];
        }

        /// <summary>Why <paramref name="channel"/> cannot be used, or null when it can.</summary>
        /// <param name="channel">Logical channel, already within 0..<see cref="AdcChannelCount"/>-1.</param>
        /// <param name="wifiInUse">True when the device joins WiFi, whose driver owns ADC2.</param>
        public string AdcRefusal(int channel, bool wifiInUse)
        {
            if (_channelGpio[channel] < 0)
            {
                // ESP32: 8/9 were the internal temperature and Hall sensors (the Hall sensor is gone in ESP-IDF 5);
                // ESP32-S3: the firmware configures only ADC1 channels 0-7.
                return "channel " + channel.ToString() + " cannot be read on the " + Name + " with this firmware (ESP-IDF 5); use " + Adc1Text();
            }

            if (channel >= _firstAdc2Channel && wifiInUse)
            {
                int last = _channelGpio.Length - 1;
                string range = _firstAdc2Channel == last ? last.ToString() : _firstAdc2Channel.ToString() + "-" + last.ToString();
                return "ADC2 channels (" + range + ") cannot be read while WiFi is on; use " + Adc1Text();
            }

            return null;
        }

        /// <summary>Why GPIO <paramref name="pin"/> cannot be used this way, or null when it can.</summary>
        public string PinRefusal(int pin, bool output)
        {
            if (pin >= _flashFirst && pin <= _flashLast)
            {
                return _flashPinsText;
            }

            if (Name == "ESP32")
            {
                if (pin == 20 || pin == 24 || (pin >= 28 && pin <= 31))
                {
                    return "GPIO " + pin.ToString() + " does not exist on the ESP32";
                }

                if (output && pin >= 34)
                {
                    return "GPIO 34-39 are input-only";
                }
            }
            else if (Name == "ESP32-S3" && pin >= 22 && pin <= 25)
            {
                return "GPIO " + pin.ToString() + " does not exist on the ESP32-S3";
            }

            return null;
        }

        private string Adc1Text()
        {
            string text = "an ADC1 channel (";
            bool first = true;
            for (int i = 0; i < _firstAdc2Channel; i++)
            {
                if (_channelGpio[i] < 0)
                {
                    continue;
                }

                text = text + (first ? string.Empty : ", ") + i.ToString() + " = GPIO " + _channelGpio[i].ToString();
                first = false;
            }

            return text + ")";
        }
    }
}
