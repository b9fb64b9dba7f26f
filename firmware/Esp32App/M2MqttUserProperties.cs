using System.Collections;
using AliyunIot.Ports;
using nanoFramework.M2Mqtt.Messages;

namespace AliyunIot.Esp32
{
    /// <summary>MQTT 5 user properties in the form M2Mqtt takes (its <c>UserProperty</c>, nothing else).</summary>
    internal static class M2MqttUserProperties
    {
        /// <summary>Adds <paramref name="source"/>'s <see cref="MqttUserProperty"/> items to <paramref name="target"/> as M2Mqtt's own type.</summary>
        internal static void AddTo(ArrayList target, ArrayList source)
        {
            if (target == null || source == null)
            {
                return;
            }

            // M2Mqtt accepts only its own UserProperty type in this list (anything else throws ArgumentException).
            for (int i = 0; i < source.Count; i++)
            {
                MqttUserProperty property = source[i] as MqttUserProperty;
                if (property != null)
                {
                    target.Add(new UserProperty(property.Name, property.Value));
                }
            }
        }
    }
}
