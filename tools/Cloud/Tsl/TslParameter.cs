namespace AliyunIot.Cloud.Tsl
{
    /// <summary>One property, event output or service parameter of a thing model.</summary>
    public sealed class TslParameter
    {
        /// <summary>Creates a parameter.</summary>
        public TslParameter(string identifier, TslDataType dataType, bool writable)
        {
            Identifier = identifier;
            DataType = dataType;
            Writable = writable;
        }

        /// <summary>Identifier as it appears on the wire.</summary>
        public string Identifier { get; }

        /// <summary>Type and specs.</summary>
        public TslDataType DataType { get; }

        /// <summary>True for read-write properties (accessMode "rw"); parameters are always writable.</summary>
        public bool Writable { get; }
    }
}
