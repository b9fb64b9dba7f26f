using AliyunIot.Alink;
using AliyunIot.Json;

namespace AliyunIot.Thing
{
    /// <summary>
    /// One property post being made: the current values of the requested properties, staged by declaration index
    /// (so they go out in declaration order and nothing is looked up twice), written as
    /// <c>thing.event.property.post</c> straight from that array — no <see cref="Reading"/> objects, no list — and
    /// turned into readings only if the post cannot be sent now. The reporter reuses one instance post after post
    /// and takes it out while in use, so the array is not shared across threads and no lock is held while the post
    /// is published. Layout (aliyun-protocol.md §3.3): <c>"params":{"Temp":{"value":21.5,"time":1700000000000}}</c>
    /// once the clock is set, <c>"params":{"Temp":21.5}</c> before.
    /// </summary>
    internal sealed class PropertyPost
    {
        /// <summary>The Alink method.</summary>
        internal const string Method = "thing.event.property.post";

        // index = declaration index in the model; null = not requested or never set.
        private object[] _values;
        private int _count;

        /// <summary>
        /// Stages the current values of <paramref name="identifiers"/> (or of the one <paramref name="single"/> when
        /// identifiers is null). Reuses its array: allocates only when the model has grown.
        /// </summary>
        /// <returns>How many values were staged (properties never set have no value to post).</returns>
        internal int Stage(ThingModel model, string[] identifiers, string single)
        {
            int count = model.PropertyCount;
            if (_values == null || _values.Length < count)
            {
                _values = new object[count];
            }

            _count = count;
            int staged = 0;
            for (int i = 0; i < count; i++)
            {
                PropertyDefinition property = model.GetProperty(i);
                bool wanted = identifiers == null ? property.Identifier == single : Contains(identifiers, property.Identifier);
                object value = wanted ? model.GetValue(property.Identifier) : null;
                _values[i] = value;
                if (value != null)
                {
                    staged++;
                }
            }

            return staged;
        }

        /// <summary>Writes the staged values as one property post.</summary>
        /// <param name="writer">The reporter's request writer (reused buffer, payload limit).</param>
        /// <param name="model">The model the values were staged from.</param>
        /// <param name="id">Message id.</param>
        /// <param name="timeMs">When the values were taken (UTC ms).</param>
        /// <param name="timed">Whether to write <c>{"value":…,"time":…}</c> (false while the clock is not set).</param>
        /// <returns>The UTF-8 payload.</returns>
        /// <exception cref="System.InvalidOperationException">The payload would exceed the writer's byte limit.</exception>
        internal byte[] Write(AlinkRequestWriter writer, ThingModel model, string id, long timeMs, bool timed)
        {
            writer.Begin(id, true);
            JsonWriter json = writer.Json;
            json.BeginObject();
            for (int i = 0; i < _count; i++)
            {
                object value = _values[i];
                if (value == null)
                {
                    continue;
                }

                PropertyDefinition property = model.GetProperty(i);
                json.Name(property.Identifier);
                if (timed)
                {
                    json.BeginObject();
                    json.Name("value");
                    property.Write(json, value);
                    json.Property("time", timeMs);
                    json.EndObject();
                }
                else
                {
                    property.Write(json, value);
                }
            }

            json.EndObject();
            return writer.Finish(Method);
        }

        /// <summary>Keeps the staged values as readings taken at <paramref name="timeMs"/> (the very values written).</summary>
        internal void KeepAsReadings(OfflineHistory history, ThingModel model, long timeMs)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_values[i] != null)
                {
                    history.Keep(new Reading(model.GetProperty(i), _values[i], timeMs));
                }
            }
        }

        /// <summary>Drops the references to staged values so the reused array does not keep old values alive.</summary>
        internal void Clear()
        {
            for (int i = 0; i < _count; i++)
            {
                _values[i] = null;
            }

            _count = 0;
        }

        private static bool Contains(string[] items, string item)
        {
            for (int i = 0; i < items.Length; i++)
            {
                if (items[i] == item)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
