using System;

namespace AliyunIot.Time
{
    /// <summary>
    /// Is the wall clock plausible enough for TLS? Certificate validity checks fail (or, worse, pass for expired
    /// certificates) with a clock still at its power-on value, so the device waits for SNTP until this says yes.
    /// </summary>
    public static class TimeValidity
    {
        /// <summary>Earliest plausible year: this firmware did not exist before 2024.</summary>
        public const int MinimumYear = 2024;

        /// <summary>Latest plausible year (a clock beyond this is corrupt, not early).</summary>
        public const int MaximumYear = 2099;

        /// <summary>True when <paramref name="utc"/> lies in [<see cref="MinimumYear"/>, <see cref="MaximumYear"/>].</summary>
        public static bool IsPlausibleForTls(DateTime utc)
        {
            int year = utc.Year;
            return year >= MinimumYear && year <= MaximumYear;
        }
    }
}
