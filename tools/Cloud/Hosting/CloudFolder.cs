using PrivateFiles = AliyunIot.Cloud.Registry.PrivateFiles;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Registry;
using AliyunIot.TestBroker;

namespace AliyunIot.Cloud.Hosting
{
    /// <summary>
    /// The cloud's folder (<c>--dir</c>) held by one running cloud: an exclusive lock (a second cloud on the same
    /// folder is refused instead of rewriting its files), the broker's ports and CA kept across restarts so that
    /// configured devices keep working, and what a killed cloud left behind cleaned at the next start.
    /// </summary>
    public sealed class CloudFolder : IDisposable
    {
        /// <summary>Lock file; held open (flock) while a cloud serves the folder; the OS releases it when the process dies.</summary>
        public const string LockFile = "serve.lock";

        /// <summary>The broker's ports, kept for the next start.</summary>
        public const string SettingsFile = "broker.json";

        /// <summary>The CA certificate devices trust.</summary>
        public const string CaFile = "ca.pem";

        /// <summary>The CA's private key (0600).</summary>
        public const string CaKeyFile = "ca.key";

        /// <summary>
        /// The broker's state kept across starts (0600): the cloud's own persistent session with what was queued for
        /// it, retained messages. See <see cref="CloudHosting.ConnectBus"/>.
        /// </summary>
        public const string BrokerStateFile = "broker-state.db";

        /// <summary>The running broker's own files (config, server key, credentials, log); removed on stop and at start.</summary>
        public const string BrokerFolder = "broker";

        private static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);
        private readonly FileStream _lock;

        private CloudFolder(string path, FileStream held)
        {
            Path = path;
            _lock = held;
        }

        /// <summary>The folder.</summary>
        public string Path { get; }

        /// <summary>The broker's own folder inside it.</summary>
        public string BrokerDirectory => System.IO.Path.Combine(Path, BrokerFolder);

        /// <summary>Takes the folder (0700) for this process and removes what a killed cloud left there.</summary>
        /// <exception cref="InvalidOperationException">Another cloud is serving the folder.</exception>
        public static CloudFolder Open(string path)
        {
            path = System.IO.Path.GetFullPath(path);
            PrivateFiles.EnsureRoot(path);
            FileStream held;
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                held = new FileStream(System.IO.Path.Combine(path, LockFile), options);
            }
            catch (IOException)
            {
                throw new InvalidOperationException($"another cloud is serving {path}{RunningPid(path)}: stop it first (cloud stop --dir {path}) or use another --dir");
            }

            var folder = new CloudFolder(path, held);
            folder.RemoveLeftovers();
            return folder;
        }

        /// <summary>
        /// Broker options for this start: the ports asked for, else those of the last start (0 = a free one), the
        /// folder's CA (created and saved, key 0600, on first use or when it is about to expire).
        /// </summary>
        public TestBrokerOptions BrokerOptions(int tlsPort, int plainPort)
        {
            JsonObject settings = ReadSettings();

            // The registry's devices are known to the broker from its first CONNECT: configured devices reconnect
            // as soon as the port opens, and a refusal would send them into their long back-off.
            var registry = new DeviceRegistry(Path);
            return new TestBrokerOptions
            {
                Devices = registry.Devices.Where(d => d.DeviceSecret != null).Select(d => (d.ProductKey, d.DeviceName, d.DeviceSecret)).ToList(),
                Products = registry.Products.Select(p => (p.ProductKey, p.ProductSecret)).ToList(),
                ProductsWithoutPreRegistration = registry.Products.Where(p => p.RegistrationWithoutPreRegistration).Select(p => p.ProductKey).ToList(),
                DeviceTokens = registry.Devices.Where(d => d.DeviceToken != null).Select(d => (d.ProductKey, d.DeviceName, d.ClientId, d.DeviceToken)).ToList(),
                TlsPort = tlsPort > 0 ? tlsPort : (int?)settings?["tlsPort"] ?? 0,
                PlainPort = plainPort > 0 ? plainPort : (int?)settings?["plainPort"] ?? 0,
                Ca = LoadOrCreateCa(),
                WorkDirectory = BrokerDirectory,
                PersistenceFile = System.IO.Path.Combine(Path, BrokerStateFile),
                CloudUsername = CloudHosting.BusClientId,
            };
        }

        /// <summary>Records the ports the broker got, for the next start.</summary>
        public void Remember(int tlsPort, int plainPort) =>
            PrivateFiles.WriteAllText(Path, System.IO.Path.Combine(Path, SettingsFile), new JsonObject { ["tlsPort"] = tlsPort, ["plainPort"] = plainPort }.ToJsonString());

        /// <summary>Releases the folder (the broker's folder is removed by the broker itself).</summary>
        public void Dispose() => _lock.Dispose();

        private static string RunningPid(string path)
        {
            try
            {
                string info = System.IO.Path.Combine(path, Control.ControlClient.CloudInfoFile);
                return File.Exists(info) && JsonNode.Parse(File.ReadAllText(info))?["pid"] is JsonNode pid ? $" (process {pid})" : string.Empty;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                return string.Empty;
            }
        }

        private void RemoveLeftovers()
        {
            // A killed cloud leaves its broker folder (server key, credentials) and half-written files behind.
            if (Directory.Exists(BrokerDirectory))
            {
                Directory.Delete(BrokerDirectory, recursive: true);
            }

            foreach (string stale in Directory.EnumerateFiles(Path, "*.new", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                File.Delete(stale);
            }

            foreach (string stale in new[] { Control.ControlClient.CloudInfoFile, Control.ControlServer.TokenFile })
            {
                File.Delete(System.IO.Path.Combine(Path, stale));
            }
        }

        private JsonObject ReadSettings()
        {
            string file = System.IO.Path.Combine(Path, SettingsFile);
            try
            {
                return File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file)) as JsonObject : null;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }

        private TestCa LoadOrCreateCa()
        {
            string certificate = System.IO.Path.Combine(Path, CaFile);
            string key = System.IO.Path.Combine(Path, CaKeyFile);
            if (File.Exists(certificate) && File.Exists(key))
            {
                try
                {
                    TestCa loaded = TestCa.Load(File.ReadAllText(certificate), File.ReadAllText(key));
                    if (loaded.ValidFor(TimeSpan.FromDays(30)))
                    {
                        return loaded;
                    }

                    loaded.Dispose();
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    // Unreadable or mismatched: a new CA (devices then need the new ca.pem, which is rewritten in place).
                }
            }

            var ca = new TestCa("AliyunIot local cloud CA", CaValidity);
            PrivateFiles.WriteAllText(Path, key, ca.KeyPem);
            PrivateFiles.WriteAllText(Path, certificate, ca.CertificatePem);
            return ca;
        }
    }
}
