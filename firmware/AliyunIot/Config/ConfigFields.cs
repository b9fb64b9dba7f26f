using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.Config
{
    /// <summary>
    /// How a device.json field is read: absent gives the default, the wrong type or range stops the parse with a
    /// <see cref="ConfigException"/> naming the field (never quoting a secret); warnings are kept and logged.
    /// </summary>
    internal static class ConfigFields
    {
        /// <summary><paramref name="key"/> as a string; refused with <paramref name="missingMessage"/> when absent.</summary>
        internal static string RequiredString(Hashtable table, string key, string field, string missingMessage)
        {
            object value = table[key];
            if (value == null)
            {
                throw new ConfigException(field, missingMessage);
            }

            string text = value as string;
            if (text == null)
            {
                throw new ConfigException(field, "must be a string");
            }

            return text;
        }

        /// <summary><paramref name="key"/> as a string, or null when absent; refused with <paramref name="message"/> when not a string.</summary>
        internal static string OptionalString(Hashtable table, string key, string field, string message)
        {
            object value = table[key];
            if (value == null)
            {
                return null;
            }

            string text = value as string;
            if (text == null)
            {
                throw new ConfigException(field, message);
            }

            return text;
        }

        /// <summary><paramref name="key"/> as a secret of 1-128 characters, or null when absent.</summary>
        // A secret's value is never part of a message, whatever is wrong with it.
        internal static string OptionalSecret(Hashtable table, string key)
        {
            object value = table[key];
            if (value == null)
            {
                return null;
            }

            string text = value as string;
            if (text == null || text.Length == 0 || text.Length > 128)
            {
                throw new ConfigException(key, "must be a string of 1-128 characters");
            }

            return text;
        }

        /// <summary><paramref name="key"/> as true or false, or <paramref name="defaultValue"/> when absent.</summary>
        internal static bool OptionalBool(Hashtable table, string key, string field, bool defaultValue)
        {
            object value = table[key];
            if (value == null)
            {
                return defaultValue;
            }

            if (!(value is bool))
            {
                throw new ConfigException(field, "must be true or false");
            }

            return (bool)value;
        }

        /// <summary><paramref name="key"/> as an integer from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="defaultValue"/> when absent.</summary>
        internal static int OptionalInt(Hashtable table, string key, string field, int min, int max, int defaultValue, string message)
        {
            object value = table[key];
            if (value == null)
            {
                return defaultValue;
            }

            long number;
            if (value is int)
            {
                number = (int)value;
            }
            else if (value is long)
            {
                number = (long)value;
            }
            else
            {
                throw new ConfigException(field, message);
            }

            if (number < min || number > max)
            {
                throw new ConfigException(field, message);
            }

            return (int)number;
        }

        /// <summary>Keeps a warning with the config (the caller shows them) and logs it when there is a log.</summary>
        internal static void Warn(DeviceConfig config, ILog log, string warning)
        {
            config.Warnings.Add(warning);
            if (log != null)
            {
                log.Write(LogLevel.Warning, "config", warning);
            }
        }
    }
}
