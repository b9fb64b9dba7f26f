namespace AliyunIot.Config
{
    /// <summary>
    /// One supported board class and the budgets its memory allows (docs/board.md has the table and where the
    /// numbers come from). Chosen at provisioning (flash.ps1 writes <c>"profile"</c> into device.json from its
    /// -Target) and enforced at boot by <see cref="BoardBudget"/>: queues, buffers and concurrent TLS sessions a
    /// board cannot hold are refused with the field and the budget named, instead of an OutOfMemoryException later.
    /// </summary>
    public sealed class BoardProfile
    {
        /// <summary>
        /// ESP32 4 MB without PSRAM (WROOM): ~90 KB managed heap, I: 256 KB, one TLS session at a time, no code OTA
        /// (the platform deployed in flash leaves less than the 40 KB the application needs once any OTA tier is
        /// loaded; docs/board.md has the numbers): behaviour changes come through remote config.
        /// </summary>
        public const string Esp32Wroom = "esp32-wroom";

        /// <summary>ESP32 with PSRAM (WROVER): managed heap in PSRAM (MBs), two TLS sessions.</summary>
        public const string Esp32Wrover = "esp32-wrover";

        /// <summary>ESP32-S3 with PSRAM: managed heap in PSRAM (MBs), two TLS sessions.</summary>
        public const string Esp32S3Psram = "esp32s3-psram";

        /// <summary>ESP32-C3 (no PSRAM): ~54 KB managed heap, I: 256 KB, one TLS session, no code OTA.</summary>
        public const string Esp32C3 = "esp32c3";

        /// <summary>The profile names, in table order (for messages and docs).</summary>
        public const string Names = "esp32-wroom, esp32-wrover, esp32s3-psram, esp32c3";

        private BoardProfile(string name, int managedHeapBytes, int configPartitionBytes, int tlsSessions, bool codeOta, int bufferBudgetBytes, int maxPayloadBytes, int defaultMaxPayloadBytes, int defaultQueueBytes, int defaultOtaChunkBytes)
        {
            Name = name;
            ManagedHeapBytes = managedHeapBytes;
            ConfigPartitionBytes = configPartitionBytes;
            TlsSessions = tlsSessions;
            CodeOta = codeOta;
            BufferBudgetBytes = bufferBudgetBytes;
            MaxPayloadBytes = maxPayloadBytes;
            DefaultMaxPayloadBytes = defaultMaxPayloadBytes;
            DefaultQueueBytes = defaultQueueBytes;
            DefaultOtaChunkBytes = defaultOtaChunkBytes;
        }

        /// <summary>The profile's name as written in device.json.</summary>
        public string Name { get; private set; }

        /// <summary>Managed heap of the nanoFramework firmware for this class (approximate; PSRAM boards: the smallest common module).</summary>
        public int ManagedHeapBytes { get; private set; }

        /// <summary>Size of I: (the littlefs <c>config</c> partition) on the smallest common module.</summary>
        public int ConfigPartitionBytes { get; private set; }

        /// <summary>TLS sessions (~33 KB native heap each) that fit at once.</summary>
        public int TlsSessions { get; private set; }

        /// <summary>False when over-the-air code updates are off for this class (behaviour changes come as config).</summary>
        public bool CodeOta { get; private set; }

        /// <summary>
        /// Bytes the message buffers may take together: limits.inboundQueueBytes + limits.offlineQueueBytes +
        /// limits.maxPayloadBytes (the reply and post writers) + ota.chunkSize.
        /// </summary>
        public int BufferBudgetBytes { get; private set; }

        /// <summary>Largest limits.maxPayloadBytes this class accepts.</summary>
        public int MaxPayloadBytes { get; private set; }

        /// <summary>limits.maxPayloadBytes when device.json does not set it.</summary>
        public int DefaultMaxPayloadBytes { get; private set; }

        /// <summary>limits.inboundQueueBytes and limits.offlineQueueBytes when device.json does not set them.</summary>
        public int DefaultQueueBytes { get; private set; }

        /// <summary>ota.chunkSize when device.json does not set it.</summary>
        public int DefaultOtaChunkBytes { get; private set; }

        /// <summary>True when an OTA download (HTTPS) must close the MQTT session first: two TLS sessions do not fit.</summary>
        public bool ClosesMqttDuringDownload
        {
            get { return TlsSessions < 2; }
        }

        /// <summary>The profile named <paramref name="name"/>, or null when there is none by that name.</summary>
        public static BoardProfile Find(string name)
        {
            // Budgets: what is left of the managed heap at the application's entry (docs/board.md), minus room
            // for the application's own objects, shared between the queues, the writers and the OTA chunk.
            if (name == Esp32Wroom)
            {
                return new BoardProfile(name, 90 * 1024, 256 * 1024, 1, false, 24 * 1024, 8192, 4096, 8192, 4096);
            }

            if (name == Esp32Wrover)
            {
                return new BoardProfile(name, 4 * 1024 * 1024, 256 * 1024, 2, true, 1024 * 1024, DeviceLimits.PlatformMaxPayloadBytes, DeviceLimits.DefaultMaxPayloadBytes, 65536, 16384);
            }

            if (name == Esp32S3Psram)
            {
                return new BoardProfile(name, 2 * 1024 * 1024, 2 * 1024 * 1024, 2, true, 1024 * 1024, DeviceLimits.PlatformMaxPayloadBytes, DeviceLimits.DefaultMaxPayloadBytes, 65536, 16384);
            }

            if (name == Esp32C3)
            {
                return new BoardProfile(name, 54 * 1024, 256 * 1024, 1, false, 8 * 1024, 2048, 2048, 2048, 1024);
            }

            return null;
        }
    }
}
