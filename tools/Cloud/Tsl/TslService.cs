namespace AliyunIot.Cloud.Tsl
{
    /// <summary>A service (async or sync) or an event of a thing model.</summary>
    public sealed class TslService
    {
        /// <summary>Creates a service or event.</summary>
        public TslService(string identifier, bool synchronous, IReadOnlyList<TslParameter> input, IReadOnlyList<TslParameter> output)
        {
            Identifier = identifier;
            Synchronous = synchronous;
            Input = input;
            Output = output;
        }

        /// <summary>Identifier as it appears in topics and methods.</summary>
        public string Identifier { get; }

        /// <summary>True for callType "sync" (delivered over RRPC).</summary>
        public bool Synchronous { get; }

        /// <summary>Input parameters (empty for events).</summary>
        public IReadOnlyList<TslParameter> Input { get; }

        /// <summary>Output parameters (event data, service results).</summary>
        public IReadOnlyList<TslParameter> Output { get; }
    }
}
