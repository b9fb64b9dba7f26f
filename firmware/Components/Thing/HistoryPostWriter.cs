using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Json;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Writes the platform's history post (<c>thing.event.property.history.post</c> on
    /// <c>/sys/{pk}/{dn}/thing/event/property/history/post</c>) for readings taken while offline, keeping each
    /// reading's own timestamp. Layout from the Alink protocol page "Device properties, events, and services",
    /// section "Report the historical data of a TSL model" (https://help.aliyun.com/document_detail/89301.html,
    /// English: https://www.alibabacloud.com/help/en/iot/user-guide/device-properties-events-and-services):
    /// <code>
    /// "params":[{"identity":{"productKey":"..","deviceName":".."},
    ///            "properties":[{"Power":{"value":"on","time":1524448722000},"WF":{..}}, {..}],
    ///            "events":[{"alarmEvent":{"value":{"Power":"on"},"time":1524448722000}}]}]
    /// </code>
    /// <c>identity</c> is required (a directly connected device may report only its own data), and
    /// <c>properties</c>/<c>events</c> are arrays of objects keyed by identifier, so one object cannot hold the same
    /// identifier twice: readings are grouped, in the order taken, into one object per run of distinct identifiers
    /// that share one timestamp (what one <see cref="ThingReporter.PostProperties"/> call produced).
    /// Not thread-safe: the reporter calls it under its lock.
    /// </summary>
    public sealed class HistoryPostWriter
    {
        /// <summary>The Alink method.</summary>
        public const string Method = "thing.event.property.history.post";

        /// <summary>
        /// Most readings (property values + events) in one history post. The platform documents no count for the
        /// history post itself; it refuses a property map of 200 or more entries with 6106 "map size must less than
        /// 200" (same page, property post), so a message stays below that.
        /// </summary>
        public const int MaxReadings = 199;

        private readonly AlinkRequestWriter _writer;
        private readonly string _productKey;
        private readonly string _deviceName;

        /// <summary>Creates a writer for one device.</summary>
        /// <param name="productKey">The device's ProductKey (written in <c>identity</c>).</param>
        /// <param name="deviceName">The device's DeviceName (written in <c>identity</c>).</param>
        /// <param name="writer">The reporter's request writer (reused buffer, payload limit).</param>
        public HistoryPostWriter(string productKey, string deviceName, AlinkRequestWriter writer)
        {
            _productKey = productKey;
            _deviceName = deviceName;
            _writer = writer;
        }

        /// <summary>Writes the <paramref name="count"/> oldest readings of <paramref name="buffer"/> as one history post.</summary>
        /// <param name="id">Message id.</param>
        /// <param name="buffer">Readings, oldest first.</param>
        /// <param name="count">How many to write (1 to <see cref="MaxReadings"/>).</param>
        /// <returns>The UTF-8 payload.</returns>
        /// <exception cref="System.InvalidOperationException">The payload would exceed the writer's byte limit.</exception>
        public byte[] Write(string id, ReadingBuffer buffer, int count)
        {
            _writer.Begin(id, true);
            JsonWriter json = _writer.Json;
            json.BeginArray();
            json.BeginObject();
            json.Name("identity");
            json.BeginObject();
            json.Property("productKey", _productKey);
            json.Property("deviceName", _deviceName);
            json.EndObject();
            json.Name("properties");
            WriteGroups(json, buffer, count, true);
            json.Name("events");
            WriteGroups(json, buffer, count, false);
            json.EndObject();
            json.EndArray();
            return _writer.Finish(Method);
        }

        // One JSON array of objects; a new object starts when the time changes or the identifier is already in it.
        private static void WriteGroups(JsonWriter json, ReadingBuffer buffer, int count, bool properties)
        {
            json.BeginArray();
            int groupStart = -1;
            long groupTime = 0;
            for (int i = 0; i < count; i++)
            {
                Reading reading = buffer.Get(i);
                if ((reading.Property != null) != properties)
                {
                    continue;
                }

                string identifier = properties ? reading.Property.Identifier : reading.Event.Identifier;
                if (groupStart < 0 || reading.TimeMs != groupTime || InGroup(buffer, groupStart, i, identifier, properties))
                {
                    if (groupStart >= 0)
                    {
                        json.EndObject();
                    }

                    json.BeginObject();
                    groupStart = i;
                    groupTime = reading.TimeMs;
                }

                json.Name(identifier);
                json.BeginObject();
                json.Name("value");
                if (properties)
                {
                    reading.Property.Write(json, reading.Value);
                }
                else
                {
                    reading.Event.Outputs.WriteObject(json, (Hashtable)reading.Value);
                }

                json.Property("time", reading.TimeMs);
                json.EndObject();
            }

            if (groupStart >= 0)
            {
                json.EndObject();
            }

            json.EndArray();
        }

        private static bool InGroup(ReadingBuffer buffer, int from, int to, string identifier, bool properties)
        {
            for (int i = from; i < to; i++)
            {
                Reading reading = buffer.Get(i);
                if (properties && reading.Property != null && reading.Property.Identifier == identifier)
                {
                    return true;
                }

                if (!properties && reading.Event != null && reading.Event.Identifier == identifier)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
