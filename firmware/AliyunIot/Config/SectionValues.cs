using System.Collections;
using AliyunIot.Json;

namespace AliyunIot.Config
{
    /// <summary>Reads the optional integer fields of a component's device.json section, naming the field in every refusal.</summary>
    public static class SectionValues
    {
        /// <summary>
        /// <paramref name="section"/>.<paramref name="name"/> as an int from <paramref name="min"/> to <paramref name="max"/>,
        /// or <paramref name="fallback"/> when absent.
        /// </summary>
        /// <exception cref="ConfigException">Present but not an integer in range; the field is <c>sectionName.name</c>.</exception>
        public static int Int(Hashtable section, string sectionName, string name, int fallback, int min, int max)
        {
            object value = JsonValues.Get(section, name);
            if (value == null)
            {
                return fallback;
            }

            long number;
            if (!JsonValues.TryToLong(value, out number) || number < min || number > max)
            {
                throw new ConfigException(sectionName + "." + name, "must be an integer from " + min.ToString() + " to " + max.ToString());
            }

            return (int)number;
        }
    }
}
