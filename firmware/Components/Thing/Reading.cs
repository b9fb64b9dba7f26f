namespace AliyunIot.Thing
{
    /// <summary>One property value or event taken at a known time and not yet delivered (kept for a history post).</summary>
    public sealed class Reading
    {
        /// <summary>A property reading.</summary>
        public Reading(PropertyDefinition property, object value, long timeMs)
        {
            Property = property;
            Value = value;
            TimeMs = timeMs;
        }

        /// <summary>An event occurrence.</summary>
        public Reading(EventDefinition occurred, System.Collections.Hashtable outputs, long timeMs)
        {
            Event = occurred;
            Value = outputs;
            TimeMs = timeMs;
        }

        /// <summary>The property, or null for an event.</summary>
        public PropertyDefinition Property { get; private set; }

        /// <summary>The event, or null for a property.</summary>
        public EventDefinition Event { get; private set; }

        /// <summary>Validated value (property) or validated outputs Hashtable (event).</summary>
        public object Value { get; private set; }

        /// <summary>UTC milliseconds when taken.</summary>
        public long TimeMs { get; private set; }
    }
}
