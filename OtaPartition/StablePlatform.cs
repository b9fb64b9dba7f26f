namespace OtaPartition
{
    /// <summary>
    /// Identity of the stable platform (what flash.ps1 deploys: loader, OtaPartition, the ports and framework
    /// libraries). An OTA image records the platform version it was built against (<c>otapack --platform</c>, default
    /// this value) and the agent refuses an image built for another one before downloading it.
    /// </summary>
    public static class StablePlatform
    {
        /// <summary>
        /// Version of the deployed platform. A static field, not a constant: an image compiled against another
        /// OtaPartition reads the value of the one deployed on the board, not its own copy.
        /// </summary>
        public static readonly string Version = "1";

        /// <summary>File on I:\ with the public key OTA images must be signed with (PEM; written by flash.ps1 only).</summary>
        public static readonly string SigningKeyFile = "ota-signing.pem";
    }
}
