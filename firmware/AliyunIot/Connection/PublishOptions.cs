using System;
using System.Collections;

namespace AliyunIot.Connection
{
    /// <summary>Optional extras for one publish (MQTT 5 properties, retain, delivery notification).</summary>
    public sealed class PublishOptions
    {
        /// <summary>The platform processes at most this many user properties (aliyun-protocol.md §6).</summary>
        public const int MaxUserProperties = 20;

        /// <summary>Retain flag (MQTT 5 only on the platform; 3.1.1 has no retained messages).</summary>
        public bool Retain;

        /// <summary><see cref="AliyunIot.Ports.MqttUserProperty"/> items (MQTT 5), or null.</summary>
        public ArrayList UserProperties;

        /// <summary>Anything the caller wants back in <see cref="Delivered"/> (e.g. a request id).</summary>
        public object Token;

        /// <summary>Called once when a QoS 1 message is acknowledged, refused or dropped; null for no notification.</summary>
        public DeliveryHandler Delivered;

        /// <summary>
        /// Refuses what no publisher may ask for, whatever the connection: a null topic or payload, a QoS other than
        /// 0 and 1 (the platform supports no other), more user properties than the platform processes.
        /// </summary>
        internal static void CheckArguments(string topic, byte[] payload, int qos, PublishOptions options)
        {
            if (topic == null)
            {
                throw new ArgumentNullException("topic");
            }

            if (payload == null)
            {
                throw new ArgumentNullException("payload");
            }

            if (qos != 0 && qos != 1)
            {
                throw new ArgumentOutOfRangeException("qos", "the platform supports QoS 0 and 1 only");
            }

            if (options != null && options.UserProperties != null && options.UserProperties.Count > MaxUserProperties)
            {
                throw new ArgumentOutOfRangeException("options", "at most 20 user properties");
            }
        }
    }
}
