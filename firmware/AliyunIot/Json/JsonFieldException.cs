using System;

namespace AliyunIot.Json
{
    /// <summary>
    /// A field of a parsed JSON document is missing or has the wrong type or value. The message names the field
    /// and what was expected ("field params.Temp: expected number"); it never repeats the offending value, so a
    /// hostile or secret value cannot leak into a log through it.
    /// </summary>
    public sealed class JsonFieldException : Exception
    {
        /// <summary>Creates the error.</summary>
        /// <param name="field">Path of the field, e.g. "id" or "params.Temp".</param>
        /// <param name="expected">What the field must be, e.g. "expected number".</param>
        public JsonFieldException(string field, string expected)
            : base("field " + field + ": " + expected)
        {
            Field = field;
            Expected = expected;
        }

        /// <summary>Path of the offending field.</summary>
        public string Field { get; private set; }

        /// <summary>What the field must be.</summary>
        public string Expected { get; private set; }
    }
}
