namespace AliyunIot.TestBroker
{
    /// <summary>
    /// What a long-lived user of the broker (the local cloud) fixes instead of the per-test defaults: ports, CA and
    /// the folder for the broker's files, so devices configured once keep working across restarts.
    /// </summary>
    public sealed class TestBrokerOptions
    {
        /// <summary>TLS listener port; 0 for a free one.</summary>
        public int TlsPort { get; init; }

        /// <summary>Plain listener port; 0 for a free one.</summary>
        public int PlainPort { get; init; }

        /// <summary>The CA that issues the broker's certificate (owned by the broker from then on); null for a new one.</summary>
        public TestCa Ca { get; init; }

        /// <summary>
        /// Folder for config, certificates, credentials and log (created; deleted on dispose); null for a temp folder.
        /// Ignored when mosquitto drops to the unprivileged <c>mosquitto</c> account (these tools run as root): that
        /// account gets a private temp folder of its own, since it cannot reach a folder inside the caller's.
        /// </summary>
        public string WorkDirectory { get; init; }

        /// <summary>
        /// Where the broker's persistent state is kept between runs (sessions of clients with clean session off and
        /// the QoS 1 messages queued for them, retained messages); null for none (every start is fresh). Read at start
        /// into the broker's folder, written back (0600, atomically) when the broker is disposed.
        /// </summary>
        public string PersistenceFile { get; init; }

        /// <summary>
        /// User name of the privileged cloud identity; null for a random one. A caller that keeps its session across
        /// restarts (<see cref="PersistenceFile"/>) needs the same name each time: mosquitto checks the delivery of
        /// queued messages against the user name the session was saved with. The password is new at every start.
        /// </summary>
        public string CloudUsername { get; init; }

        /// <summary>
        /// Devices known from the first CONNECT on (a restarted cloud's devices reconnect at once: they must not
        /// meet a broker that does not know them yet); null for none.
        /// </summary>
        public IEnumerable<(string ProductKey, string DeviceName, string DeviceSecret)> Devices { get; init; }

        /// <summary>Products with dynamic registration known from the start; null for none.</summary>
        public IEnumerable<(string ProductKey, string ProductSecret)> Products { get; init; }

        /// <summary>Products of <see cref="Products"/> whose devices may also register without pre-registration (regnwl); null for none.</summary>
        public IEnumerable<string> ProductsWithoutPreRegistration { get; init; }

        /// <summary>clientId + deviceToken credentials issued earlier by regnwl (authType=connwl logins); null for none.</summary>
        public IEnumerable<(string ProductKey, string DeviceName, string ClientId, string DeviceToken)> DeviceTokens { get; init; }
    }
}
