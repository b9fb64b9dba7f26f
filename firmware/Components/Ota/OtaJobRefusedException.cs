using System;

namespace AliyunIot.Ota
{
    /// <summary>A job that is refused before any download; <see cref="Step"/> and the message go to the platform.</summary>
    public sealed class OtaJobRefusedException : Exception
    {
        /// <summary>Creates the refusal.</summary>
        /// <param name="step">Progress step to report: -1 upgrade failed, -2 download failed, -3 verify failed, -4 write failed.</param>
        /// <param name="desc">Reason for the platform's <c>desc</c> (no secrets, no URL query).</param>
        public OtaJobRefusedException(int step, string desc)
            : base(desc)
        {
            Step = step;
        }

        /// <summary>Progress step reported for the refusal.</summary>
        public int Step { get; private set; }
    }
}
