using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using AliyunIot.Ports;

namespace AliyunIot.TestBroker
{
    /// <summary>
    /// A mosquitto broker that behaves like the Alibaba Cloud IoT Platform, run as a child process for tests:
    /// TLS listener (throwaway CA) and plain listener on free 127.0.0.1 ports, MQTT 3.1.1 and 5.0, the platform's
    /// authentication (ClientIdentifier extension block + HMAC password, any timestamp, per-device secrets, MQTT
    /// dynamic registration) and per-device ACL through the auth plugin (auth/aliyun_auth.c), and a privileged
    /// cloud identity (<see cref="CloudUsername"/>) that may publish and subscribe anything. mosquitto runs with a
    /// preloaded shim (preload/listen_backlog.c) that lengthens its accept queue from 100 to the system maximum, so a
    /// reconnect storm of a large simulated fleet is not shaped by dropped SYNs.
    /// </summary>
    /// <remarks>
    /// Ready means both ports answer, the process is alive and mosquitto logged that it is running. Stop is SIGTERM,
    /// then SIGKILL after one second. <see cref="Dispose"/> (and, as a safety net, process exit) never leaves a
    /// mosquitto process behind. Devices and products can be added while it runs (the plugin re-reads its
    /// credentials file on every CONNECT when the file changed).
    /// </remarks>
    public sealed class TestBroker : IDisposable
    {
        private static readonly HashSet<TestBroker> Live = new HashSet<TestBroker>();
        private static bool _exitHookInstalled;

        private readonly object _gate = new object();
        private readonly Dictionary<string, string> _devices = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _products = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly HashSet<string> _withoutPreRegistration = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly StringBuilder _console = new StringBuilder();
        private readonly string _configPath;
        private readonly string _credentialsPath;
        private readonly string _persistenceFile;
        private readonly string _databasePath;
        private readonly (string Name, int Uid, int Gid)? _account;
        private string _preload;
        private Process _process;
        private Process _watchdog;
        private bool _disposed;

        private TestBroker(TestBrokerOptions options)
        {
            // Run as root, mosquitto drops to the unprivileged "mosquitto" account right after reading its config
            // (before it loads the plugin): its folder and files then belong to that account, still 0700/0600.
            _account = PrivateFiles.BrokerAccount();

            // 0700, unpredictable name, removed by Dispose, by the watchdog when this process dies, and by the next
            // start when both were killed (owner.pid names a process that is gone). A caller that names a folder
            // (the local cloud, inside its private --dir) gets it when mosquitto runs as the caller; an unprivileged
            // broker could not reach it (the --dir stays 0700, root's), so it then gets a fresh private folder of its
            // own in the temp directory, and what must persist goes through PersistenceFile.
            if (options?.WorkDirectory != null && _account == null)
            {
                WorkDirectory = options.WorkDirectory;
                PrivateFiles.CreatePrivateDirectory(WorkDirectory);
            }
            else
            {
                WorkDirectory = PrivateFiles.CreateFolder(Path.GetTempPath(), WorkDirectoryPrefix);
            }

            if (_account is { } account)
            {
                PrivateFiles.ChangeOwner(WorkDirectory, account.Uid, account.Gid);
            }

            _configPath = Path.Combine(WorkDirectory, "mosquitto.conf");
            _credentialsPath = Path.Combine(WorkDirectory, "credentials.txt");
            _persistenceFile = options?.PersistenceFile == null ? null : Path.GetFullPath(options.PersistenceFile);
            _databasePath = Path.Combine(WorkDirectory, DatabaseFile);
            LogPath = Path.Combine(WorkDirectory, "mosquitto.log");
            CaCertificatePath = Path.Combine(WorkDirectory, "ca.pem");
            CloudUsername = options?.CloudUsername ?? "cloud-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            CheckField(CloudUsername, "cloudUsername");
            CloudPassword = Guid.NewGuid().ToString("N");
            Ca = options?.Ca ?? new TestCa();
            CaCertificatePem = Ca.CertificatePem;
            foreach (var d in options?.Devices ?? Enumerable.Empty<(string, string, string)>())
            {
                CheckField(d.ProductKey, "productKey");
                CheckField(d.DeviceName, "deviceName");
                CheckField(d.DeviceSecret, "deviceSecret");
                _devices[d.ProductKey + " " + d.DeviceName] = d.DeviceSecret;
            }

            foreach (var p in options?.Products ?? Enumerable.Empty<(string, string)>())
            {
                CheckField(p.ProductKey, "productKey");
                CheckField(p.ProductSecret, "productSecret");
                _products[p.ProductKey] = p.ProductSecret;
            }

            foreach (string productKey in options?.ProductsWithoutPreRegistration ?? Enumerable.Empty<string>())
            {
                _withoutPreRegistration.Add(productKey);
            }

            foreach (var t in options?.DeviceTokens ?? Enumerable.Empty<(string, string, string, string)>())
            {
                _tokens[TokenKey(t.ProductKey, t.DeviceName)] = TokenValue(t.ClientId, t.DeviceToken);
            }

            // From the folder's creation on, for the broker's whole life (restarts included): killed between writing
            // the secrets and starting mosquitto, or between starting mosquitto and a later watchdog, this process
            // would leave them, or a mosquitto nobody stops, behind (seen with a run killed right after its start).
            _watchdog = StartWatchdog(_configPath, WorkDirectory);
        }

        /// <summary>Address every listener binds to: 127.0.0.1.</summary>
        public string Host => "127.0.0.1";

        /// <summary>Port of the TLS listener (server certificate for 127.0.0.1 and localhost, issued by <see cref="Ca"/>).</summary>
        public int TlsPort { get; private set; }

        /// <summary>Port of the plain TCP listener (same authentication and ACL).</summary>
        public int PlainPort { get; private set; }

        /// <summary>The run's throwaway CA; also issues certificates for HTTPS test servers.</summary>
        public TestCa Ca { get; }

        /// <summary>PEM of the CA that clients must trust.</summary>
        public string CaCertificatePem { get; }

        /// <summary>File holding <see cref="CaCertificatePem"/>.</summary>
        public string CaCertificatePath { get; }

        /// <summary>User name of the privileged cloud identity (any ClientIdentifier).</summary>
        public string CloudUsername { get; }

        /// <summary>Password of the privileged cloud identity.</summary>
        public string CloudPassword { get; }

        /// <summary>mosquitto's log file (connections, refusals, ACL denials) for diagnostics.</summary>
        public string LogPath { get; }

        /// <summary>Directory with the config, certificates, credentials and log; deleted by <see cref="Dispose"/>.</summary>
        public string WorkDirectory { get; }

        /// <summary>Process id of the current mosquitto process (-1 when none was started).</summary>
        public int ProcessId
        {
            get
            {
                lock (_gate)
                {
                    return _process?.Id ?? -1;
                }
            }
        }

        /// <summary>True while the mosquitto process is alive.</summary>
        public bool IsRunning
        {
            get
            {
                lock (_gate)
                {
                    return _process != null && !_process.HasExited;
                }
            }
        }

        /// <summary>mosquitto's database in <see cref="WorkDirectory"/> when persistence is on.</summary>
        public const string DatabaseFile = "mosquitto.db";

        /// <summary>Prefix of every broker's work folder under the temp directory (the rest of the name is random).</summary>
        public const string WorkDirectoryPrefix = "aliyuniot-broker-";

        /// <summary>Starts a broker and waits until it is ready.</summary>
        /// <exception cref="InvalidOperationException">mosquitto or gcc is missing, or the broker did not come up.</exception>
        public static TestBroker Start() => Start(null);

        /// <summary>Starts a broker with fixed ports, CA and folder where <paramref name="options"/> gives them.</summary>
        /// <exception cref="InvalidOperationException">As <see cref="Start()"/>; also when a fixed port is in use.</exception>
        public static TestBroker Start(TestBrokerOptions options)
        {
            string plugin = NativeLibraryBuilder.EnsureAuthPlugin();
            string shim = NativeLibraryBuilder.EnsureListenBacklogShim();
            var broker = new TestBroker(options) { _preload = shim };
            bool fixedPorts = options != null && (options.TlsPort > 0 || options.PlainPort > 0);
            try
            {
                Register(broker);
                for (int attempt = 1; ; attempt++)
                {
                    broker.TlsPort = options?.TlsPort > 0 ? options.TlsPort : LoopbackPort.Free();
                    broker.PlainPort = options?.PlainPort > 0 ? options.PlainPort : LoopbackPort.Free();
                    broker.WriteFiles(plugin);
                    try
                    {
                        broker.StartProcess();
                        return broker;
                    }
                    catch (InvalidOperationException e) when (fixedPorts && e.Message.Contains("Address already in use", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"port {broker.TlsPort} (TLS) or {broker.PlainPort} (plain) is already in use by another program", e);
                    }
                    catch (InvalidOperationException e) when (attempt < 5 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
                    {
                        // A free port was taken between probing and mosquitto's bind (by another test's outgoing
                        // connection, say): probe again.
                    }
                }
            }
            catch
            {
                broker.Dispose();
                throw;
            }
        }

        /// <summary>Adds (or updates) a device; effective for the next CONNECT, also on a running broker.</summary>
        public void AddDevice(string productKey, string deviceName, string deviceSecret)
        {
            AddDevices(new[] { (productKey, deviceName, deviceSecret) });
        }

        /// <summary>Adds (or updates) many devices with one credentials write (fleet tests).</summary>
        public void AddDevices(IEnumerable<(string ProductKey, string DeviceName, string DeviceSecret)> devices)
        {
            ArgumentNullException.ThrowIfNull(devices);
            lock (_gate)
            {
                foreach (var d in devices)
                {
                    CheckField(d.ProductKey, "productKey");
                    CheckField(d.DeviceName, "deviceName");
                    CheckField(d.DeviceSecret, "deviceSecret");
                    _devices[d.ProductKey + " " + d.DeviceName] = d.DeviceSecret;
                }

                WriteCredentials();
            }
        }

        /// <summary>
        /// Adds (or updates) a product with dynamic registration enabled. A device of this product that was added with
        /// <see cref="AddDevice"/> may then register over MQTT (authType=register) and receives its secret on
        /// /ext/register right after the CONNACK, without subscribing, as on the platform. With
        /// <paramref name="withoutPreRegistration"/> any device name of the product may also register with
        /// authType=regnwl: it receives clientId + deviceToken on /ext/regnwl and connects with authType=connwl; the
        /// broker announces the credential on <c>$aliyuniot/registered/{pk}/{dn}</c> (retained, cloud identity only).
        /// </summary>
        public void AddProduct(string productKey, string productSecret, bool withoutPreRegistration = false)
        {
            CheckField(productKey, "productKey");
            CheckField(productSecret, "productSecret");
            lock (_gate)
            {
                _products[productKey] = productSecret;
                if (withoutPreRegistration)
                {
                    _withoutPreRegistration.Add(productKey);
                }
                else
                {
                    _withoutPreRegistration.Remove(productKey);
                }

                WriteCredentials();
            }
        }

        /// <summary>
        /// Records a clientId + deviceToken issued by registration without pre-registration, so the device can connect
        /// with it (authType=connwl) also after a broker restart. The broker accepts tokens it issued itself anyway.
        /// </summary>
        public void AddDeviceToken(string productKey, string deviceName, string clientId, string deviceToken)
        {
            CheckField(productKey, "productKey");
            CheckField(deviceName, "deviceName");
            CheckField(clientId, "clientId");
            CheckField(deviceToken, "deviceToken");
            lock (_gate)
            {
                _tokens[TokenKey(productKey, deviceName)] = TokenValue(clientId, deviceToken);
                WriteCredentials();
            }
        }

        /// <summary>Stops (SIGTERM, SIGKILL after ~1 s) and starts mosquitto again on the same ports with the same devices.</summary>
        public void Restart()
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
            }

            StopProcess(graceful: true);
            StartProcess();
        }

        /// <summary>Kills mosquitto abruptly (SIGKILL): clients see the connection drop without DISCONNECT.</summary>
        public void Kill() => StopProcess(graceful: false);

        /// <summary>Stops mosquitto (SIGTERM, then SIGKILL after ~1 s). <see cref="Restart"/> may start it again.</summary>
        public void Stop() => StopProcess(graceful: true);

        /// <summary>The whole mosquitto log so far (empty when none).</summary>
        public string ReadLog()
        {
            try
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }
            catch (IOException)
            {
                return string.Empty;
            }
        }

        /// <summary>
        /// A CONNECT for a device, signed by the platform's rule with this class's own HMAC code (test convenience,
        /// independent of the core's signer): ClientIdentifier <c>{clientId}|securemode=..,signmethod=..,timestamp=..|</c>.
        /// </summary>
        /// <param name="productKey">Product key.</param>
        /// <param name="deviceName">Device name.</param>
        /// <param name="deviceSecret">Device secret (HMAC key).</param>
        /// <param name="signMethod">hmacsha256, hmacsha1 or hmacmd5.</param>
        /// <param name="protocolVersion">4 (3.1.1) or 5.</param>
        /// <param name="useTls">TLS listener (true) or plain listener.</param>
        /// <param name="clientId">Client id prefix; default <c>{pk}.{dn}</c>.</param>
        public MqttConnectRequest CreateDeviceConnectRequest(string productKey, string deviceName, string deviceSecret,
            string signMethod = "hmacsha256", int protocolVersion = 4, bool useTls = true, string clientId = null)
        {
            clientId ??= productKey + "." + deviceName;
            const string timestamp = "2524608000000";
            string content = "clientId" + clientId + "deviceName" + deviceName + "productKey" + productKey + "timestamp" + timestamp;
            return new MqttConnectRequest
            {
                Host = Host,
                Port = useTls ? TlsPort : PlainPort,
                UseTls = useTls,
                CaCertificatesPem = CaCertificatePem,
                ClientIdentifier = clientId + "|securemode=" + (useTls ? "2" : "3") + ",signmethod=" + signMethod + ",timestamp=" + timestamp + "|",
                Username = deviceName + "&" + productKey,
                Password = AliyunSign.Hex(signMethod, deviceSecret, content),
                ProtocolVersion = protocolVersion,
                KeepAliveSeconds = 60,
                ConnectTimeoutMs = 10000,
            };
        }

        /// <summary>Stops mosquitto and deletes the work directory. Idempotent.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
            }

            StopProcess(graceful: true);
            lock (Live)
            {
                Live.Remove(this);
            }

            SaveState();
            StopWatchdog();
            Ca.Dispose();
            try
            {
                Directory.Delete(WorkDirectory, true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static string TokenKey(string productKey, string deviceName) => productKey + " " + deviceName;

        private static string TokenValue(string clientId, string deviceToken) => clientId + " " + deviceToken;

        private static void CheckField(string value, string name)
        {
            if (string.IsNullOrEmpty(value) || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new ArgumentException(name + " must be non-empty without white space.", name);
            }
        }

        private static void Register(TestBroker broker)
        {
            lock (Live)
            {
                Live.Add(broker);
                if (!_exitHookInstalled)
                {
                    _exitHookInstalled = true;
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
                    AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
                }
            }
        }

        private static void KillAll()
        {
            TestBroker[] brokers;
            lock (Live)
            {
                brokers = Live.ToArray();
            }

            foreach (TestBroker broker in brokers)
            {
                try
                {
                    broker.StopProcess(graceful: false);
                }
                catch (Exception)
                {
                    // Best effort at process exit.
                }
            }
        }

        private (int Uid, int Gid)? Owner => _account is { } a ? (a.Uid, a.Gid) : null;

        /// <summary>
        /// Gives mosquitto the state the last run saved (owned by the account it runs as, 0600): mosquitto reads and
        /// writes its database inside its own folder, which an unprivileged broker can reach when the caller's is not.
        /// </summary>
        private void RestoreState()
        {
            if (_persistenceFile == null || File.Exists(_databasePath) || !File.Exists(_persistenceFile))
            {
                return;
            }

            PrivateFiles.WriteAllBytes(_databasePath, File.ReadAllBytes(_persistenceFile), Owner);
        }

        /// <summary>Keeps what the stopped mosquitto saved (it writes its database on a clean exit) for the next run.</summary>
        private void SaveState()
        {
            if (_persistenceFile == null || !File.Exists(_databasePath))
            {
                return;
            }

            try
            {
                PrivateFiles.WriteAllBytes(_persistenceFile, File.ReadAllBytes(_databasePath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Lost state means a fresh start next time (queued messages gone), never a failed stop.
                AppendConsole("could not keep the broker's state in " + _persistenceFile + ": " + e.Message);
            }
        }

        private void WriteFiles(string plugin)
        {
            PrivateFiles.WriteAllText(CaCertificatePath, CaCertificatePem, Owner);
            string certPath = Path.Combine(WorkDirectory, "server.pem");
            string keyPath = Path.Combine(WorkDirectory, "server.key");
            using (var serverCert = Ca.IssueServerCertificate("127.0.0.1", "localhost"))
            {
                TestCa.WritePem(serverCert, certPath, keyPath, Owner);
            }

            if (_account is { } account)
            {
                // The unprivileged broker cannot read the builder's per-user cache (root's home): give it a copy,
                // checked against the hash of the build output, read-only for it.
                string copy = Path.Combine(WorkDirectory, Path.GetFileName(plugin));
                NativeLibraryBuilder.CopyVerified(plugin, copy);
                PrivateFiles.ChangeOwner(copy, account.Uid, account.Gid);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(copy, UnixFileMode.UserRead);
                }
                plugin = copy;
            }

            lock (_gate)
            {
                WriteCredentials();
            }

            var conf = new StringBuilder();
            conf.AppendLine("# Written by AliyunIot.TestBroker for one test run.");
            // Per-listener settings: mosquitto 2.0 tells its plugin nothing about the listener a client came in on,
            // so the plugin is loaded after each listener with that listener's transport (plugin_opt_transport) and
            // checks the ClientIdentifier's securemode against it (2 = TLS, 3 = plain TCP, as the platform does).
            // allow_anonymous, plugin and plugin_opt_* are then options of each listener (written after it: before
            // the first `listener` line they would open mosquitto's default listener on 0.0.0.0:1883).
            conf.AppendLine("per_listener_settings true");
            if (_persistenceFile != null)
            {
                // Sessions with clean session off (the local cloud's own client) and their queued QoS 1 messages
                // survive a restart; saved on a clean exit, restored from the caller's file (RestoreState).
                RestoreState();
                conf.AppendLine("persistence true");
                conf.AppendLine("persistence_location " + WorkDirectory + Path.DirectorySeparatorChar);
                conf.AppendLine("persistence_file " + DatabaseFile);
            }
            else
            {
                conf.AppendLine("persistence false");
            }

            conf.AppendLine("set_tcp_nodelay true");
            if (_account is { } user)
            {
                conf.AppendLine("user " + user.Name);
            }
            else if (PrivateFiles.EffectiveUserId() == 0)
            {
                // Root without a "mosquitto" account: no unprivileged account could read the 0600 files without
                // making them readable by others (nobody is shared with other daemons), so the broker keeps root.
                conf.AppendLine("user root");
            }

            conf.AppendLine("log_dest file " + LogPath);
            conf.AppendLine("log_type error");
            conf.AppendLine("log_type warning");
            conf.AppendLine("log_type notice");
            conf.AppendLine("log_type information");
            conf.AppendLine("log_type subscribe");
            conf.AppendLine("log_timestamp_format %H:%M:%S");
            conf.AppendLine("connection_messages true");
            conf.AppendLine("max_queued_messages 10000");


            // The platform has QoS 0 and 1 only (aliyun-protocol.md §5.3): subscriptions are granted at most 1 and a
            // QoS 2 publish is refused (mosquitto disconnects a 3.1.1 client that sends one). max_qos is a listener
            // option: written before the first `listener` line it would open mosquitto's default listener on
            // 0.0.0.0:1883, so it follows each listener.
            conf.AppendLine("listener " + TlsPort + " 127.0.0.1");
            conf.AppendLine("max_qos 1");
            conf.AppendLine("cafile " + CaCertificatePath);
            conf.AppendLine("certfile " + certPath);
            conf.AppendLine("keyfile " + keyPath);
            AppendListenerSecurity(conf, plugin, "tls");
            conf.AppendLine("listener " + PlainPort + " 127.0.0.1");
            conf.AppendLine("max_qos 1");
            AppendListenerSecurity(conf, plugin, "tcp");
            PrivateFiles.WriteAllText(_configPath, conf.ToString(), Owner);
        }

        /// <summary>
        /// The security options of the listener just written: no anonymous login, the auth plugin with the shared
        /// credentials file and this listener's transport (the plugin's two loads share one state, see aliyun_auth.c).
        /// </summary>
        private void AppendListenerSecurity(StringBuilder conf, string plugin, string transport)
        {
            conf.AppendLine("allow_anonymous false");
            conf.AppendLine("plugin " + plugin);
            conf.AppendLine("plugin_opt_credentials " + _credentialsPath);
            conf.AppendLine("plugin_opt_transport " + transport);
        }

        /// <summary>Under <see cref="_gate"/>: rewrites the credentials file atomically (the plugin notices the new inode).</summary>
        private void WriteCredentials()
        {
            var text = new StringBuilder();
            text.Append("cloud ").Append(CloudUsername).Append(' ').Append(CloudPassword).Append('\n');
            foreach (KeyValuePair<string, string> p in _products)
            {
                text.Append("product ").Append(p.Key).Append(' ').Append(p.Value);
                text.Append(_withoutPreRegistration.Contains(p.Key) ? " nwl\n" : "\n");
            }

            foreach (KeyValuePair<string, string> t in _tokens)
            {
                text.Append("token ").Append(t.Key).Append(' ').Append(t.Value).Append('\n');
            }

            foreach (KeyValuePair<string, string> d in _devices)
            {
                text.Append("device ").Append(d.Key).Append(' ').Append(d.Value).Append('\n');
            }

            // 0600 from its creation, renamed over the old file (the plugin notices the new inode).
            PrivateFiles.WriteAllText(_credentialsPath, text.ToString(), Owner);
        }

        private void StartProcess()
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_process != null && !_process.HasExited)
                {
                    return;
                }

                _process?.Dispose();
                _process = null;
                var start = new ProcessStartInfo("mosquitto")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add(_configPath);

                // A long accept queue, as the platform's front ends have: see preload/listen_backlog.c.
                start.Environment["LD_PRELOAD"] = _preload;

                Process process;
                try
                {
                    process = Process.Start(start);
                }
                catch (System.ComponentModel.Win32Exception ex)
                {
                    throw new InvalidOperationException("mosquitto was not found (" + ex.Message + "): apt-get install mosquitto", ex);
                }

                process.OutputDataReceived += (_, e) => AppendConsole(e.Data);
                process.ErrorDataReceived += (_, e) => AppendConsole(e.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                _process = process;
            }

            WaitUntilReady();
        }

        /// <summary>
        /// A tiny shell loop that SIGKILLs mosquitto and removes the work folder (credentials, TLS key) if this test
        /// process dies without running its exit hooks (killed test host); killed by <see cref="Dispose"/>.
        /// Started with the folder, it finds mosquitto by its command line (<c>mosquitto -c</c> and this broker's own
        /// config path, a random folder; twice, a second apart, in case one was being started at that moment).
        /// </summary>
        private static Process StartWatchdog(string configPath, string workDirectory)
        {
            try
            {
                var start = new ProcessStartInfo("sh")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add("while kill -0 \"$0\" 2>/dev/null; do sleep 0.5; done; "
                    + "for round in 1 2; do for p in /proc/[0-9]*; do [ \"$(tr '\\000' ' ' < \"$p/cmdline\" 2>/dev/null)\" = \"mosquitto -c $1 \" ] && kill -9 \"${p#/proc/}\" 2>/dev/null; done; sleep 1; done; "
                    + "rm -rf -- \"$2\"");
                start.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                start.ArgumentList.Add(configPath);
                start.ArgumentList.Add(workDirectory);
                return Process.Start(start);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        private void AppendConsole(string line)
        {
            if (line == null)
            {
                return;
            }

            lock (_console)
            {
                if (_console.Length < 64 * 1024)
                {
                    _console.AppendLine(line);
                }
            }
        }

        private void WaitUntilReady()
        {
            Process process;
            lock (_gate)
            {
                process = _process;
            }

            var watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < 15000)
            {
                if (process.HasExited)
                {
                    break;
                }

                // The port opens before TLS material is loaded: also require the "running" line and a live process.
                if (PortAnswers(TlsPort) && PortAnswers(PlainPort) && ReadLog().Contains("running", StringComparison.Ordinal))
                {
                    Thread.Sleep(5);
                    if (!process.HasExited)
                    {
                        return;
                    }
                }

                Thread.Sleep(10);
            }

            string console;
            lock (_console)
            {
                console = _console.ToString();
            }

            string state = process.HasExited ? "exited with code " + process.ExitCode : "did not become ready in 15 s";
            StopProcess(graceful: false);
            throw new InvalidOperationException("mosquitto " + state + ".\nconsole:\n" + console + "\nlog:\n" + ReadLog());
        }

        private void StopWatchdog()
        {
            Process watchdog;
            lock (_gate)
            {
                watchdog = _watchdog;
                _watchdog = null;
            }

            if (watchdog == null)
            {
                return;
            }

            try
            {
                watchdog.Kill();
                watchdog.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }

            watchdog.Dispose();
        }

        private static bool PortAnswers(int port)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private void StopProcess(bool graceful)
        {
            Process process;
            lock (_gate)
            {
                process = _process;
            }

            if (process == null)
            {
                return;
            }

            try
            {
                if (!process.HasExited)
                {
                    if (graceful)
                    {
                        // SIGTERM sent in mosquitto's first instant can be lost (handlers come late): SIGKILL follows.
                        SendSignal(process.Id, 15);
                        if (!process.WaitForExit(1000))
                        {
                            process.Kill();
                        }
                    }
                    else
                    {
                        process.Kill();
                    }
                }

                process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        private static void SendSignal(int pid, int signal)
        {
            _ = NativeSignals.kill(pid, signal);
        }

        private static class NativeSignals
        {
            [DllImport("libc", SetLastError = true)]
            internal static extern int kill(int pid, int sig);
        }
    }
}
