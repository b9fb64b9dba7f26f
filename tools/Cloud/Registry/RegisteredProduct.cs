namespace AliyunIot.Cloud.Registry
{
    /// <summary>A product known to the local cloud: its key, its secret (dynamic registration) and its thing model.</summary>
    public sealed class RegisteredProduct
    {
        /// <summary>ProductKey.</summary>
        public string ProductKey { get; set; }

        /// <summary>ProductSecret for dynamic registration. Secret: never logged.</summary>
        public string ProductSecret { get; set; }

        /// <summary>
        /// The console's per-product switch for dynamic registration without pre-registration (regnwl): any device
        /// name of the product may then obtain clientId + deviceToken (aliyun-protocol.md §2.1).
        /// </summary>
        public bool RegistrationWithoutPreRegistration { get; set; }

        /// <summary>The product's TSL document (JSON text).</summary>
        public string ThingModelJson { get; set; }
    }
}
