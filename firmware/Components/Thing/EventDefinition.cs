namespace AliyunIot.Thing
{
    /// <summary>
    /// An event of the thing model: identifier and output parameters. Posted on
    /// <c>/sys/{pk}/{dn}/thing/event/{id}/post</c> with method <c>thing.event.{id}.post</c>.
    /// </summary>
    public sealed class EventDefinition
    {
        /// <summary>Creates an event.</summary>
        public EventDefinition(string identifier)
        {
            if (!Alink.AlinkTopicClassifier.IsSafeIdentifier(identifier) || identifier == "property")
            {
                throw new System.ArgumentException("event identifier must be 1..64 letters, digits, '_' or ':' and not 'property'");
            }

            Identifier = identifier;
            Outputs = new ParameterList();
        }

        /// <summary>TSL identifier.</summary>
        public string Identifier { get; private set; }

        /// <summary>Output parameters (the event's data).</summary>
        public ParameterList Outputs { get; private set; }

        /// <summary>Adds an output parameter; returns this for chaining.</summary>
        public EventDefinition AddOutput(PropertyDefinition parameter)
        {
            Outputs.Add(parameter);
            return this;
        }
    }
}
