namespace AliyunIot.Thing
{
    /// <summary>
    /// A service of the thing model: identifier, input and output parameters, whether the cloud may call it
    /// synchronously (RRPC), and the application's handler. Method on the wire: <c>thing.service.{id}</c>.
    /// </summary>
    public sealed class ServiceDefinition
    {
        /// <summary>Creates a service.</summary>
        /// <param name="identifier">TSL identifier.</param>
        /// <param name="sync">true when the TSL declares it synchronous (answered over RRPC); async calls are answered either way.</param>
        public ServiceDefinition(string identifier, bool sync)
        {
            if (!Alink.AlinkTopicClassifier.IsSafeIdentifier(identifier) || identifier == "property")
            {
                throw new System.ArgumentException("service identifier must be 1..64 letters, digits, '_' or ':' and not 'property'");
            }

            Identifier = identifier;
            Sync = sync;
            Inputs = new ParameterList();
            Outputs = new ParameterList();
        }

        /// <summary>TSL identifier.</summary>
        public string Identifier { get; private set; }

        /// <summary>Declared synchronous (documentation of the TSL; both call forms are answered).</summary>
        public bool Sync { get; private set; }

        /// <summary>Input parameters (access is ignored for parameters).</summary>
        public ParameterList Inputs { get; private set; }

        /// <summary>Output parameters.</summary>
        public ParameterList Outputs { get; private set; }

        /// <summary>The application's handler; calls without one are answered 400.</summary>
        public ServiceHandler Handler { get; set; }

        /// <summary>Adds an input parameter; returns this for chaining.</summary>
        public ServiceDefinition AddInput(PropertyDefinition parameter)
        {
            Inputs.Add(parameter);
            return this;
        }

        /// <summary>Adds an output parameter; returns this for chaining.</summary>
        public ServiceDefinition AddOutput(PropertyDefinition parameter)
        {
            Outputs.Add(parameter);
            return this;
        }
    }
}
