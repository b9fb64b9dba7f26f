using System;

namespace AliyunIot.Config
{
    /// <summary>
    /// A device.json field is missing or invalid. The message names the field and the allowed values, and never
    /// contains the value of a secret field.
    /// </summary>
    public sealed class ConfigException : Exception
    {
        /// <summary>Creates the error.</summary>
        /// <param name="field">JSON path of the field, e.g. "endpoint.port" or "sensors[2].pin".</param>
        /// <param name="message">What is wrong and what is allowed, without secret values.</param>
        public ConfigException(string field, string message)
            : base(field + ": " + message)
        {
            Field = field;
        }

        /// <summary>JSON path of the offending field.</summary>
        public string Field { get; private set; }
    }
}
