using System;

namespace AliyunIot.RemoteConfig
{
    /// <summary>A config offer or file this device will not apply; <see cref="Code"/> is the Alink reply code.</summary>
    public sealed class RemoteConfigRefusedException : Exception
    {
        /// <summary>Creates the refusal.</summary>
        /// <param name="code">Reply code for a push (460 parameter error, 400 processing error).</param>
        /// <param name="message">Why, without secrets (URLs are given without their query).</param>
        public RemoteConfigRefusedException(int code, string message)
            : base(message)
        {
            Code = code;
        }

        /// <summary>The Alink reply code to answer a push with.</summary>
        public int Code { get; private set; }
    }
}
