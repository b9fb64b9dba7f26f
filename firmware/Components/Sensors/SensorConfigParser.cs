using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Sensors
{
    /// <summary>
    /// Reads device.json <c>sensors</c> (the raw array kept by DeviceConfig) into validated
    /// <see cref="SensorDefinition"/>s. Every mistake is a <see cref="ConfigException"/> naming the field
    /// (<c>sensors[2].channel</c>) and what is allowed. The pin and ADC rules are the chip's (<see cref="EspChip"/>:
    /// ESP32, ESP32-S3 and ESP32-C3 differ): GPIOs that exist and are not the flash pins, outputs not on input-only
    /// pins, ADC channels the firmware can read, ADC2 channels refused while WiFi is used (the WiFi driver owns ADC2),
    /// and no pin used twice (ADC channels count as their GPIO). Format: docs/sensors.md.
    /// </summary>
    public static class SensorConfigParser
    {
        /// <summary>Parses the array for the classic ESP32; null or empty gives no sensors.</summary>
        /// <param name="sensors">DeviceConfig's raw <c>sensors</c> array.</param>
        /// <param name="wifiInUse">true when the device joins WiFi (then ADC2 channels are refused).</param>
        /// <exception cref="ConfigException">A field is missing or invalid.</exception>
        public static SensorDefinition[] Parse(ArrayList sensors, bool wifiInUse)
        {
            return Parse(sensors, wifiInUse, EspChip.Esp32);
        }

        /// <summary>Parses the array with the rules of <paramref name="chip"/>; null or empty gives no sensors.</summary>
        /// <param name="sensors">DeviceConfig's raw <c>sensors</c> array.</param>
        /// <param name="wifiInUse">true when the device joins WiFi (then ADC2 channels are refused).</param>
        /// <param name="chip">The chip the firmware runs on (<see cref="EspChip.FromTargetName"/>).</param>
        /// <exception cref="ConfigException">A field is missing or invalid.</exception>
        public static SensorDefinition[] Parse(ArrayList sensors, bool wifiInUse, EspChip chip)
        {
            if (sensors == null)
            {
                return new SensorDefinition[0];
            }

            SensorDefinition[] result = new SensorDefinition[sensors.Count];
            ArrayList usedPins = new ArrayList();
            ArrayList usedProperties = new ArrayList();
            for (int i = 0; i < sensors.Count; i++)
            {
                string path = "sensors[" + i.ToString() + "]";
                Hashtable entry = sensors[i] as Hashtable;
                if (entry == null)
                {
                    throw new ConfigException(path, "expected an object");
                }

                SensorDefinition sensor = new SensorDefinition();
                string type = ReadString(entry, path, "type", null);
                if (type == "digitalInput")
                {
                    sensor.Kind = SensorKind.DigitalInput;
                    sensor.Pin = ReadPin(entry, path, false, chip);
                    sensor.Pull = ReadPull(entry, path);
                    sensor.DebounceMs = (int)ReadNumber(entry, path, "debounceMs", 50, 0, 10000, true);
                    sensor.Invert = ReadBool(entry, path, "invert", false);
                    sensor.EventId = ReadString(entry, path, "event", "");
                    if (sensor.EventId.Length == 0)
                    {
                        sensor.EventId = null;
                    }
                    else if (!AlinkTopicClassifier.IsSafeIdentifier(sensor.EventId) || sensor.EventId == "property")
                    {
                        throw new ConfigException(path + ".event", "must be an event identifier: letters, digits, '_' or ':' (up to 64)");
                    }

                    Claim(usedPins, sensor.Pin, path + ".pin");
                }
                else if (type == "digitalOutput")
                {
                    sensor.Kind = SensorKind.DigitalOutput;
                    sensor.Pin = ReadPin(entry, path, true, chip);
                    sensor.Initial = ReadBool(entry, path, "initial", false);
                    Claim(usedPins, sensor.Pin, path + ".pin");
                }
                else if (type == "adc")
                {
                    sensor.Kind = SensorKind.Adc;
                    sensor.Channel = (int)ReadNumber(entry, path, "channel", -1, 0, chip.AdcChannelCount - 1, true);
                    string refusal = chip.AdcRefusal(sensor.Channel, wifiInUse);
                    if (refusal != null)
                    {
                        throw new ConfigException(path + ".channel", refusal);
                    }

                    sensor.Scale = ReadNumber(entry, path, "scale", 1, -1000000, 1000000, false);
                    sensor.Offset = ReadNumber(entry, path, "offset", 0, -1000000, 1000000, false);
                    sensor.PeriodMs = (int)ReadNumber(entry, path, "periodMs", 1000, 100, 3600000, true);
                    sensor.Deadband = ReadNumber(entry, path, "deadband", 0, 0, 1000000, false);
                    sensor.Decimals = (int)ReadNumber(entry, path, "decimals", 2, 0, 6, true);
                    sensor.Min = ReadNumber(entry, path, "min", -1000000, -1000000, 1000000, false);
                    sensor.Max = ReadNumber(entry, path, "max", 1000000, -1000000, 1000000, false);
                    if (sensor.Min > sensor.Max)
                    {
                        throw new ConfigException(path + ".min", "must not be above max");
                    }

                    Claim(usedPins, chip.AdcGpio(sensor.Channel), path + ".channel");
                }
                else
                {
                    throw new ConfigException(path + ".type", type == null ? "missing; one of digitalInput, digitalOutput, adc" : "must be one of digitalInput, digitalOutput, adc");
                }

                sensor.Property = ReadString(entry, path, "property", null);
                if (sensor.Property == null || !AlinkTopicClassifier.IsSafeIdentifier(sensor.Property))
                {
                    throw new ConfigException(path + ".property", "must be a property identifier: letters, digits, '_' or ':' (up to 64)");
                }

                if (usedProperties.Contains(sensor.Property))
                {
                    throw new ConfigException(path + ".property", "used by another sensor");
                }

                usedProperties.Add(sensor.Property);
                result[i] = sensor;
            }

            return result;
        }

        private static void Claim(ArrayList usedPins, int gpio, string field)
        {
            if (usedPins.Contains(gpio))
            {
                throw new ConfigException(field, "GPIO " + gpio.ToString() + " is used by another sensor");
            }

            usedPins.Add(gpio);
        }

        private static int ReadPin(Hashtable entry, string path, bool output, EspChip chip)
        {
            int pin = (int)ReadNumber(entry, path, "pin", -1, 0, chip.MaxGpio, true);
            string refusal = chip.PinRefusal(pin, output);
            if (refusal != null)
            {
                throw new ConfigException(path + ".pin", refusal);
            }

            return pin;
        }

        private static PinPull ReadPull(Hashtable entry, string path)
        {
            string pull = ReadString(entry, path, "pull", "none");
            if (pull == "up")
            {
                return PinPull.Up;
            }

            if (pull == "down")
            {
                return PinPull.Down;
            }

            if (pull == "none")
            {
                return PinPull.None;
            }

            throw new ConfigException(path + ".pull", "must be up, down or none");
        }

        private static string ReadString(Hashtable entry, string path, string name, string fallback)
        {
            object value = JsonValues.Get(entry, name);
            if (value == null)
            {
                return fallback;
            }

            string text = value as string;
            if (text == null)
            {
                throw new ConfigException(path + "." + name, "expected a string");
            }

            return text;
        }

        private static bool ReadBool(Hashtable entry, string path, string name, bool fallback)
        {
            object value = JsonValues.Get(entry, name);
            if (value == null)
            {
                return fallback;
            }

            if (value is bool)
            {
                return (bool)value;
            }

            throw new ConfigException(path + "." + name, "expected true or false");
        }

        /// <summary>A number in [min, max]; fallback when absent (fallback -1 with min 0 means required).</summary>
        private static double ReadNumber(Hashtable entry, string path, string name, double fallback, double min, double max, bool integer)
        {
            object value = JsonValues.Get(entry, name);
            string field = path + "." + name;
            if (value == null)
            {
                if (fallback < min)
                {
                    throw new ConfigException(field, "missing");
                }

                return fallback;
            }

            double number;
            if (integer)
            {
                long whole;
                if (!JsonValues.TryToLong(value, out whole))
                {
                    throw new ConfigException(field, "expected an integer");
                }

                number = whole;
            }
            else if (!JsonValues.TryToDouble(value, out number))
            {
                throw new ConfigException(field, "expected a number");
            }

            if (number < min || number > max)
            {
                throw new ConfigException(field, "must be " + min.ToString() + ".." + max.ToString());
            }

            return number;
        }
    }
}
