using System;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Thrown by an application handler to answer a set or service call with its own code — normally one of the
    /// device-defined range 100000…110000, or 400/429/460 — and a message that is sent to the cloud as is.
    /// </summary>
    public sealed class ThingHandlerException : Exception
    {
        /// <summary>Creates the error.</summary>
        /// <param name="code">Reply code.</param>
        /// <param name="message">Reply message (goes to the cloud; no secrets).</param>
        public ThingHandlerException(int code, string message)
            : base(message)
        {
            Code = code;
        }

        /// <summary>Reply code.</summary>
        public int Code { get; private set; }
    }
}
