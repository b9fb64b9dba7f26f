using System;

namespace OtaPartition
{
    /// <summary>An OTA image is damaged or does not match its header; nothing of it may be loaded.</summary>
    public class OtaImageException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public OtaImageException(string message)
            : base(message)
        {
        }
    }
}
